package org.camaudit.probes;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.camaudit.model.ScanSummary;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;

/**
 * One active scan: the TCP sweep, service probes on each host as soon as its sweep is decided
 * (pipelined, on virtual threads, bounded), then unicast UDP discovery. Every open port and every
 * probe reply goes to the sink as an observation; the sink must be thread-safe.
 */
public final class Scanner {
    /** Probes the open ports of one host (the service probes). */
    @FunctionalInterface
    public interface HostProber {
        List<Observation> probeHost(InetAddress address, SortedSet<Integer> openPorts,
                ProbeContext context);
    }

    /** Sends discovery datagrams to every target and passes each reply to the sink. */
    @FunctionalInterface
    public interface Discovery {
        void run(Iterator<InetAddress> targets, Consumer<Observation> sink) throws IOException;
    }

    /**
     * @param udp run UDP discovery
     * @param sweepOnly stop after the port sweep: no service probes, no UDP
     * @param serviceConcurrency hosts probed at once
     */
    public record Options(boolean udp, boolean sweepOnly, PortSweep.Settings sweep,
            ProbeLimits limits, int serviceConcurrency) {
    }

    /**
     * Told when a unit of work is complete, with everything that unit observed in one call, so
     * that a store can keep a unit and the mark that it is done in one transaction: after a crash
     * a unit is either stored and marked, or neither.
     */
    public interface Units {
        /**
         * Target number {@code index} (in {@link ScopeGuard#targets()} order) is done: swept, and
         * its service probes run if it had open ports.
         */
        void addressDone(long index, List<Observation> observed);

        /** UDP discovery is done; these are all its replies. */
        void discoveryDone(List<Observation> replies);

        /** Stopped midway (interrupted): what the unfinished units gathered, not marked done. */
        void unfinished(List<Observation> observed);
    }

    /**
     * What an earlier run of the same scan finished: those targets (by index) and, if so, UDP
     * discovery are not sent to again.
     */
    public record Done(java.util.function.LongPredicate address, boolean discovery) {
        public static final Done NOTHING = new Done(i -> false, false);
    }

    private final Network network;
    private final Options options;
    private final HostProber prober;
    private final Discovery discovery;
    private final Progress progress;
    private final AtomicLong hostsProbed = new AtomicLong();
    private volatile boolean servicePhase;

    public Scanner(Network network, Options options, HostProber prober, Discovery discovery,
            Progress progress) {
        this.network = network;
        this.options = options;
        this.prober = prober;
        this.discovery = discovery;
        this.progress = progress;
    }

    /**
     * Runs the scan, passing every observation to {@code sink} once its unit is complete (or when
     * interrupted); returns early with what was gathered if the thread is interrupted.
     */
    public ScanSummary run(Consumer<Observation> sink) throws IOException {
        return run(new Units() {
            @Override
            public void addressDone(long index, List<Observation> observed) {
                observed.forEach(sink);
            }

            @Override
            public void discoveryDone(List<Observation> replies) {
                replies.forEach(sink);
            }

            @Override
            public void unfinished(List<Observation> observed) {
                observed.forEach(sink);
            }
        }, Done.NOTHING);
    }

    /**
     * Runs the scan, skipping what {@code done} says an earlier run finished, and tells
     * {@code units} of each unit it completes. Interrupted, it tells {@code units} what the
     * unfinished ones gathered and returns.
     */
    public ScanSummary run(Units units, Done done) throws IOException {
        long started = System.nanoTime();
        ScopeGuard guard = network.guard();
        List<Integer> ports = guard.scope().ports();
        Set<String> up = ConcurrentHashMap.newKeySet();
        Map<InetAddress, SortedSet<Integer>> open = new ConcurrentHashMap<>();
        Map<InetAddress, Long> indexOf = new ConcurrentHashMap<>();
        Map<InetAddress, List<Observation>> held = new ConcurrentHashMap<>();
        Consumer<Observation> counted = o -> {
            progress.observed(1);
            if (up.add(o.address())) {
                progress.hostUp();
            }
        };
        ProbeContext context = new ProbeContext(network, options.limits(), guard.scope()
                .safetyClasses());
        Semaphore slots = new Semaphore(options.serviceConcurrency());
        servicePhase = false;
        long addresses = 0;
        try (ExecutorService services = Executors.newVirtualThreadPerTaskExecutor()) {
            progress.phase("sweep", guard.addressCount().longValue() * ports.size());
            PortSweep sweep = new PortSweep(network, ports, options.sweep(), progress);
            Iterator<InetAddress> all = guard.targets();
            Iterator<InetAddress> todo = new Iterator<>() {
                private long index = -1;
                private InetAddress next = advance();

                private InetAddress advance() {
                    while (all.hasNext()) {
                        InetAddress a = all.next();
                        index++;
                        if (!done.address().test(index)) {
                            indexOf.put(a, index);
                            return a;
                        }
                        progress.advance(ports.size()); // done by an earlier run
                    }
                    return null;
                }

                @Override
                public boolean hasNext() {
                    return next != null;
                }

                @Override
                public InetAddress next() {
                    if (next == null) {
                        throw new java.util.NoSuchElementException();
                    }
                    InetAddress a = next;
                    next = advance();
                    return a;
                }
            };
            PortSweep.Result result = sweep.run(todo, new PortSweep.Listener() {
                @Override
                public void open(InetAddress address, int port, long rttMicros) {
                    progress.openPort();
                    open.computeIfAbsent(address, a -> new TreeSet<>()).add(port);
                    Observation o = Observation.builder(Source.ACTIVE, address.getHostAddress())
                            .port(port).transport(Transport.TCP).protocol("tcp")
                            .field(Fields.STATE, "open").field(Fields.RTT_MICROS, Long.toString(
                                    rttMicros))
                            .build();
                    held.computeIfAbsent(address, a -> java.util.Collections.synchronizedList(
                            new java.util.ArrayList<>())).add(o);
                    counted.accept(o);
                }

                @Override
                public void addressDone(InetAddress address) {
                    SortedSet<Integer> ports = open.get(address);
                    if (ports == null || options.sweepOnly()) {
                        complete(address, indexOf, held, List.of(), units);
                        return;
                    }
                    services.submit(() -> probeHost(address, ports, context, slots, counted,
                            indexOf, held, units));
                }
            });
            addresses = result.addresses();
            if (!options.sweepOnly() && options.udp() && !done.discovery()
                    && !Thread.currentThread().isInterrupted()) {
                progress.phase("udp discovery", guard.addressCount().longValue());
                Iterator<InetAddress> targets = guard.targets();
                List<Observation> replies = java.util.Collections.synchronizedList(
                        new java.util.ArrayList<>());
                discovery.run(new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return targets.hasNext();
                    }

                    @Override
                    public InetAddress next() {
                        progress.advance(1);
                        return targets.next();
                    }
                }, o -> {
                    replies.add(o);
                    counted.accept(o);
                });
                if (Thread.currentThread().isInterrupted()) {
                    units.unfinished(List.copyOf(replies));
                } else {
                    units.discoveryDone(List.copyOf(replies));
                }
            }
            if (!options.sweepOnly()) {
                progress.phase("service probes", open.size());
                servicePhase = true;
                progress.advance(hostsProbed.get());
            }
            services.shutdown();
            try {
                while (!services.awaitTermination(200, TimeUnit.MILLISECONDS)) {
                    if (Thread.currentThread().isInterrupted()) {
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // stopped while waiting for service probes
            }
            if (Thread.currentThread().isInterrupted()) {
                // stop the probes under way (their sockets close), or closing the executor would
                // wait for each until its own timeout, long after the operator asked to stop
                services.shutdownNow();
            }
        }
        // what units still hold were stopped midway: kept, not marked done
        List<Observation> left = new java.util.ArrayList<>();
        held.values().forEach(l -> {
            synchronized (l) {
                left.addAll(l);
            }
        });
        held.clear();
        if (!left.isEmpty()) {
            units.unfinished(left);
        }
        long probed = addresses;
        long openPorts = open.values().stream().mapToLong(Set::size).sum();
        return new ScanSummary(probed, up.size(), openPorts, progress.observations(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** The unit of one target is complete: its sweep observations and these, then the mark. */
    private static void complete(InetAddress address, Map<InetAddress, Long> indexOf,
            Map<InetAddress, List<Observation>> held, List<Observation> probed, Units units) {
        List<Observation> unit = new java.util.ArrayList<>();
        List<Observation> swept = held.remove(address);
        if (swept != null) {
            synchronized (swept) {
                unit.addAll(swept);
            }
        }
        unit.addAll(probed);
        Long index = indexOf.remove(address);
        if (index != null) {
            units.addressDone(index, unit);
        }
    }

    private void probeHost(InetAddress address, SortedSet<Integer> ports, ProbeContext context,
            Semaphore slots, Consumer<Observation> counted, Map<InetAddress, Long> indexOf,
            Map<InetAddress, List<Observation>> held, Units units) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // its sweep observations stay held: kept as unfinished
        }
        List<Observation> probed = new java.util.ArrayList<>();
        try {
            probed.addAll(prober.probeHost(address, ports, context));
        } catch (RuntimeException e) {
            if (e instanceof ScopeRefusedException) {
                throw e;
            }
            // a probe bug must not end the scan: keep it as data
            probed.add(Observation.builder(Source.ACTIVE, address.getHostAddress()).protocol(
                    "probe").error("probe failed: " + e).build());
        } finally {
            slots.release();
            hostsProbed.incrementAndGet();
            if (servicePhase) {
                progress.advance(1);
            }
        }
        probed.forEach(counted);
        if (Thread.currentThread().isInterrupted()) {
            // cut short: kept, but not marked done, so a resumed scan probes it again
            List<Observation> swept = held.remove(address);
            List<Observation> unit = new java.util.ArrayList<>();
            if (swept != null) {
                synchronized (swept) {
                    unit.addAll(swept);
                }
            }
            unit.addAll(probed);
            units.unfinished(unit);
            return;
        }
        complete(address, indexOf, held, probed, units);
    }
}
