package org.camaudit.cli;

import java.io.PrintWriter;
import org.camaudit.probes.Progress;

/**
 * Shows a running scan or analysis: a bar redrawn in place on a terminal, a plain line every five seconds
 * otherwise (logs, CI, pipes; {@code -Dcamaudit.progress.millis=N} in {@code CAMAUDIT_JAVA_OPTS}
 * changes the period). The plain line ends with the observations committed to the log so far:
 * what a kill at that moment cannot take away.
 */
final class ProgressReporter {
    private final java.util.function.Supplier<String> bar;
    private final java.util.function.Supplier<String> plain;
    private final PrintWriter err;
    private final boolean terminal;
    private final Thread thread;
    private volatile boolean running = true;

    private ProgressReporter(java.util.function.Supplier<String> bar,
            java.util.function.Supplier<String> plain, PrintWriter err, boolean terminal) {
        this.bar = bar;
        this.plain = plain;
        this.err = err;
        this.terminal = terminal;
        this.thread = Thread.ofPlatform().daemon().name("camaudit-progress").unstarted(this::loop);
    }

    static ProgressReporter start(Progress progress, java.util.function.LongSupplier stored,
            PrintWriter err) {
        return start(() -> line(progress, true), () -> line(progress, false) + String.format(
                " · %,d stored", stored.getAsLong()), err);
    }

    /**
     * Draws {@code bar} in place on a terminal, or logs {@code plain} as a line starting
     * {@code progress: }, each period; nothing before the first period has passed.
     */
    static ProgressReporter start(java.util.function.Supplier<String> bar,
            java.util.function.Supplier<String> plain, PrintWriter err) {
        ProgressReporter r = new ProgressReporter(bar, plain, err, isTerminal());
        r.thread.start();
        return r;
    }

    /** True when a person watches: progress is redrawn in place rather than logged. */
    static boolean isTerminal() {
        return System.console() != null && System.console().isTerminal();
    }

    private void loop() {
        long period = terminal ? 200 : Long.getLong("camaudit.progress.millis", 5000);
        while (running) {
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            if (running) {
                draw();
            }
        }
    }

    static String line(Progress p, boolean bar) {
        long total = Math.max(1, p.total());
        long done = Math.min(p.done(), total);
        int pct = (int) (100 * done / total);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-15s", p.phase()));
        if (bar) {
            int width = 24;
            int filled = (int) ((long) width * done / total);
            sb.append(" [").append("#".repeat(filled)).append(".".repeat(width - filled)).append(
                    "]");
        }
        sb.append(String.format(" %3d%% %,d/%,d · %,d open · %,d up · %,d obs · %.1fs", pct, done,
                p.total(), p.openPorts(), p.hostsUp(), p.observations(),
                p.elapsedMillis() / 1000.0));
        return sb.toString();
    }

    private synchronized void draw() {
        if (terminal) {
            err.print("\r" + bar.get() + "\u001b[K");
        } else {
            err.println("progress: " + plain.get());
        }
        err.flush();
    }

    synchronized void stop() {
        running = false;
        thread.interrupt();
        if (terminal) {
            err.print("\r\u001b[K");
            err.flush();
        }
    }
}
