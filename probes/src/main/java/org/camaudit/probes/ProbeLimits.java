package org.camaudit.probes;

import java.time.Duration;

/**
 * Bounds that keep a hostile or broken device from hurting the scan.
 *
 * @param connect how long a TCP connect may take
 * @param read how long one read may wait for the next bytes
 * @param total how long one whole exchange (connect to last byte) may take
 * @param maxReplyBytes the most bytes read from one reply; the rest is never read
 */
public record ProbeLimits(Duration connect, Duration read, Duration total, int maxReplyBytes) {
    public static final ProbeLimits DEFAULT = new ProbeLimits(Duration.ofSeconds(3),
            Duration.ofSeconds(4), Duration.ofSeconds(10), 256 * 1024);

    public ProbeLimits {
        if (connect.isNegative() || connect.isZero() || read.isNegative() || read.isZero()
                || total.isNegative() || total.isZero()) {
            throw new IllegalArgumentException("probe time limits must be positive");
        }
        if (maxReplyBytes < 1024) {
            throw new IllegalArgumentException("maxReplyBytes must be at least 1024");
        }
    }
}
