package org.camaudit.probes.service;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.camaudit.model.Observation;
import org.camaudit.model.SafetyClass;
import org.camaudit.probes.ProbeContext;
import org.camaudit.probes.ServiceProbe;

/**
 * Ports that are a binary SDK on one device and a web server on another (8000: Hikvision SDK or a
 * web UI; 9000: Reolink Baichuan or HTTP). First a null probe: connect and listen for
 * {@link #NULL_PROBE_MILLIS}. A device that speaks first is recorded as an SDK banner and left
 * alone; a silent one gets the HTTP probe on a fresh connection. When that finds no HTTP either,
 * the silent banner is recorded too, so the open port is never lost.
 */
final class SdkOrHttpProbe implements ServiceProbe {
    static final long NULL_PROBE_MILLIS = 1_000;

    private final HttpProbe http;

    SdkOrHttpProbe(HttpProbe http) {
        this.http = http;
    }

    @Override
    public String name() {
        return "sdk-or-http";
    }

    @Override
    public SafetyClass safetyClass() {
        return SafetyClass.SAFE_PROBE;
    }

    @Override
    public List<Observation> probe(InetAddress address, int port, ProbeContext context) {
        BannerProbe.Banner banner = BannerProbe.listen(context, address, port, BannerProbe.Kind.SDK,
                NULL_PROBE_MILLIS);
        Observation sdk = BannerProbe.observe(address, port, BannerProbe.Kind.SDK, banner);
        if (banner.bytes().length > 0 || banner.error().isPresent()) {
            return List.of(sdk);
        }
        List<Observation> out = new ArrayList<>(http.probe(address, port, context));
        if (!ServiceProbes.answeredHttp(out)) {
            out.add(sdk);
        }
        return out;
    }
}
