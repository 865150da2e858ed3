package org.camaudit.traffic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Counts kept while one file is read; becomes its {@link FileReport}. */
final class Tally {
    static final int MAX_SAMPLES = 20;
    final Map<String, Long> observations = new TreeMap<>();
    final Map<String, Long> errors = new TreeMap<>();
    /** fact counters on the hot path: DNS query names, TLS SNI, HTTP Server. */
    long dnsQueries;
    long tlsSni;
    long httpServers;
    long frames;
    long fragments;
    long undecodable;
    long bytes;
    long errorTotal;
    final List<String> samples = new ArrayList<>();

    void observed(String decoder) {
        observations.merge(decoder, 1L, Long::sum);
    }

    void error(String decoder, long fileOffset, String message) {
        errorTotal++;
        errors.merge(decoder, 1L, Long::sum);
        if (samples.size() < MAX_SAMPLES) {
            samples.add("at byte " + fileOffset + ": " + message);
        }
    }

    FileReport report(String file, CaptureFormat format, Optional<FileReport.FileError> error) {
        Map<String, Long> facts = new TreeMap<>();
        facts.put("dns.query", dnsQueries);
        facts.put("tls.sni", tlsSni);
        facts.put("http.server", httpServers);
        return new FileReport(file, format, bytes, frames, fragments, undecodable, observations,
                errors, facts, samples, error);
    }
}
