package org.camaudit.probes;

import java.io.IOException;
import java.util.Locale;

/**
 * How the sweep makes and watches its non-blocking connects: portable NIO, or Linux epoll through
 * the Foreign Function and Memory API (about half the system calls per connect, no exception per
 * refused port). Engines are confined to the worker thread that opened them. Every engine asks the
 * {@link Network} to admit a target before it creates a socket.
 */
interface ConnectEngine extends AutoCloseable {
    enum Outcome {
        /** The answer comes later, through {@link #await}. */
        PENDING,
        /** Connected at once (closed already). */
        OPEN,
        /** Refused at once: a reset, or no route. */
        REFUSED,
        /** Our side failed (ports, descriptors): says nothing about the device. */
        LOCAL_ERROR
    }

    /** Receives the attempts that were decided; their sockets are already closed. */
    interface Completion {
        void done(ConnectAttempt attempt, boolean open);
    }

    /** Starts the connect; sets {@code attempt.started}. */
    Outcome start(ConnectAttempt attempt) throws IOException;

    /** Waits at most {@code millis} for answers and passes each decided attempt on. */
    void await(long millis, Completion completion) throws IOException;

    /** Gives up on a pending attempt (timed out) and closes its socket. */
    void abandon(ConnectAttempt attempt);

    @Override
    void close();

    /**
     * Opens the engine named by the system property {@code camaudit.sweep.engine} ({@code epoll}
     * or {@code nio}); by default epoll where it is available, else NIO.
     */
    static ConnectEngine open(Network network, int window) throws IOException {
        String wanted = System.getProperty("camaudit.sweep.engine", "auto").toLowerCase(
                Locale.ROOT);
        if (!wanted.equals("nio") && EpollConnectEngine.available()) {
            return new EpollConnectEngine(network, window);
        }
        if (wanted.equals("epoll")) {
            throw new IOException("the epoll sweep engine is not available here: "
                    + EpollConnectEngine.unavailableReason());
        }
        return new NioConnectEngine(network);
    }

    /** The engine {@link #open} would choose. */
    static String chosen() {
        String wanted = System.getProperty("camaudit.sweep.engine", "auto");
        return !wanted.equals("nio") && EpollConnectEngine.available() ? "epoll" : "nio";
    }
}
