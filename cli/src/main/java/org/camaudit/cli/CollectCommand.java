package org.camaudit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.camaudit.model.IpRange;
import org.camaudit.model.Scan;
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
                + " gathered, marks the scan interrupted, exits 130). Stores what came every"
                + " --store-every seconds; a collector cut short (stopped, killed) goes on with"
                + " --resume ID."}, footer = {"",
                        "Exit codes: 0 ok, 2 usage error, 4 cannot listen or store, 130 interrupted.",
                        "", "Examples:", "  camaudit collect --netflow 127.0.0.1:2055 --idle 30",
                        "  softflowd -d -c none -r mirror.pcap -n 127.0.0.1:2055 -v 10",
                        "  camaudit collect --resume 7 --idle 30   # scan 7 was cut short"})
final class CollectCommand implements Callable<Integer> {
    /** Exporters remembered for the summary; beyond it they are still decoded, not counted. */
    static final int MAX_EXPORTERS_COUNTED = 4096;
    static final String DEFAULT_LISTEN = "127.0.0.1:2055";
    private static final int MAX_DATAGRAM = 65535;

    @Spec
    CommandSpec spec;

    @Option(names = "--netflow", paramLabel = "HOST:PORT", description = "UDP address to listen on (default: "
            + DEFAULT_LISTEN + "); an IP literal, [v6]:port for IPv6.")
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

    @Option(names = "--store-every", paramLabel = "SECONDS", defaultValue = "30", description = "Store the flows of the last SECONDS (default: ${DEFAULT-VALUE}), each period in one transaction:"
            + " a kill -9 or a power cut loses at most the period under way. A flow observation covers"
            + " one device-and-peer pair in one period.")
    double storeEvery;

    @Option(names = "--resume", paramLabel = "ID", description = "Go on collecting into collector scan ID, cut short (killed, stopped, or a full disk):"
            + " the same listening address, exporters, site ranges and authorisation; what it stored"
            + " is kept and new traffic is added (what came while no collector ran is not seen).")
    Long resume;

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
        long flows;
        final Set<String> exportersSeen = new HashSet<>();
    }

    /**
     * What a collector's scan is, kept in its scope under {@code collector} so that
     * {@code --resume} takes it up unchanged.
     *
     * @param netflow the listening address as given
     * @param exporters the allow-list as given; empty: any exporter
     */
    record Listening(String netflow, List<String> exporters, SiteRanges site) {
        Listening {
            exporters = List.copyOf(exporters);
        }

        void describe(ObjectNode scope) {
            ObjectNode n = scope.putObject("collector");
            n.put("netflow", netflow);
            ArrayNode list = n.putArray("exporters");
            exporters.forEach(list::add);
        }

        /** The settings in a stored scope, if it is a collector's. */
        static Optional<Listening> of(String scopeJson) {
            try {
                JsonNode scope = new ObjectMapper().readTree(scopeJson);
                JsonNode n = scope.path("collector");
                if (!n.path("netflow").isTextual()) {
                    return Optional.empty();
                }
                List<String> exporters = new ArrayList<>();
                n.path("exporters").forEach(e -> exporters.add(e.asText()));
                return Optional.of(new Listening(n.path("netflow").asText(), exporters,
                        PassiveScan.site(scopeJson)));
            } catch (IOException | RuntimeException unreadable) {
                return Optional.empty();
            }
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        positive("--duration", duration);
        positive("--idle", idle);
        positive("--max-datagrams", maxDatagrams == null ? null : maxDatagrams.doubleValue());
        positive("--store-every", storeEvery);
        if (resume != null && authorizedBy != null) {
            throw new UsageException("--resume keeps the authorisation stored with scan " + resume
                    + "; drop --authorized-by");
        }
        Listening given = new Listening(netflow == null ? DEFAULT_LISTEN : netflow,
                exporters == null ? List.of() : exporters, local.ranges());
        address(given.netflow());
        ranges(given.exporters());
        FindingEngine engine = policies.engine(data.resolve());
        Optional<DestinationCountries> countries = geo.open(err);
        try (ObservationLog log = data.open(); DestinationCountries db = countries.orElse(null)) {
            Listening listening = resume == null ? given : resumed(log, given);
            List<IpRange> allowed = ranges(listening.exporters());
            String where = "netflow udp " + listening.netflow();
            try (DatagramSocket socket = bind(address(listening.netflow()))) {
                PassiveScan scan;
                if (resume == null) {
                    scan = PassiveScan.collecting(log, authorizedBy != null
                            ? authorizedBy
                            : "netflow collector on " + listening.netflow(), List.of(where),
                            listening.site(), listening::describe);
                } else {
                    scan = PassiveScan.resumeCollecting(log, resume);
                    err.printf("camaudit: resuming collector scan %d: its %,d stored observations"
                            + " are kept and new traffic is added to them%n", scan.id,
                            scan.sink
                                    .written());
                }
                return collect(socket, scan, listening, allowed, engine, countries, out, err);
            }
        }
    }

    /** The stored settings of scan {@code resume}; options given again must agree with them. */
    private Listening resumed(ObservationLog log, Listening given) {
        Scan scan = log.scan(resume).orElseThrow(() -> new UsageException("no scan " + resume
                + " in " + data.resolve() + " (see 'camaudit scans')"));
        Optional<Listening> stored = scan.kind().equals("passive")
                ? Listening.of(scan.scope())
                : Optional.empty();
        if (stored.isEmpty()) {
            throw new UsageException("scan " + resume + " is not a collector's scan (see 'camaudit"
                    + " scans'); --resume takes up a 'camaudit collect' that was cut short");
        }
        if (!scan.status().equals("interrupted") && !scan.status().equals("failed")) {
            throw new UsageException("scan " + resume + " is " + scan.status() + (scan.status()
                    .equals("running") ? " in another process" : "")
                    + "; only an interrupted or failed collector scan can be resumed");
        }
        Listening s = stored.get();
        if (netflow != null && !address(netflow).equals(address(s.netflow()))) {
            throw new UsageException("scan " + resume + " listened on " + s.netflow()
                    + "; --resume keeps it (drop --netflow " + netflow + ")");
        }
        if (exporters != null && !given.exporters().equals(s.exporters())) {
            throw new UsageException("scan " + resume + " accepted exporters " + (s.exporters()
                    .isEmpty() ? "(any)" : String.join(",", s.exporters()))
                    + "; --resume keeps them (drop --exporters)");
        }
        if (local.local != null && !given.site().describe().equals(s.site().describe())) {
            throw new UsageException("scan " + resume + " kept the site ranges " + (s.site()
                    .describe().isEmpty()
                            ? "(private only)"
                            : String.join(",", s.site()
                                    .describe()))
                    + "; --resume keeps them (drop --local)");
        }
        return s;
    }

    private int collect(DatagramSocket socket, PassiveScan scan, Listening listening,
            List<IpRange> allowed, FindingEngine engine,
            Optional<DestinationCountries> countries, PrintWriter out, PrintWriter err) {
        TrafficAnalyzer analyzer = new TrafficAnalyzer(TrafficAnalyzer.Options.defaults()
                .withSite(listening.site()), scan.sink);
        err.printf("collect: listening on udp %s%s%n", socket.getLocalSocketAddress(), allowed
                .isEmpty() ? "" : " for exporters " + String.join(",", listening.exporters()));
        err.flush();
        OperatorStop stop = OperatorStop.install(out, err);
        Counts counts = new Counts();
        String reason = receive(socket, analyzer, scan.sink, allowed, counts, stop, err);
        Thread.interrupted(); // a stop's interrupt must not break the store's file I/O
        counts.flows += analyzer.finish();
        boolean interrupted = stop.requested();
        printSummary(out, analyzer.collected(), counts, reason);
        scan.finish(interrupted ? "interrupted" : "complete", counts.flows, analyzer
                .flowsDropped(), out);
        AnalyzeCommand.printPeers(out, analyzer.aboutPeers());
        if (interrupted) {
            err.println("camaudit: not identified (interrupted); run 'camaudit findings --scan "
                    + scan.id + " --evaluate', or go on with 'camaudit collect --resume "
                    + scan.id + "'");
        } else {
            scan.evaluate(engine, countries, out, err);
        }
        out.flush();
        err.flush();
        stop.recorded();
        return interrupted ? ExitCode.INTERRUPTED : ExitCode.OK;
    }

    /** Receives until a stop condition; returns which one. */
    private String receive(DatagramSocket socket, TrafficAnalyzer analyzer, StoreSink sink,
            List<IpRange> allowed, Counts counts, OperatorStop stop, PrintWriter err) {
        boolean terminal = ProgressReporter.isTerminal();
        try {
            return receive(socket, analyzer, sink, allowed, counts, stop, err, terminal);
        } finally {
            if (terminal) {
                err.print("\r\u001b[K");
                err.flush();
            }
        }
    }

    private String receive(DatagramSocket socket, TrafficAnalyzer analyzer, StoreSink sink,
            List<IpRange> allowed, Counts counts, OperatorStop stop, PrintWriter err,
            boolean terminal) {
        byte[] buffer = new byte[MAX_DATAGRAM];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        long period = terminal
                ? 1_000_000_000L
                : Long.getLong("camaudit.progress.millis", 5000) * 1_000_000L;
        long storePeriod = seconds(storeEvery);
        long started = System.nanoTime();
        long nextProgress = started + period;
        long nextStore = started + storePeriod;
        long last = -1;
        while (true) {
            long now = System.nanoTime();
            if (now >= nextStore && !stop.requested()) {
                // one transaction per period: what the progress line then says is stored, is
                counts.flows += analyzer.flushFlows();
                sink.flush();
                nextStore = now + storePeriod;
            }
            if (now >= nextProgress) {
                progress(err, terminal, analyzer.collected(), counts, now - started, sink
                        .written());
                nextProgress = now + period;
            }
            if (stop.requested()) {
                return "interrupted";
            }
            long wait = Math.min(250_000_000L, Math.max(1_000_000L, Math.min(nextStore,
                    nextProgress) - now));
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
                throw new UncheckedIOException(
                        "receiving on " + socket.getLocalSocketAddress() + ": " + e.getMessage(),
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
            Counts counts, long elapsedNanos, long stored) {
        String text = String.format("collect %.0fs · %s · %,d stored", elapsedNanos / 1e9, line(c,
                counts), stored);
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
