package org.camaudit.probes.service;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.camaudit.model.Observation;
import org.camaudit.model.SafetyClass;
import org.camaudit.probes.ProbeContext;
import org.camaudit.probes.ServiceProbe;

/**
 * INFO-LEAK READ (opt-in, {@code --info-leak-checks}): plain GETs of pages that answer only
 * because of a documented disclosure bug, reading what they disclose and changing nothing:
 * Dahua {@code /web_caps/webCapsConfig} (CVE-2019-9680) and Xiongmai {@code /DVR.htm} (Greenbone
 * authentication-bypass indicator). Runs only when the context enables INFO_LEAK_READ.
 */
final class InfoLeakProbe implements ServiceProbe {
    /** The documented disclosures read, protocol-facts.md §2.2 and §2.3. */
    static final List<String> PATHS = List.of("/web_caps/webCapsConfig", "/DVR.htm");

    private final HttpProbe http;
    private final HttpFetcher fetcher;

    InfoLeakProbe(HttpProbe http, HttpFetcher fetcher) {
        this.http = http;
        this.fetcher = fetcher;
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public SafetyClass safetyClass() {
        return SafetyClass.INFO_LEAK_READ;
    }

    @Override
    public List<Observation> probe(InetAddress address, int port, ProbeContext context) {
        if (!context.allows(SafetyClass.INFO_LEAK_READ)) {
            return List.of();
        }
        List<Observation> out = new ArrayList<>();
        for (String path : PATHS) {
            HttpFetcher.Fetched page = fetcher.get(context, address, port, false, path);
            out.add(http.observe(address, port, path, page));
            if (HttpProbe.isHostile(page)) {
                break;
            }
        }
        return out;
    }
}
