package org.camaudit.probes;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Live counters of a running scan, written by the scanner's threads and read by whoever shows
 * progress (a bar on a terminal, periodic lines otherwise). Reading never blocks the scan.
 */
public final class Progress {
    private final AtomicReference<String> phase = new AtomicReference<>("starting");
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong openPorts = new AtomicLong();
    private final AtomicLong hostsUp = new AtomicLong();
    private final AtomicLong observations = new AtomicLong();
    private final long startedNanos = System.nanoTime();

    public void phase(String name, long totalWork) {
        done.set(0);
        total.set(totalWork);
        phase.set(name);
    }

    public void advance(long n) {
        done.addAndGet(n);
    }

    public void openPort() {
        openPorts.incrementAndGet();
    }

    public void hostUp() {
        hostsUp.incrementAndGet();
    }

    public void observed(long n) {
        observations.addAndGet(n);
    }

    public String phase() {
        return phase.get();
    }

    public long total() {
        return total.get();
    }

    public long done() {
        return done.get();
    }

    public long openPorts() {
        return openPorts.get();
    }

    public long hostsUp() {
        return hostsUp.get();
    }

    public long observations() {
        return observations.get();
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
