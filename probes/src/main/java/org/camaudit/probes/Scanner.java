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

    /** Runs the scan; returns early with what was gathered if the thread is interrupted. */
    public ScanSummary run(Consumer<Observation> sink) throws IOException {
        long started = System.nanoTime();
        ScopeGuard guard = network.guard();
        List<Integer> ports = guard.scope().ports();
        Set<String> up = ConcurrentHashMap.newKeySet();
        Map<InetAddress, SortedSet<Integer>> open = new ConcurrentHashMap<>();
        Consumer<Observation> counted = o -> {
            sink.accept(o);
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
            PortSweep.Result result = sweep.run(guard.targets(), new PortSweep.Listener() {
                @Override
                public void open(InetAddress address, int port, long rttMicros) {
                    progress.openPort();
                    open.computeIfAbsent(address, a -> new TreeSet<>()).add(port);
                    counted.accept(Observation.builder(Source.ACTIVE, address.getHostAddress())
                            .port(port).transport(Transport.TCP).protocol("tcp")
                            .field(Fields.STATE, "open").field(Fields.RTT_MICROS, Long.toString(
                                    rttMicros))
                            .build());
                }

                @Override
                public void addressDone(InetAddress address) {
                    SortedSet<Integer> ports = open.get(address);
                    if (ports == null || options.sweepOnly()) {
                        return;
                    }
                    services.submit(() -> probeHost(address, ports, context, slots, counted));
                }
            });
            addresses = result.addresses();
            if (!options.sweepOnly() && options.udp() && !Thread.currentThread().isInterrupted()) {
                progress.phase("udp discovery", guard.addressCount().longValue());
                Iterator<InetAddress> targets = guard.targets();
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
                }, counted);
            }
            if (!options.sweepOnly()) {
                progress.phase("service probes", open.size());
                servicePhase = true;
                progress.advance(hostsProbed.get());
            }
            services.shutdown();
            while (!services.awaitTermination(200, TimeUnit.MILLISECONDS)) {
                if (Thread.currentThread().isInterrupted()) {
                    services.shutdownNow();
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopped while waiting for service probes
        }
        long probed = addresses;
        long openPorts = open.values().stream().mapToLong(Set::size).sum();
        return new ScanSummary(probed, up.size(), openPorts, progress.observations(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private void probeHost(InetAddress address, SortedSet<Integer> ports, ProbeContext context,
            Semaphore slots, Consumer<Observation> sink) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            for (Observation o : prober.probeHost(address, ports, context)) {
                sink.accept(o);
            }
        } catch (RuntimeException e) {
            if (e instanceof ScopeRefusedException) {
                throw e;
            }
            // a probe bug must not end the scan: keep it as data
            sink.accept(Observation.builder(Source.ACTIVE, address.getHostAddress()).protocol(
                    "probe").error("probe failed: " + e).build());
        } finally {
            slots.release();
            hostsProbed.incrementAndGet();
            if (servicePhase) {
                progress.advance(1);
            }
        }
    }
}
