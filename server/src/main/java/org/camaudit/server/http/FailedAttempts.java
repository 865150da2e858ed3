package org.camaudit.server.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed authentications per client address in a fixed window: after {@code limit} failures an
 * address is refused (429) until its window ends, whatever token it sends. The table holds at
 * most {@link #MAX_ADDRESSES} addresses; ended windows are dropped when it fills.
 */
public final class FailedAttempts {
    static final int MAX_ADDRESSES = 100_000;

    private record Window(Instant start, int failures) {
    }

    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final ConcurrentHashMap<String, Window> byAddress = new ConcurrentHashMap<>();

    FailedAttempts(int limit, Duration window, Clock clock) {
        if (limit < 1) {
            throw new IllegalArgumentException("the failed-attempt limit is at least 1");
        }
        this.limit = limit;
        this.window = window;
        this.clock = clock;
    }

    /** True when this address used up its failures in the current window. */
    public boolean blocked(String address) {
        Window w = byAddress.get(address);
        return w != null && current(w) && w.failures() >= limit;
    }

    /** Counts one failure of this address. */
    public void fail(String address) {
        if (byAddress.size() >= MAX_ADDRESSES) {
            byAddress.values().removeIf(w -> !current(w));
        }
        Instant now = clock.instant();
        byAddress.merge(address, new Window(now, 1), (old, one) -> current(old)
                ? new Window(old
                        .start(), old.failures() + 1)
                : one);
    }

    /** Seconds until this address may try again. */
    public long retryAfterSeconds(String address) {
        Window w = byAddress.get(address);
        if (w == null) {
            return 0;
        }
        return Math.max(1, Duration.between(clock.instant(), w.start().plus(window)).toSeconds());
    }

    private boolean current(Window w) {
        return clock.instant().isBefore(w.start().plus(window));
    }
}
