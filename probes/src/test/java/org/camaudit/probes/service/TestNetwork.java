package org.camaudit.probes.service;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.camaudit.model.SafetyClass;
import org.camaudit.model.Scope;
import org.camaudit.probes.Network;
import org.camaudit.probes.ProbeContext;
import org.camaudit.probes.ProbeLimits;
import org.camaudit.probes.RateLimiter;
import org.camaudit.probes.ScopeGuard;

/** The guarded network of the tests: scope 127.31.0.0/24 only, and a fresh address per device. */
final class TestNetwork {
    /** Small limits so hostile devices end quickly: connect 1 s, read 1 s, total 2 s, 64 KiB. */
    static final ProbeLimits FAST = new ProbeLimits(Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofSeconds(2), 64 * 1024);

    private static final AtomicInteger NEXT = new AtomicInteger(10);

    private TestNetwork() {
    }

    /** A loopback address inside the test scope that no other test in this run uses. */
    static String nextAddress() {
        int n = NEXT.getAndIncrement();
        if (n > 250) {
            throw new IllegalStateException("out of test addresses");
        }
        return "127.31.0." + n;
    }

    static Network network() {
        return new Network(new ScopeGuard(new Scope(List.of("127.31.0.0/24"), List.of(),
                Scope.CAMERA_PORTS, 1000, 10, SafetyClass.defaults(), false, false, "test")),
                new RateLimiter(1000));
    }

    static ProbeContext context() {
        return context(FAST);
    }

    static ProbeContext context(ProbeLimits limits) {
        return new ProbeContext(network(), limits, SafetyClass.defaults());
    }
}
