package org.camaudit.probes;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * The only way camaudit's probes reach the network. Every connection and datagram passes the
 * {@link ScopeGuard} and the shared {@link RateLimiter} first; a refused destination throws
 * {@link ScopeRefusedException} before any byte leaves.
 */
public final class Network {
    private final ScopeGuard guard;
    private final RateLimiter limiter;
    private final LongAdder connects = new LongAdder();
    private final LongAdder datagrams = new LongAdder();

    public Network(ScopeGuard guard, RateLimiter limiter) {
        this.guard = guard;
        this.limiter = limiter;
    }

    public ScopeGuard guard() {
        return guard;
    }

    public RateLimiter limiter() {
        return limiter;
    }

    private void admit(InetSocketAddress target) {
        if (target.isUnresolved()) {
            throw new ScopeRefusedException(target.getHostString()
                    + " is unresolved; targets are resolved and checked by the scope guard");
        }
        guard.admit(target.getAddress());
    }

    /** A blocking TCP connection, made within {@code timeout}. The caller closes it. */
    public Socket connect(InetSocketAddress target, Duration timeout) throws IOException {
        admit(target);
        limiter.acquire();
        connects.increment();
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(target, (int) Math.max(1, timeout.toMillis()));
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Starts a non-blocking TCP connect; the caller registers the channel for OP_CONNECT and
     * closes it. A connect refused at once throws {@link java.net.ConnectException}.
     */
    public SocketChannel startConnect(InetSocketAddress target) throws IOException {
        admit(target);
        limiter.acquire();
        connects.increment();
        SocketChannel channel = SocketChannel.open(target.getAddress() instanceof Inet4Address
                ? StandardProtocolFamily.INET
                : StandardProtocolFamily.INET6);
        try {
            channel.configureBlocking(false);
            channel.connect(target);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Admits one connect for a sweep engine that makes its own sockets (the Linux epoll engine):
     * scope check, rate permit and count, in that order. Throws before anything is sent.
     */
    void admitConnect(InetSocketAddress target) {
        admit(target);
        limiter.acquire();
        connects.increment();
    }

    /** Sends one datagram from {@code channel} to {@code target}. */
    public void send(DatagramChannel channel, ByteBuffer payload, InetSocketAddress target)
            throws IOException {
        admit(target);
        limiter.acquire();
        datagrams.increment();
        channel.send(payload, target);
    }

    public long connectsStarted() {
        return connects.sum();
    }

    public long datagramsSent() {
        return datagrams.sum();
    }
}
