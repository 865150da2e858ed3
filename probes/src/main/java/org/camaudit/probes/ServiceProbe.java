package org.camaudit.probes;

import java.net.InetAddress;
import java.util.List;
import org.camaudit.model.Observation;
import org.camaudit.model.SafetyClass;

/**
 * A probe of one service on one open port. Contract: it reaches the device only through
 * {@link ProbeContext#network()}, stays within {@link ProbeContext#limits()}, and never throws for
 * anything the device does: a failure is an observation whose {@code error} field says what
 * happened.
 */
public interface ServiceProbe {
    /** Short protocol name, also the observations' {@code protocol}: http, rtsp, onvif, ... */
    String name();

    /** The probe's class; it runs only when the scope enables this class. */
    SafetyClass safetyClass();

    List<Observation> probe(InetAddress address, int port, ProbeContext context);
}
