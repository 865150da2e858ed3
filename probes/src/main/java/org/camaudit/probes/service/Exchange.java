package org.camaudit.probes.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.camaudit.probes.ProbeContext;
import org.camaudit.probes.ProbeLimits;

/**
 * One bounded conversation with a device over a guarded TCP connection. It enforces the
 * {@link ProbeLimits}: each read waits at most the per-read limit, the total deadline is checked
 * before every read (so a one-byte-a-second drip ends at the total limit), and a watchdog closes
 * the socket at the deadline, which also bounds TLS handshakes and writes. At most
 * {@code maxReplyBytes} are read; asking for more fails with "reply exceeded N bytes".
 */
final class Exchange implements AutoCloseable {
    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private final Socket plain;
    private final ProbeLimits limits;
    private final long deadlineNanos;
    private final ScheduledFuture<?> alarm;
    private volatile boolean expired;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private long received;

    private Exchange(Socket plain, ProbeLimits limits, long startNanos) throws IOException {
        this.plain = plain;
        this.limits = limits;
        this.deadlineNanos = startNanos + limits.total().toNanos();
        this.socket = plain;
        this.in = plain.getInputStream();
        this.out = plain.getOutputStream();
        long delay = Math.max(0, deadlineNanos - System.nanoTime());
        this.alarm = WATCHDOG.schedule(this::expire, delay, TimeUnit.NANOSECONDS);
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "camaudit-probe-watchdog");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /**
     * Connects through the guarded network; the connect may take the connect limit, and counts
     * against the total. A refused scope throws {@link org.camaudit.probes.ScopeRefusedException}.
     */
    static Exchange open(ProbeContext context, InetAddress address, int port) throws IOException {
        ProbeLimits limits = context.limits();
        long start = System.nanoTime();
        Duration connectLimit = min(limits.connect(), limits.total());
        Socket socket;
        try {
            socket = context.network().connect(new InetSocketAddress(address, port), connectLimit);
        } catch (SocketTimeoutException e) {
            throw new ProbeFailure("connect timeout");
        } catch (ConnectException e) {
            String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            throw new ProbeFailure(m.contains("refused")
                    ? "connection refused"
                    : m.contains("timed out") ? "connect timeout" : "connect failed: " + m);
        } catch (NoRouteToHostException e) {
            throw new ProbeFailure("unreachable");
        } catch (IOException e) {
            String transport = transportError(e);
            throw new ProbeFailure(transport != null
                    ? transport
                    : "connect failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        try {
            return new Exchange(socket, limits, start);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void expire() {
        expired = true;
        closeQuietly(plain);
    }

    private long remainingMillis() {
        return (deadlineNanos - System.nanoTime()) / 1_000_000;
    }

    private ProbeFailure totalTimeout() {
        return new ProbeFailure("timeout (total " + limits.total().toMillis() + " ms)");
    }

    /** Replaces the plain streams with a TLS layer after its handshake. */
    SSLSocket startTls(TlsClient tls, String host, int port) throws IOException {
        long remaining = remainingMillis();
        if (remaining <= 0) {
            throw totalTimeout();
        }
        plain.setSoTimeout((int) Math.max(1, Math.min(limits.read().toMillis(), remaining)));
        try {
            SSLSocket ssl = tls.handshake(plain, host, port);
            this.socket = ssl;
            this.in = ssl.getInputStream();
            this.out = ssl.getOutputStream();
            return ssl;
        } catch (IOException e) {
            if (expired || remainingMillis() <= 0) {
                throw totalTimeout();
            }
            if (e instanceof SocketTimeoutException) {
                throw new ProbeFailure("timeout");
            }
            String describedAsTransport = transportError(e);
            if (describedAsTransport != null) {
                throw new ProbeFailure(describedAsTransport);
            }
            throw new ProbeFailure(TlsClient.describeHandshakeFailure(e));
        }
    }

    void write(byte[] data) throws IOException {
        if (expired || remainingMillis() <= 0) {
            throw totalTimeout();
        }
        try {
            out.write(data);
            out.flush();
        } catch (IOException e) {
            throw describe(e);
        }
    }

    /** Reads like {@link InputStream#read(byte[], int, int)}; -1 at the end of the stream. */
    int read(byte[] buffer, int offset, int length) throws IOException {
        int got = poll(buffer, offset, length, limits.read().toMillis());
        if (got == 0) {
            throw new ProbeFailure("timeout");
        }
        return got;
    }

    /**
     * Reads what arrives within {@code waitMillis} (capped by the per-read and total limits): the
     * number of bytes, 0 when nothing came in time, -1 at the end of the stream.
     */
    int poll(byte[] buffer, int offset, int length, long waitMillis) throws IOException {
        long allowed = (long) limits.maxReplyBytes() + 1 - received;
        if (allowed <= 0) {
            throw new ProbeFailure("reply exceeded " + limits.maxReplyBytes() + " bytes");
        }
        long remaining = remainingMillis();
        if (expired || remaining <= 0) {
            throw totalTimeout();
        }
        long wait = Math.max(1,
                Math.min(Math.min(waitMillis, limits.read().toMillis()), remaining));
        int got;
        try {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, wait));
            got = in.read(buffer, offset, (int) Math.min(length, allowed));
        } catch (SocketTimeoutException e) {
            if (expired || remainingMillis() <= 0) {
                throw totalTimeout();
            }
            return 0;
        } catch (IOException e) {
            throw describe(e);
        }
        if (got > 0) {
            received += got;
            if (received > limits.maxReplyBytes()) {
                throw new ProbeFailure("reply exceeded " + limits.maxReplyBytes() + " bytes");
            }
        }
        return got;
    }

    private IOException describe(IOException e) {
        if (e instanceof ProbeFailure) {
            return e;
        }
        if (expired || remainingMillis() <= 0) {
            return totalTimeout();
        }
        if (e instanceof SocketTimeoutException) {
            return new ProbeFailure("timeout");
        }
        String transport = transportError(e);
        return new ProbeFailure(transport != null
                ? transport
                : e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    /** The observation's error text for a failure that escaped the exchange's own wording. */
    static String explain(IOException e) {
        if (e instanceof ProbeFailure) {
            return e.getMessage();
        }
        if (e instanceof SocketTimeoutException) {
            return "timeout";
        }
        String transport = transportError(e);
        return transport != null ? transport : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static String transportError(IOException e) {
        if (e instanceof SocketException) {
            String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("reset") || m.contains("broken pipe")) {
                return "reset";
            }
            if (m.contains("closed")) {
                return "closed";
            }
        }
        if (e instanceof java.io.EOFException) {
            return "closed";
        }
        Throwable cause = e.getCause();
        if (cause instanceof IOException io && cause != e) {
            return transportError(io);
        }
        return null;
    }

    @Override
    public void close() {
        alarm.cancel(false);
        // Close the plain socket only: a TLS close_notify could wait on a hostile peer.
        closeQuietly(plain);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing left to do with a socket we are dropping
        }
    }
}
