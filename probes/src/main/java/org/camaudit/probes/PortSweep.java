package org.camaudit.probes;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A non-blocking TCP connect sweep. Each worker thread (one per core by default) owns a selector
 * and keeps its share of {@code concurrency} connects in flight, paced by the network's shared rate
 * limiter; a host is swept wholly by one worker, so per-host state needs no locks. The connect
 * timeout follows measured round trips (RFC 6298 smoothing, clamped between {@code minTimeout}
 * and {@code maxTimeout}); a connect that gets no answer is retried up to {@code retries} times. A
 * refused connect costs one round trip; a silent host costs one timeout per port and attempt,
 * shared with everything else in flight.
 */
public final class PortSweep {
    /** Receives results; called from the worker threads, so it must be thread-safe. */
    public interface Listener {
        void open(InetAddress address, int port, long rttMicros);

        /** Called once per address after its last port is decided. */
        default void addressDone(InetAddress address) {
        }
    }

    /** Sweep settings; {@code workers} selector threads share {@code concurrency}. */
    public record Settings(int concurrency, int retries, long minTimeoutMillis,
            long maxTimeoutMillis, int workers) {
        public static Settings defaults(int concurrency) {
            return new Settings(concurrency, 1, 100, 3000, defaultWorkers());
        }

        public static int defaultWorkers() {
            return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        }

        public Settings {
            if (concurrency < 1 || retries < 0 || minTimeoutMillis < 1
                    || maxTimeoutMillis < minTimeoutMillis || workers < 1) {
                throw new IllegalArgumentException("bad sweep settings");
            }
        }
    }

    /** Counts of one sweep. */
    public record Result(long addresses, long attempts, long open, long refused, long silent,
            long localErrors) {
        Result plus(Result o) {
            return new Result(addresses + o.addresses, attempts + o.attempts, open + o.open,
                    refused + o.refused, silent + o.silent, localErrors + o.localErrors);
        }
    }

    private final Network network;
    private final List<Integer> ports;
    private final Settings settings;
    private final Progress progress;

    public PortSweep(Network network, List<Integer> ports, Settings settings, Progress progress) {
        this.network = network;
        this.ports = List.copyOf(ports);
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * Sweeps every target on every port; returns when all are decided, or early (with what was
     * decided) when the calling thread is interrupted.
     */
    public Result run(Iterator<InetAddress> targets, Listener listener) throws IOException {
        int n = settings.workers();
        Iterator<InetAddress> shared = new Iterator<>() {
            @Override
            public synchronized boolean hasNext() {
                return targets.hasNext();
            }

            @Override
            public synchronized InetAddress next() {
                return targets.hasNext() ? targets.next() : null;
            }
        };
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int share = settings.concurrency() / n + (i < settings.concurrency() % n ? 1 : 0);
            workers.add(new Worker(Math.max(1, share), shared, listener));
        }
        if (n == 1) {
            workers.get(0).run();
        } else {
            List<Thread> threads = new ArrayList<>();
            for (Worker w : workers) {
                threads.add(Thread.ofPlatform().name("camaudit-sweep").start(w));
            }
            try {
                for (Thread t : threads) {
                    t.join();
                }
            } catch (InterruptedException e) {
                threads.forEach(Thread::interrupt);
                for (Thread t : threads) {
                    try {
                        t.join(2000);
                    } catch (InterruptedException again) {
                        break;
                    }
                }
                Thread.currentThread().interrupt();
            }
        }
        Result total = new Result(0, 0, 0, 0, 0, 0);
        for (Worker w : workers) {
            if (w.failure != null) {
                throw w.failure;
            }
            total = total.plus(w.result());
        }
        return total;
    }

    /** Timeout for a worker that has not measured anything yet, and its bounds. */
    long initialTimeoutNanos() {
        return new Worker(1, null, null).timeoutNanos();
    }

    /** The connect engine this machine will use: epoll (Linux, native) or nio. */
    public static String engine() {
        return ConnectEngine.chosen();
    }

    private final class Worker implements Runnable {
        private final int window;
        private final Iterator<InetAddress> targets;
        private final Listener listener;
        private final ArrayDeque<ConnectAttempt> inFlight = new ArrayDeque<>();
        private final ArrayDeque<ConnectAttempt> retries = new ArrayDeque<>();
        private double srtt = -1; // RFC 6298 round-trip estimate, nanoseconds
        private double rttvar;
        private long addresses;
        private long attempts;
        private long open;
        private long refused;
        private long silent;
        private long localErrors;
        private ConnectAttempt.Host host;
        private int portIndex;
        private boolean exhausted;
        private ConnectEngine engine;
        IOException failure;

        Worker(int window, Iterator<InetAddress> targets, Listener listener) {
            this.window = window;
            this.targets = targets;
            this.listener = listener;
        }

        Result result() {
            return new Result(addresses, attempts, open, refused, silent, localErrors);
        }

        long timeoutNanos() {
            long min = TimeUnit.MILLISECONDS.toNanos(settings.minTimeoutMillis());
            long max = TimeUnit.MILLISECONDS.toNanos(settings.maxTimeoutMillis());
            long t = srtt < 0 ? TimeUnit.SECONDS.toNanos(1) : (long) (srtt + 4 * rttvar);
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

        /** The next (address, port) to try: a retry first, else the next port of the host. */
        private ConnectAttempt next() {
            ConnectAttempt retry = retries.poll();
            if (retry != null) {
                return retry;
            }
            if (host == null || portIndex == ports.size()) {
                InetAddress a = exhausted ? null : targets.next();
                if (a == null) {
                    exhausted = true;
                    return null;
                }
                host = new ConnectAttempt.Host(a, ports.size());
                addresses++;
                portIndex = 0;
            }
            return new ConnectAttempt(host, ports.get(portIndex++), 1);
        }

        @Override
        public void run() {
            try (ConnectEngine e = ConnectEngine.open(network, window)) {
                engine = e;
                loop();
            } catch (IOException e) {
                failure = e;
            }
        }

        private void loop() throws IOException {
            boolean more = true;
            while (!Thread.currentThread().isInterrupted()) {
                while (more && inFlight.size() < window) {
                    ConnectAttempt a = next();
                    if (a == null) {
                        more = false;
                        break;
                    }
                    start(a);
                }
                if (!more && inFlight.isEmpty() && retries.isEmpty()) {
                    return;
                }
                if (!more && !retries.isEmpty()) {
                    more = true; // retries re-enter the window
                }
                long wait = 1;
                ConnectAttempt oldest = firstLive();
                if (oldest != null) {
                    long left = oldest.started + timeoutNanos() - System.nanoTime();
                    wait = Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
                }
                engine.await(wait, this::completed);
                expire(System.nanoTime());
            }
        }

        private ConnectAttempt firstLive() {
            for (ConnectAttempt a : inFlight) {
                if (!a.done) {
                    return a;
                }
            }
            return null;
        }

        private void expire(long now) {
            long timeout = timeoutNanos();
            while (!inFlight.isEmpty()) {
                ConnectAttempt a = inFlight.peekFirst();
                if (a.done) {
                    inFlight.pollFirst();
                    continue;
                }
                if (now - a.started < timeout) {
                    return;
                }
                inFlight.pollFirst();
                engine.abandon(a);
                a.done = true;
                if (a.tries <= settings.retries()) {
                    retries.add(new ConnectAttempt(a.host, a.port, a.tries + 1));
                } else {
                    silent++;
                    decided(a);
                }
            }
        }

        private void start(ConnectAttempt a) throws IOException {
            attempts++;
            switch (engine.start(a)) {
                case PENDING -> inFlight.addLast(a);
                case OPEN -> {
                    a.done = true;
                    opened(a, 0);
                }
                case REFUSED -> {
                    a.done = true;
                    refused++;
                    decided(a);
                }
                case LOCAL_ERROR -> {
                    a.done = true;
                    localErrors++;
                    decided(a);
                }
            }
        }

        private void completed(ConnectAttempt a, boolean isOpen) {
            if (a.done) {
                return;
            }
            a.done = true;
            long rtt = System.nanoTime() - a.started;
            sample(rtt);
            if (isOpen) {
                opened(a, rtt);
            } else {
                refused++;
                decided(a);
            }
        }

        private void opened(ConnectAttempt a, long rttNanos) {
            open++;
            listener.open(a.host.address, a.port, TimeUnit.NANOSECONDS.toMicros(rttNanos));
            decided(a);
        }

        private void decided(ConnectAttempt a) {
            progress.advance(1);
            if (--a.host.pending == 0) {
                listener.addressDone(a.host.address);
            }
        }
    }
}
