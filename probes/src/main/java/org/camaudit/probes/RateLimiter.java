package org.camaudit.probes;

import java.util.concurrent.locks.LockSupport;

/**
 * A token bucket: at most {@code perSecond} permits a second, with a burst of one twentieth of a
 * second's worth. Shared by every sender so the operator's rate holds across probes.
 */
public final class RateLimiter {
    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    public RateLimiter(int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("rate must be at least 1 per second");
        }
        this.perNano = perSecond / 1e9;
        this.burst = Math.max(1.0, perSecond / 20.0);
        this.tokens = burst;
        this.last = System.nanoTime();
    }

    /** Blocks until a permit is available. */
    public void acquire() {
        long wait;
        while ((wait = tryAcquire()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    /** Takes a permit and returns 0, or returns the nanoseconds to wait before one is available. */
    public synchronized long tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return 0;
        }
        return Math.max(1, (long) ((1.0 - tokens) / perNano));
    }
}
