package org.camaudit.cli;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C or SIGTERM during a long run: the shutdown hook asks the working thread to stop (a flag
 * and an interrupt), waits up to ten seconds until that thread has stored what it gathered and
 * printed its summary, then exits 130. Shared by {@code scan}, {@code demo} and {@code collect}.
 */
final class OperatorStop {
    private final AtomicBoolean requested = new AtomicBoolean();
    private final CountDownLatch recorded = new CountDownLatch(1);
    private final Thread hook;

    private OperatorStop(Thread working, PrintWriter out, PrintWriter err) {
        this.hook = new Thread(() -> {
            requested.set(true);
            working.interrupt();
            try {
                if (recorded.await(10, TimeUnit.SECONDS)) {
                    err.flush();
                    out.flush();
                    Runtime.getRuntime().halt(ExitCode.INTERRUPTED);
                }
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "camaudit-interrupt");
    }

    /** Watches for a stop of the calling thread's work. */
    static OperatorStop install(PrintWriter out, PrintWriter err) {
        OperatorStop stop = new OperatorStop(Thread.currentThread(), out, err);
        Runtime.getRuntime().addShutdownHook(stop.hook);
        return stop;
    }

    /** True once the operator asked to stop. */
    boolean requested() {
        return requested.get();
    }

    /**
     * What was gathered is stored and reported: a pending stop may now exit 130; without one the
     * hook is removed.
     */
    void recorded() {
        if (!requested.get()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the stop arrived just now; the hook exits once we count down
            }
        }
        recorded.countDown();
    }
}
