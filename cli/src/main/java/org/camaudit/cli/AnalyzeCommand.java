package org.camaudit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.camaudit.model.SiteRanges;
import org.camaudit.rules.findings.FindingEngine;
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
                + " Sends no traffic.",
        "A long run prints a progress line to stderr every five seconds (the file, bytes read,"
                + " observations stored; --quiet: none). Analysing the same files again after a"
                + " kill or a stop finishes the same scan without storing anything twice."}, footer = {
                        "", "Examples:",
                        "  camaudit analyze mirror-port.pcapng zeek/dns.log zeek/conn.log",
                        "  camaudit analyze --facts-only --count big.pcap   # count, store nothing",
                        "  camaudit analyze --countries-of-concern CN,RU mirror-port.pcapng",
                        "  camaudit analyze --local 203.0.113.0/24 uplink.pcap  # a public range of the site",
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

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @Mixin
    DataDirOption data;

    @Mixin
    LocalRangesOption local;

    @Mixin
    PolicyOptions policies;

    @Mixin
    CountryOptions geo;

    private FindingEngine engine;
    /** The index in {@link #files} of the file being read, for the progress line. */
    private volatile int reading;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SiteRanges site = local.ranges();
        TrafficAnalyzer.Options options = TrafficAnalyzer.Options.defaults()
                .withFactsOnly(factsOnly).withSite(site);
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
        try (ObservationLog log = data.open(); DestinationCountries db = countries.orElse(null)) {
            List<String> names = files.stream().map(Path::toString).toList();
            String who = authorizedBy != null
                    ? authorizedBy
                    : "passive analysis of " + String.join(" ", names);
            AnalyzedFiles inputs = AnalyzedFiles.of(files, factsOnly, site);
            Optional<org.camaudit.model.Scan> earlier = inputs.earlier(log);
            PassiveScan scan;
            if (earlier.isEmpty()) {
                scan = PassiveScan.start(log, who, names, Optional.of(inputs), site);
            } else {
                org.camaudit.model.Scan e = earlier.get();
                switch (e.status()) {
                    case "interrupted", "failed" -> {
                        scan = PassiveScan.resume(log, e.id());
                        err.printf("camaudit: scan %d analysed these same files and was cut short"
                                + " (%s); finishing it: its %,d stored observations are kept, not"
                                + " stored again%n", e.id(), e.status(), scan.sink.written());
                    }
                    case "running" -> throw new UsageException("scan " + e.id() + " is analysing"
                            + " these same files now, in another process");
                    default -> {
                        // judged again with today's options; the evidence is already stored
                        out.printf("these files (same paths, sizes and times) were analysed as scan"
                                + " %d (%s, %,d observations); nothing stored again%n", e.id(),
                                e
                                        .status(),
                                e.summary().observations());
                        PassiveScan.stored(log, e.id()).evaluate(engine, countries, out, err);
                        return e.status().equals("complete") ? ExitCode.OK : ExitCode.USAGE;
                    }
                }
            }
            TrafficAnalyzer analyzer = new TrafficAnalyzer(options, scan.sink);
            Optional<ProgressReporter> progress = quiet
                    ? Optional.empty()
                    : Optional.of(ProgressReporter.start(() -> progress(analyzer, scan.sink),
                            () -> progress(analyzer, scan.sink), err));
            boolean failed;
            long flows;
            try {
                failed = analyzeAll(analyzer, out, err);
                flows = factsOnly ? 0 : analyzer.finish();
            } finally {
                progress.ifPresent(ProgressReporter::stop);
            }
            scan.finish(failed ? "partial" : "complete", flows, analyzer.flowsDropped(), out);
            printPeers(out, analyzer.aboutPeers());
            scan.evaluate(engine, countries, out, err);
            printRate(out, started);
            return failed ? ExitCode.USAGE : ExitCode.OK;
        }
    }

    /**
     * The file being read, how far, and the observations committed to the log so far (what a
     * kill at that moment cannot take away).
     */
    private String progress(TrafficAnalyzer analyzer, StoreSink sink) {
        int i = Math.min(reading, files.size() - 1);
        Path f = files.get(i);
        long size;
        try {
            size = Files.size(f);
        } catch (IOException unreadable) {
            size = 0; // analyze says why
        }
        return String.format("analyze %d/%d %s · %,d of %,d bytes read · %,d stored", i + 1, files
                .size(), f.getFileName(), analyzer.fileBytesRead(), size, sink.written());
    }

    private boolean analyzeAll(TrafficAnalyzer analyzer, PrintWriter out, PrintWriter err) {
        boolean failed = false;
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            reading = i;
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

    /** How much was about peers outside the site's ranges (not kept), if anything was. */
    static void printPeers(PrintWriter out, long aboutPeers) {
        if (aboutPeers > 0) {
            out.printf("  %,d observations and flows about peers only (outside the site's ranges,"
                    + " --local) not kept%n", aboutPeers);
        }
    }

    static void printReport(PrintWriter out, FileReport r) {
        out.printf("%s: %s, %,d bytes, %,d %s%n", r.file(), r.format().label(), r.bytes(),
                r.frames(), switch (r.format()) {
                    case ZEEK_TSV, ZEEK_JSON -> "lines";
                    case NETFLOW -> "datagrams";
                    default -> "frames";
                });
        CountLine.of("  facts:", r.facts()).forEach(out::println);
        if (!r.observations().isEmpty()) {
            CountLine.of("  observations:", r.observations()).forEach(out::println);
        }
        if (r.fragments() > 0 || r.undecodable() > 0) {
            out.printf("  ip fragments (not reassembled): %,d, undecodable frames: %,d%n",
                    r.fragments(), r.undecodable());
        }
        if (!r.errors().isEmpty()) {
            CountLine.of("  decode errors:", r.errors()).forEach(out::println);
            r.errorSamples().stream().limit(5).forEach(s -> out.printf("    %s%n", s));
        }
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
