package org.camaudit.rules.findings;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camaudit.model.Finding;

/**
 * {@code volume-over-baseline}: a device's bytes per time bin (flows it initiated, both directions
 * as folded) against its own baseline. A flow's bytes are spread evenly over its first..last span
 * (a folded pair seen all day counts a little in every bin, not all in its first); a flow without
 * times is not counted. The bins run over the whole scan (the earliest to the latest flow time
 * seen), a device's silent bins counting zero. A bin is raised when it exceeds max(factor x the
 * median of the device's other bins, floor), with at least {@code minBins} other bins: one
 * capture or flow export must span that many bins before anything can be said. Bounded: at most
 * {@value #MAX_BINS} non-empty bins per device, and a flow spanning more bins than that is not
 * counted.
 */
final class VolumeBaseline {
    static final int MAX_BINS = 10_080;
    private static final int MAX_LISTED = 5;

    private final BehaviourDetector.VolumeThresholds limits;
    private final long binMillis;
    private final Map<String, Map<Long, Long>> bins = new HashMap<>();
    private long firstBin = Long.MAX_VALUE;
    private long lastBin = Long.MIN_VALUE;

    VolumeBaseline(BehaviourDetector.VolumeThresholds limits) {
        this.limits = limits;
        this.binMillis = limits.bin().toMillis();
    }

    void flow(TrafficFlow f) {
        if (!f.timed() || f.bytes() <= 0) {
            return;
        }
        long start = f.first().get().toEpochMilli();
        long end = f.last().get().toEpochMilli();
        long from = Math.floorDiv(start, binMillis);
        long to = Math.floorDiv(end, binMillis);
        if (to - from >= MAX_BINS) {
            return;
        }
        firstBin = Math.min(firstBin, from);
        lastBin = Math.max(lastBin, to);
        Map<Long, Long> mine = bins.computeIfAbsent(f.src(), k -> new HashMap<>());
        long left = f.bytes();
        for (long b = from; b <= to; b++) {
            long share = b == to
                    ? left
                    : Math.round((double) f.bytes() * (Math.min(end, (b + 1) * binMillis) - Math
                            .max(start, b * binMillis)) / (end - start));
            share = Math.min(share, left);
            left -= share;
            if (share > 0 && (mine.size() < MAX_BINS || mine.containsKey(b))) {
                mine.merge(b, share, Long::sum);
            }
        }
    }

    void finish(String address, String key, List<Finding> out) {
        Map<Long, Long> mine = bins.getOrDefault(address, Map.of());
        long span = lastBin - firstBin + 1;
        if (mine.isEmpty() || span - 1 < limits.minBins()) {
            return;
        }
        long[] sorted = mine.values().stream().mapToLong(Long::longValue).sorted().toArray();
        long zeros = span - sorted.length;
        List<long[]> over = new ArrayList<>();
        for (Map.Entry<Long, Long> e : mine.entrySet()) {
            long v = e.getValue();
            if (v <= limits.floorBytes()) {
                continue;
            }
            double median = medianWithout(sorted, zeros, Arrays.binarySearch(sorted, v));
            double threshold = Math.max(limits.factor() * median, limits.floorBytes());
            if (v > threshold) {
                over.add(new long[]{e.getKey(), v, Math.round(median), Math.round(threshold)});
            }
        }
        if (over.isEmpty()) {
            return;
        }
        over.sort((a, b) -> Long.compare(b[1], a[1]));
        long[] peak = over.get(0);
        List<String> evidence = new ArrayList<>();
        evidence.add("behaviour: " + over.size() + " of " + span + " bins of " + limits.bin()
                .toSeconds() + " s over max(" + limits.factor() + " x the device's median, "
                + limits.floorBytes() + " bytes)");
        for (long[] b : over.subList(0, Math.min(MAX_LISTED, over.size()))) {
            evidence.add("bin " + start(b[0]) + ": " + b[1] + " bytes (median of the other bins "
                    + b[2] + ", threshold " + b[3] + ")");
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("bin_seconds", Long.toString(limits.bin().toSeconds()));
        details.put("peak_bin", start(peak[0]).toString());
        details.put("peak_bytes", Long.toString(peak[1]));
        details.put("median_bytes", Long.toString(peak[2]));
        details.put("threshold_bytes", Long.toString(peak[3]));
        details.put("bins", Long.toString(span));
        details.put("bins_over", Integer.toString(over.size()));
        out.add(new Finding(BehaviourDetector.VOLUME, Finding.Kind.BEHAVIOUR,
                Finding.Severity.HIGH, key, address, "Sends far more than usual (" + peak[1]
                        + " bytes in one " + limits.bin().toSeconds() + " s bin)",
                evidence, Optional.empty(), Finding.Remediation.MONITOR, details));
    }

    private Instant start(long bin) {
        return Instant.ofEpochMilli(bin * binMillis);
    }

    /**
     * The median of all bins but one: {@code zeros} empty bins, then {@code sorted}, without the
     * element at {@code removed} of {@code sorted}.
     */
    static double medianWithout(long[] sorted, long zeros, int removed) {
        long n = zeros + sorted.length - 1;
        if (n <= 0) {
            return 0;
        }
        long lower = (n - 1) / 2;
        long upper = n / 2;
        return (at(sorted, zeros, removed, lower) + at(sorted, zeros, removed, upper)) / 2.0;
    }

    private static long at(long[] sorted, long zeros, int removed, long k) {
        if (k < zeros) {
            return 0;
        }
        int i = (int) (k - zeros);
        return sorted[i < removed ? i : i + 1];
    }
}
