package org.camaudit.model;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What the operator allowed: targets and exclusions exactly as given (CIDRs, ranges, literals or
 * host names), the port profile, the pace, the enabled safety classes, and who authorised it. The
 * probes module's scope guard turns this into the one check every packet passes.
 *
 * @param targets CIDRs, ranges, addresses or host names to audit
 * @param excludes the same forms; an exclusion always wins
 * @param ports TCP port profile for the sweep
 * @param ratePerSecond new connections or datagrams per second, at most
 * @param concurrency connections in flight, at most
 * @param safetyClasses probe classes that may run
 * @param multicast whether multicast discovery may be sent
 * @param allowLarge whether a scope larger than a /16 (65,536 addresses) is accepted
 * @param authorizedBy who authorised the scan, and when; required
 */
public record Scope(List<String> targets, List<String> excludes, List<Integer> ports,
        int ratePerSecond, int concurrency, Set<SafetyClass> safetyClasses, boolean multicast,
        boolean allowLarge, String authorizedBy) {

    /** The camera port profile (protocol-facts.md §2): web, RTSP, SDK, DVRIP, debug and admin ports. */
    public static final List<Integer> CAMERA_PORTS = List.of(80, 443, 554, 8000, 8080, 8443, 8554,
            8899, 37777, 34567, 9527, 9530, 23, 21, 22, 2020, 9000);

    public static final int DEFAULT_RATE = 20_000;
    public static final int DEFAULT_CONCURRENCY = 2_000;
    /** Scopes larger than this many addresses need {@code allowLarge}. */
    public static final long LARGE_SCOPE = 65_536;

    public Scope {
        targets = List.copyOf(targets);
        excludes = List.copyOf(excludes);
        ports = List.copyOf(ports);
        safetyClasses = safetyClasses.isEmpty()
                ? Set.of()
                : Set.copyOf(EnumSet.copyOf(safetyClasses));
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("a scope needs at least one target");
        }
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("a scope needs at least one port");
        }
        for (int p : ports) {
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("port out of range: " + p);
            }
        }
        if (ratePerSecond < 1) {
            throw new IllegalArgumentException("rate must be at least 1 per second");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        if (authorizedBy == null || authorizedBy.isBlank()) {
            throw new IllegalArgumentException(
                    "--authorized-by is required: say who authorised this scan, and when");
        }
    }

    public boolean allows(SafetyClass safetyClass) {
        return safetyClasses.contains(safetyClass);
    }
}
