package org.camaudit.cli;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.model.Observation;
import org.camaudit.model.ScanSummary;
import org.camaudit.rules.findings.FindingEngine;
import org.camaudit.rules.geo.CountryDatabase;
import org.camaudit.rules.geo.DestinationCountries;
import org.camaudit.store.ObservationLog;
import org.camaudit.traffic.FileReport;
import org.camaudit.traffic.TrafficAnalyzer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code camaudit analyze}: captures, Zeek logs and flow exports become a passive scan. */
@Command(name = "analyze", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
        "Reads pcap/pcapng captures, Zeek logs (TSV or JSON) and NetFlow v5/v9/IPFIX export"
                + " files, in any mix, into observations of one new scan of kind 'passive'."
                + " Sends no traffic."}, footer = {"", "Examples:",
                        "  camaudit analyze mirror-port.pcapng zeek/dns.log zeek/conn.log",
                        "  camaudit analyze --facts-only --count big.pcap   # count, store nothing",
                        "  camaudit analyze --countries-of-concern CN,RU mirror-port.pcapng",
                        "  camaudit analyze --geo-db GeoLite2-Country.mmdb netflow.bin"})
final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Capture, Zeek log or flow export files; the format is told by the first bytes.")
    List<Path> files;

    @Option(names = "--authorized-by", paramLabel = "WHO, WHEN", description = "Stored with the scan (default: \"passive analysis of FILE...\").")
    String authorizedBy;

    @Option(names = "--facts-only", description = "Decode only DNS query names, TLS SNI and HTTP Server headers; no flows.")
    boolean factsOnly;

    @Option(names = "--count", description = "Print the counts and store nothing (with --facts-only: the benchmark mode).")
    boolean countOnly;

    @Mixin
    DataDirOption data;

    @Mixin
    PolicyOptions policies;

    @Mixin
    CountryOptions geo;

    /** Devices shown in the destinations-by-country table; the findings hold them all. */
    static final int MAX_COUNTRY_DEVICES = 50;

    private FindingEngine engine;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TrafficAnalyzer.Options options = TrafficAnalyzer.Options.defaults()
                .withFactsOnly(factsOnly);
        long started = System.nanoTime();
        if (!countOnly) {
            engine = policies.engine(data.resolve());
        }
        if (countOnly) {
            long[] stored = new long[1];
            TrafficAnalyzer analyzer = new TrafficAnalyzer(options, o -> stored[0]++);
            boolean failed = analyzeAll(analyzer, out, err);
            if (!factsOnly) {
                analyzer.finish();
            }
            out.printf("observations: %,d (not stored)%n", stored[0]);
            printRate(out, started);
            return failed ? ExitCode.USAGE : ExitCode.OK;
        }
        Optional<DestinationCountries> countries = factsOnly ? Optional.empty() : geo.open(err);
        try (ObservationLog log = data.open(); Closeable db = () -> {
            if (countries.isPresent()) {
                countries.get().database().close();
            }
        }) {
            String names = files.stream().map(Path::toString).collect(Collectors.joining(" "));
            String who = authorizedBy != null ? authorizedBy : "passive analysis of " + names;
            String scope = "{\"passive\":[" + files.stream()
                    .map(f -> "\"" + f.toString().replace("\\", "/").replace("\"", "'") + "\"")
                    .collect(Collectors.joining(",")) + "]}";
            long scanId = log.startScan("passive", who, scope, Instant.now());
            StoreSink sink = new StoreSink(log, scanId);
            Consumer<Observation> consumer = sink;
            TrafficAnalyzer analyzer = new TrafficAnalyzer(options, consumer);
            boolean failed = analyzeAll(analyzer, out, err);
            long flows = factsOnly ? 0 : analyzer.finish();
            sink.flush();
            long addresses = 0;
            ScanSummary summary = new ScanSummary(addresses, addresses, 0, sink.written(),
                    (System.nanoTime() - started) / 1_000_000);
            log.finishScan(scanId, failed ? "partial" : "complete", summary, Instant.now());
            out.printf("scan %d (passive): %,d observations stored, %,d of them flows%s%n",
                    scanId, sink.written(), flows, analyzer.flowsDropped() > 0
                            ? " (" + analyzer.flowsDropped() + " flows dropped: pair table full)"
                            : "");
            evaluate(log, scanId, countries, out, err);
            printRate(out, started);
            return failed ? ExitCode.USAGE : ExitCode.OK;
        }
    }

    /** Identifies the passive scan's devices and stores its findings, behaviour included. */
    private void evaluate(ObservationLog log, long scanId,
            Optional<DestinationCountries> countries, PrintWriter out, PrintWriter err) {
        try {
            List<Identification> identified = IdentifyCommand.identifyStored(log, scanId);
            Optional<DestinationCountries.Session> session = countries.map(
                    DestinationCountries::newSession);
            List<Finding> findings = Evaluation.evaluateStored(log, scanId, identified, engine,
                    session);
            if (session.isPresent()) {
                printCountries(out, countries.get().database().info(), session.get().finish(),
                        scanId);
            }
            long behaviour = findings.stream().filter(f -> f.kind() == Finding.Kind.BEHAVIOUR)
                    .count();
            long devices = findings.stream().map(Finding::deviceKey).distinct().count();
            out.printf("findings: %,d on %,d devices (%,d behaviour); 'camaudit findings --scan %d'"
                    + " lists them%n", findings.size(), devices, behaviour, scanId);
        } catch (RuntimeException e) {
            // the evidence is stored; 'camaudit findings --scan ID --evaluate' can redo this step
            err.println("camaudit: identification or evaluation failed (" + e.getMessage()
                    + "); run 'camaudit findings --scan " + scanId + " --evaluate'");
        }
    }

    /** The database line, then one row per device and country (devices with non-local peers). */
    static void printCountries(PrintWriter out, CountryDatabase.Info info,
            DestinationCountries.Report report, long scanId) {
        out.printf("countries: %s%n", info.summary());
        List<DestinationCountries.DeviceCountries> devices = report.devices().stream().filter(
                d -> !d.byCountry().keySet().stream().allMatch(DestinationCountries.LOCAL::equals))
                .toList();
        int localOnly = report.devices().size() - devices.size();
        if (devices.isEmpty()) {
            out.printf("  no destinations outside local addresses (devices with flows: %,d)%n",
                    localOnly);
            return;
        }
        out.printf("  %-39s %-8s %10s %15s%n", "DEVICE", "COUNTRY", "FLOWS", "BYTES");
        int shown = 0;
        for (DestinationCountries.DeviceCountries d : devices) {
            if (shown++ == MAX_COUNTRY_DEVICES) {
                out.printf("  ... and %,d more devices ('camaudit findings --scan %d')%n", devices
                        .size() - MAX_COUNTRY_DEVICES, scanId);
                break;
            }
            String device = d.address();
            for (Map.Entry<String, DestinationCountries.Totals> e : d.byCountry().entrySet()) {
                out.printf("  %-39s %-8s %,10d %,15d%n", device, e.getKey(), e.getValue().flows(),
                        e.getValue().bytes());
                device = "";
            }
        }
        if (localOnly > 0) {
            out.printf("  (%,d more devices talk to local addresses only)%n", localOnly);
        }
    }

    private boolean analyzeAll(TrafficAnalyzer analyzer, PrintWriter out, PrintWriter err) {
        boolean failed = false;
        for (Path f : files) {
            FileReport r;
            try {
                r = analyzer.analyze(f);
            } catch (IOException e) {
                err.printf("camaudit: %s: cannot read: %s%n", f, e.getMessage());
                failed = true;
                continue;
            }
            printReport(out, r);
            if (r.error().isPresent()) {
                err.printf("camaudit: %s: stopped %s (kept what was read before it)%n", f,
                        r.error().get());
                failed = true;
            }
        }
        return failed;
    }

    static void printReport(PrintWriter out, FileReport r) {
        out.printf("%s: %s, %,d bytes, %,d %s%n", r.file(), r.format().label(), r.bytes(),
                r.frames(), switch (r.format()) {
                    case ZEEK_TSV, ZEEK_JSON -> "lines";
                    case NETFLOW -> "datagrams";
                    default -> "frames";
                });
        out.printf("  facts: %s%n", join(r.facts()));
        if (!r.observations().isEmpty()) {
            out.printf("  observations: %s%n", join(r.observations()));
        }
        if (r.fragments() > 0 || r.undecodable() > 0) {
            out.printf("  ip fragments (not reassembled): %,d, undecodable frames: %,d%n",
                    r.fragments(), r.undecodable());
        }
        if (!r.errors().isEmpty()) {
            out.printf("  decode errors: %s%n", join(r.errors()));
            r.errorSamples().stream().limit(5).forEach(s -> out.printf("    %s%n", s));
        }
    }

    private static String join(Map<String, Long> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((k, v) -> parts.add(k + " " + String.format("%,d", v)));
        return String.join(", ", parts);
    }

    private void printRate(PrintWriter out, long started) throws IOException {
        double seconds = (System.nanoTime() - started) / 1e9;
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.isRegularFile(f) ? Files.size(f) : 0;
        }
        out.printf("read %,d bytes in %.2f s (%.0f MB/s)%n", bytes, seconds,
                bytes / 1e6 / Math.max(seconds, 1e-9));
    }
}
