package org.camaudit.probes.service;

import java.io.IOException;

/** A device misbehaviour already phrased as the observation's {@code error} text. */
final class ProbeFailure extends IOException {
    private static final long serialVersionUID = 1L;

    ProbeFailure(String message) {
        super(message);
    }
}
