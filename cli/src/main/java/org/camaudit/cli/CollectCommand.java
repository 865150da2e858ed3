package org.camaudit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.camaudit.model.IpRange;
import org.camaudit.model.SiteRanges;
import org.camaudit.rules.findings.FindingEngine;
import org.camaudit.rules.geo.DestinationCountries;
import org.camaudit.store.ObservationLog;
import org.camaudit.traffic.TrafficAnalyzer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code camaudit collect}: a NetFlow/IPFIX collector whose flows become a passive scan. */
@Command(name = "collect", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
        "Listens for NetFlow v5, v9 and IPFIX export datagrams on a UDP address and stores the"
                + " flows as one new scan of kind 'passive', then identifies and evaluates it."
                + " Templates are cached per exporter (address and port) and observation domain.",
        "Collecting sends nothing, so any local address may be bound, including a non-loopback"
                + " one your routers export to; the default listens on loopback only.",
        "Stops on --duration, --idle, --max-datagrams or Ctrl-C/SIGTERM (keeps what was"
                + " gathered, marks the scan interrupted, exits 130)."}, footer = {"",
                        "Exit codes: 0 ok, 2 usage error, 4 cannot listen or store, 130 interrupted.",
                        "", "Examples:", "  camaudit collect --netflow 127.0.0.1:2055 --idle 30",
                        "  softflowd -d -c none -r mirror.pcap -n 127.0.0.1:2055 -v 10"})
final class CollectCommand implements Callable<Integer> {
    /** Exporters remembered for the summary; beyond it they are still decoded, not counted. */
    static final int MAX_EXPORTERS_COUNTED = 4096;
    private static final int MAX_DATAGRAM = 65535;

    @Spec
    CommandSpec spec;

    @Option(names = "--netflow", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:2055", description = "UDP address to listen on (default: ${DEFAULT-VALUE}); an IP literal, [v6]:port for IPv6.")
    String netflow;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this long.")
    Double duration;

    @Option(names = "--idle", paramLabel = "SECONDS", description = "Stop when no datagram came for this long after the first.")
    Double idle;

    @Option(names = "--max-datagrams", paramLabel = "N", description = "Stop after N accepted datagrams.")
    Long maxDatagrams;

    @Option(names = "--exporters", paramLabel = "CIDR", split = ",", description = "Accept datagrams only from these addresses or ranges; others are counted and dropped.")
    List<String> exporters;

    @Option(names = "--authorized-by", paramLabel = "WHO, WHEN", description = "Stored with the scan (default: \"netflow collector on HOST:PORT\").")
    String authorizedBy;

    @Mixin
    DataDirOption data;

    @Mixin
    LocalRangesOption local;

    @Mixin
    PolicyOptions policies;

    @Mixin
    CountryOptions geo;

    /** Counts of one run, printed as progress and summary. */
    private static final class Counts {
        long refused;
        final Set<String> exportersSeen = new HashSet<>();
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        InetSocketAddress listen = address(netflow);
        List<IpRange> allowed = ranges(exporters == null ? List.of() : exporters);
        positive("--duration", duration);
        positive("--idle", idle);
        positive("--max-datagrams", maxDatagrams == null ? null : maxDatagrams.doubleValue());
        FindingEngine engine = policies.engine(data.resolve());
        String where = "netflow udp " + netflow;
        Optional<DestinationCountries> countries = geo.open(err);
        try (DatagramSocket socket = bind(listen);
                ObservationLog log = data.open();
                DestinationCountries db = countries.orElse(null)) {
            SiteRanges site = local.ranges();
            PassiveScan scan = PassiveScan.start(log, authorizedBy != null
                    ? authorizedBy
                    : "netflow collector on " + netflow, List.of(where), Optional.empty(), site);
            TrafficAnalyzer analyzer = new TrafficAnalyzer(TrafficAnalyzer.Options.defaults()
                    .withSite(site), scan.sink);
            err.printf("collect: listening on udp %s%s%n", socket.getLocalSocketAddress(),
                    allowed.isEmpty() ? "" : " for exporters " + String.join(",", exporters));
            err.flush();
            OperatorStop stop = OperatorStop.install(out, err);
            Counts counts = new Counts();
            String reason = receive(socket, analyzer, allowed, counts, stop, err);
            Thread.interrupted(); // a stop's interrupt must not break the store's file I/O
            long flows = analyzer.finish();
            boolean interrupted = stop.requested();
            printSummary(out, analyzer.collected(), counts, reason);
            scan.finish(interrupted ? "interrupted" : "complete", flows, analyzer.flowsDropped(),
                    out);
            AnalyzeCommand.printPeers(out, analyzer.aboutPeers());
            if (interrupted) {
                err.println("camaudit: not identified (interrupted); run 'camaudit findings --scan "
                        + scan.id + " --evaluate'");
            } else {
                scan.evaluate(engine, countries, out, err);
            }
            out.flush();
            err.flush();
            stop.recorded();
            return interrupted ? ExitCode.INTERRUPTED : ExitCode.OK;
        }
    }

    /** Receives until a stop condition; returns which one. */
    private String receive(DatagramSocket socket, TrafficAnalyzer analyzer, List<IpRange> allowed,
            Counts counts, OperatorStop stop, PrintWriter err) {
        boolean terminal = ProgressReporter.isTerminal();
        try {
            return receive(socket, analyzer, allowed, counts, stop, err, terminal);
        } finally {
            if (terminal) {
                err.print("\r\u001b[K");
                err.flush();
            }
        }
    }

    private String receive(DatagramSocket socket, TrafficAnalyzer analyzer, List<IpRange> allowed,
            Counts counts, OperatorStop stop, PrintWriter err, boolean terminal) {
        byte[] buffer = new byte[MAX_DATAGRAM];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        long period = terminal ? 1_000_000_000L : 5_000_000_000L;
        long started = System.nanoTime();
        long nextProgress = started + period;
        long last = -1;
        while (true) {
            long now = System.nanoTime();
            if (now >= nextProgress) {
                progress(err, terminal, analyzer.collected(), counts, now - started);
                nextProgress = now + period;
            }
            if (stop.requested()) {
                return "interrupted";
            }
            long wait = 250_000_000L;
            if (duration != null) {
                long left = started + seconds(duration) - now;
                if (left <= 0) {
                    return "--duration " + duration + " s reached";
                }
                wait = Math.min(wait, left);
            }
            if (idle != null && last >= 0) {
                long left = last + seconds(idle) - now;
                if (left <= 0) {
                    return "idle for " + idle + " s";
                }
                wait = Math.min(wait, left);
            }
            if (maxDatagrams != null && analyzer.collected().datagrams() >= maxDatagrams) {
                return "--max-datagrams " + maxDatagrams + " reached";
            }
            try {
                socket.setSoTimeout((int) Math.max(1, wait / 1_000_000));
                packet.setLength(buffer.length);
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                if (stop.requested()) {
                    return "interrupted";
                }
                throw new UncheckedIOException("receiving on " + netflow + ": " + e.getMessage(),
                        e);
            }
            InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
            if (!allowed.isEmpty() && allowed.stream().noneMatch(r -> r.contains(from
                    .getAddress()))) {
                counts.refused++;
                continue;
            }
            last = System.nanoTime();
            String exporter = exporterKey(from);
            if (counts.exportersSeen.size() < MAX_EXPORTERS_COUNTED) {
                counts.exportersSeen.add(exporter);
            }
            analyzer.collect(exporter, buffer, packet.getLength());
        }
    }

    private static String exporterKey(InetSocketAddress from) {
        InetAddress a = from.getAddress();
        String host = a.getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + from.getPort();
    }

    private static long seconds(double s) {
        return (long) (s * 1e9);
    }

    private static String line(TrafficAnalyzer.Collected c, Counts counts) {
        return String.format("%,d datagrams (%,d bytes) from %,d%s exporters, %,d flow records,"
                + " %,d templates (%,d cached), %,d dropped (not an allowed exporter), %,d malformed",
                c.datagrams(), c.bytes(), counts.exportersSeen.size(),
                counts.exportersSeen.size() >= MAX_EXPORTERS_COUNTED ? "+" : "", c.flowRecords(),
                c.templates(), c.templatesCached(), counts.refused, c.malformed());
    }

    private static void progress(PrintWriter err, boolean terminal, TrafficAnalyzer.Collected c,
            Counts counts, long elapsedNanos) {
        String text = String.format("collect %.0fs · %s", elapsedNanos / 1e9, line(c, counts));
        if (terminal) {
            err.print("\r" + text + "\u001b[K");
        } else {
            err.println("progress: " + text);
        }
        err.flush();
    }

    private static void printSummary(PrintWriter out, TrafficAnalyzer.Collected c, Counts counts,
            String reason) {
        out.printf("collect: stopped (%s)%n", reason);
        out.printf("  %s%n", line(c, counts));
        if (c.malformed() > 0) {
            out.printf("  malformed (first %d):%n", Math.min(c.samples().size(), 10));
            c.samples().stream().limit(10).forEach(s -> out.printf("    %s%n", s));
        }
    }

    private static DatagramSocket bind(InetSocketAddress listen) {
        DatagramSocket socket = null;
        try {
            socket = new DatagramSocket(null);
            socket.setReceiveBufferSize(4 << 20);
            socket.bind(listen);
            return socket;
        } catch (SocketException e) {
            if (socket != null) {
                socket.close();
            }
            throw new UncheckedIOException("cannot listen on udp " + listen.getAddress()
                    .getHostAddress() + ":" + listen.getPort() + ": " + e.getMessage(), e);
        }
    }

    static InetSocketAddress address(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new UsageException("--netflow wants HOST:PORT, e.g. 127.0.0.1:2055, not '" + text
                    + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535 || !IpRange.isLiteral(host)) {
            throw new UsageException("--netflow wants an IP address and a port 1-65535, not '"
                    + text + "'");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (IOException e) {
            throw new UsageException("--netflow: " + e.getMessage());
        }
    }

    private static List<IpRange> ranges(List<String> specs) {
        try {
            return specs.stream().map(String::trim).map(IpRange::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new UsageException("--exporters: " + e.getMessage());
        }
    }

    private static void positive(String option, Double value) {
        if (value != null && !(value > 0)) {
            throw new UsageException(option + " must be positive");
        }
    }
}
