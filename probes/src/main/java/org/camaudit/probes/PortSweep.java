package org.camaudit.probes;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A non-blocking TCP connect sweep: one selector thread keeps up to {@code concurrency} connects in
 * flight, paced by the network's rate limiter. The connect timeout follows measured round trips
 * (RFC 6298 smoothing, clamped between {@code minTimeout} and {@code maxTimeout}); a connect that
 * times out is retried up to {@code retries} times. A refused connect costs one round trip; a
 * silent host costs one timeout per port and attempt, shared with everything else in flight.
 */
public final class PortSweep {
    /** Receives results from the sweep thread. */
    public interface Listener {
        void open(InetAddress address, int port, long rttMicros);

        /** Called once per address after its last port is decided. */
        default void addressDone(InetAddress address) {
        }
    }

    /** Sweep settings. */
    public record Settings(int concurrency, int retries, long minTimeoutMillis,
            long maxTimeoutMillis) {
        public static Settings defaults(int concurrency) {
            return new Settings(concurrency, 1, 100, 3000);
        }

        public Settings {
            if (concurrency < 1 || retries < 0 || minTimeoutMillis < 1
                    || maxTimeoutMillis < minTimeoutMillis) {
                throw new IllegalArgumentException("bad sweep settings");
            }
        }
    }

    /** Counts of one sweep. */
    public record Result(long addresses, long attempts, long open, long refused, long silent,
            long localErrors, long timeoutMillis) {
    }

    private static final class Attempt {
        final HostState host;
        final int port;
        final int tries;
        final long started;
        SocketChannel channel;
        boolean done;

        Attempt(HostState host, int port, int tries, long started) {
            this.host = host;
            this.port = port;
            this.tries = tries;
            this.started = started;
        }
    }

    private static final class HostState {
        final InetAddress address;
        int pending;

        HostState(InetAddress address, int pending) {
            this.address = address;
            this.pending = pending;
        }
    }

    private final Network network;
    private final List<Integer> ports;
    private final Settings settings;
    private final Progress progress;

    // RFC 6298 round-trip estimate, in nanoseconds
    private double srtt = -1;
    private double rttvar;
    private long addresses;
    private long attempts;
    private long open;
    private long refused;
    private long silent;
    private long localErrors;

    public PortSweep(Network network, List<Integer> ports, Settings settings, Progress progress) {
        this.network = network;
        this.ports = List.copyOf(ports);
        this.settings = settings;
        this.progress = progress;
    }

    long timeoutNanos() {
        long min = TimeUnit.MILLISECONDS.toNanos(settings.minTimeoutMillis());
        long max = TimeUnit.MILLISECONDS.toNanos(settings.maxTimeoutMillis());
        if (srtt < 0) {
            return Math.min(max, Math.max(min, TimeUnit.SECONDS.toNanos(1)));
        }
        long t = (long) (srtt + 4 * rttvar);
        return Math.min(max, Math.max(min, t));
    }

    private void sample(long rttNanos) {
        if (srtt < 0) {
            srtt = rttNanos;
            rttvar = rttNanos / 2.0;
        } else {
            rttvar = 0.75 * rttvar + 0.25 * Math.abs(srtt - rttNanos);
            srtt = 0.875 * srtt + 0.125 * rttNanos;
        }
    }

    /** Sweeps every target on every port; returns when all are decided or the thread is interrupted. */
    public Result run(Iterator<InetAddress> targets, Listener listener) throws IOException {
        ArrayDeque<Attempt> inFlight = new ArrayDeque<>();
        ArrayDeque<Attempt> retryQueue = new ArrayDeque<>();
        HostState host = null;
        int portIndex = 0;
        try (Selector selector = Selector.open()) {
            while (!Thread.currentThread().isInterrupted()) {
                // 1. fill the window: retries first, then new (address, port) pairs
                while (inFlight.size() < settings.concurrency()) {
                    Attempt next = retryQueue.poll();
                    if (next == null) {
                        if (host == null || portIndex == ports.size()) {
                            if (!targets.hasNext()) {
                                break;
                            }
                            host = new HostState(targets.next(), ports.size());
                            addresses++;
                            portIndex = 0;
                        }
                        next = new Attempt(host, ports.get(portIndex++), 1, 0);
                    }
                    start(next, selector, inFlight, listener);
                }
                if (inFlight.isEmpty() && retryQueue.isEmpty()
                        && (host == null || portIndex == ports.size()) && !targets.hasNext()) {
                    break;
                }
                // 2. wait for connects to finish, no longer than the oldest attempt's deadline
                long wait = 1;
                Attempt oldest = firstLive(inFlight);
                if (oldest != null) {
                    long left = oldest.started + timeoutNanos() - System.nanoTime();
                    wait = Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
                }
                selector.select(wait);
                long now = System.nanoTime();
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    Attempt a = (Attempt) key.attachment();
                    finish(a, now, listener);
                }
                // 3. expire attempts past the adaptive timeout
                long timeout = timeoutNanos();
                while (!inFlight.isEmpty()) {
                    Attempt a = inFlight.peekFirst();
                    if (a.done) {
                        inFlight.pollFirst();
                        continue;
                    }
                    if (now - a.started < timeout) {
                        break;
                    }
                    inFlight.pollFirst();
                    close(a);
                    a.done = true;
                    if (a.tries <= settings.retries()) {
                        retryQueue.add(new Attempt(a.host, a.port, a.tries + 1, 0));
                    } else {
                        silent++;
                        decided(a, listener);
                    }
                }
            }
        } finally {
            for (Attempt a : inFlight) {
                close(a);
            }
        }
        return new Result(addresses, attempts, open, refused, silent, localErrors,
                TimeUnit.NANOSECONDS.toMillis(timeoutNanos()));
    }

    private static Attempt firstLive(ArrayDeque<Attempt> inFlight) {
        for (Attempt a : inFlight) {
            if (!a.done) {
                return a;
            }
        }
        return null;
    }

    private void start(Attempt a, Selector selector, ArrayDeque<Attempt> inFlight,
            Listener listener) throws IOException {
        InetSocketAddress target = new InetSocketAddress(a.host.address, a.port);
        attempts++;
        Attempt live = new Attempt(a.host, a.port, a.tries, 0);
        try {
            SocketChannel channel = network.startConnect(target);
            live = new Attempt(a.host, a.port, a.tries, System.nanoTime());
            live.channel = channel;
            if (channel.isConnected()) {
                live.done = true;
                opened(live, 0, listener);
                close(live);
                return;
            }
            channel.register(selector, SelectionKey.OP_CONNECT, live);
            inFlight.addLast(live);
        } catch (ConnectException e) {
            refused++;
            decided(live, listener);
        } catch (NoRouteToHostException e) {
            refused++;
            decided(live, listener);
        } catch (IOException e) {
            // local resource trouble (ephemeral ports, file descriptors): not the device's answer
            localErrors++;
            decided(live, listener);
        }
    }

    private void finish(Attempt a, long now, Listener listener) {
        if (a.done) {
            return;
        }
        long rtt = now - a.started;
        try {
            if (!a.channel.finishConnect()) {
                return; // not yet decided; keep waiting
            }
            a.done = true;
            sample(rtt);
            opened(a, rtt, listener);
        } catch (IOException e) {
            a.done = true;
            sample(rtt);
            refused++;
            decided(a, listener);
        }
        if (a.done) {
            close(a);
        }
    }

    private void opened(Attempt a, long rttNanos, Listener listener) {
        open++;
        listener.open(a.host.address, a.port, TimeUnit.NANOSECONDS.toMicros(rttNanos));
        decided(a, listener);
    }

    private void decided(Attempt a, Listener listener) {
        progress.advance(1);
        if (--a.host.pending == 0) {
            listener.addressDone(a.host.address);
        }
    }

    private static void close(Attempt a) {
        if (a.channel != null) {
            try {
                a.channel.close();
            } catch (IOException ignored) {
                // closing a socket we are abandoning; nothing to keep
            }
        }
    }
}
