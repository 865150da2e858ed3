package org.camaudit.rules.findings;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camaudit.model.Finding;

/**
 * {@code relay-forwarding}: a device accepts a flow from peer X (it is the responder) and, starting
 * within {@code window} after that flow's first packet, initiates a flow to another peer Y whose
 * byte total (both directions) is within {@code tolerance} of the inbound one; both at least
 * {@code minBytes}, so handshakes alone do not count. Flows are folded per pair by the traffic
 * module: the first packet of the first flow of a pair is what is compared, so a relay inside a
 * long-lived pair is missed. Not told apart from a legitimate proxy, a web server that fetches
 * what it serves from a backend, or a recorder that opens a camera stream for a viewer: all forward
 * what they receive. A leg is a TCP flow whose opening the source saw (not
 * {@link TrafficFlow#midstream()}: a flow met in its middle may be oriented wrongly), not on a DNS
 * or NTP port: a resolver, a time server and UDP streams are no relays' legs. Bounded: at most {@value #MAX_CANDIDATES} candidate flows per device and
 * direction (the first ones).
 */
final class RelayDetector {
    static final int MAX_CANDIDATES = 1024;
    /** DNS and NTP (and DNS over TLS): a resolver or time server forwarding is its job. */
    static final java.util.Set<Integer> NOT_RELAYED = java.util.Set.of(53, 123, 853);
    private static final int MAX_LISTED = 5;

    private record Leg(String peer, String proto, int port, long bytes, Instant first) {
    }

    private record Pair(Leg in, Leg out) {
    }

    private final BehaviourDetector.RelayThresholds limits;
    private final Map<String, List<Leg>> inbound = new HashMap<>();
    private final Map<String, List<Leg>> outbound = new HashMap<>();

    RelayDetector(BehaviourDetector.RelayThresholds limits) {
        this.limits = limits;
    }

    void flow(TrafficFlow f) {
        if (f.bytes() < limits.minBytes() || f.first().isEmpty() || f.src().equals(f.dst())
                || !f.proto().equals("tcp") || f.midstream() || NOT_RELAYED.contains(f.port())) {
            return;
        }
        keep(inbound, f.dst(), new Leg(f.src(), f.proto(), f.port(), f.bytes(), f.first().get()));
        keep(outbound, f.src(), new Leg(f.dst(), f.proto(), f.port(), f.bytes(), f.first()
                .get()));
    }

    private static void keep(Map<String, List<Leg>> legs, String device, Leg leg) {
        List<Leg> mine = legs.computeIfAbsent(device, k -> new ArrayList<>());
        if (mine.size() < MAX_CANDIDATES) {
            mine.add(leg);
        }
    }

    void finish(String address, String key, List<Finding> out) {
        List<Pair> pairs = new ArrayList<>();
        for (Leg in : inbound.getOrDefault(address, List.of())) {
            Instant until = in.first().plus(limits.window());
            for (Leg o : outbound.getOrDefault(address, List.of())) {
                if (!o.peer().equals(in.peer()) && !o.first().isBefore(in.first()) && !o.first()
                        .isAfter(until)
                        && Math.abs(o.bytes() - in.bytes()) <= limits.tolerance()
                                * in.bytes()) {
                    pairs.add(new Pair(in, o));
                }
            }
        }
        if (pairs.isEmpty()) {
            return;
        }
        List<String> evidence = new ArrayList<>();
        evidence.add("behaviour: accepted a flow and within " + seconds(limits.window())
                + " s forwarded about as many bytes (within " + Math.round(limits.tolerance()
                        * 100)
                + " %) to another peer, " + pairs.size() + " time(s)");
        for (Pair p : pairs.subList(0, Math.min(MAX_LISTED, pairs.size()))) {
            evidence.add("relay " + p.in().peer() + " -> " + address + ":" + p.in().port() + " ("
                    + p.in().proto() + ", " + p.in().bytes() + " bytes, " + p.in().first()
                    + ") -> " + p.out().peer() + ":" + p.out().port() + " (" + p.out().proto()
                    + ", " + p.out().bytes() + " bytes, " + p.out().first() + ")");
        }
        Pair first = pairs.get(0);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("pairs", Integer.toString(pairs.size()));
        details.put("from", first.in().peer());
        details.put("port", Integer.toString(first.in().port()));
        details.put("to", first.out().peer() + ":" + first.out().port());
        details.put("bytes_in", Long.toString(first.in().bytes()));
        details.put("bytes_out", Long.toString(first.out().bytes()));
        details.put("window_seconds", seconds(limits.window()));
        details.put("tolerance", Double.toString(limits.tolerance()));
        details.put("min_bytes", Long.toString(limits.minBytes()));
        out.add(new Finding(BehaviourDetector.RELAY, Finding.Kind.BEHAVIOUR,
                Finding.Severity.CRITICAL, key, address, "Forwards traffic between peers ("
                        + first.in().peer() + " -> " + first.out().peer() + "): used as a relay?",
                evidence, Optional.empty(), Finding.Remediation.ISOLATE, details));
    }

    private static String seconds(Duration d) {
        return java.math.BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros()
                .toPlainString();
    }
}
