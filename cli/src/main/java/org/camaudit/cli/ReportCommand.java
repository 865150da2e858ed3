package org.camaudit.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.camaudit.model.Identification;
import org.camaudit.model.Scan;
import org.camaudit.report.Format;
import org.camaudit.report.ReportData;
import org.camaudit.report.ServiceTally;
import org.camaudit.report.Reports;
import org.camaudit.report.SiteJoin;
import org.camaudit.rules.IdentificationEngine;
import org.camaudit.rules.IdentificationSession;
import org.camaudit.store.ObservationLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code camaudit report}: a stored scan as HTML, PDF, CSV, JSON or CycloneDX. */
@Command(name = "report", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
        "Writes the report of a stored scan: html (one self-contained page with charts and a"
                + " sortable, filterable device table), pdf, csv (one row per device and"
                + " finding), json, or cyclonedx (a CycloneDX 1.6 inventory with devices as"
                + " hardware components and findings as vulnerabilities). Sends no traffic."}, footer = {
                        "", "Examples:", "  camaudit report --format html --out scan.html",
                        "  camaudit report --scan 3 --format pdf --out scan3.pdf",
                        "  camaudit report --scan 3 --format csv > scan3.csv",
                        "  camaudit report --scan 3 --scan 4 --out site.html   # active + passive",
                        "  camaudit report --format cyclonedx --out devices.cdx.json"})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--scan", paramLabel = "ID", description = "The scan to report on (default: the newest). Repeat it to report on"
            + " one site from several scans, e.g. an active scan and a passive analysis of the"
            + " same network: devices are joined by MAC, else by address, and their findings"
            + " combined (the first scan heads the report).")
    List<Long> scanIds = new java.util.ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "html", description = "html, pdf, csv, json, cyclonedx or defectdojo (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write here (default: standard output; required for pdf).")
    Path outFile;

    @Mixin
    DataDirOption data;

    /** Replaced in tests; the store's findings otherwise. */
    FindingSource findings = FindingSource.STORED;

    /** Replaced in tests. */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws IOException {
        Format f = Format.parse(format).orElseThrow(() -> new UsageException("unknown --format "
                + format + ": use one of " + Format.labels()));
        if (!f.isText() && outFile == null) {
            throw new UsageException("--format " + f.label() + " needs --out FILE");
        }
        ReportData report;
        try (ObservationLog log = data.open()) {
            List<ReportData> parts = new java.util.ArrayList<>();
            for (long id : chooseScans(log)) {
                parts.add(collect(log, id, findings, clock));
            }
            report = SiteJoin.join(parts);
        }
        if (outFile == null) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            Reports.write(report, f, buffer);
            PrintWriter out = spec.commandLine().getOut();
            out.print(buffer.toString(StandardCharsets.UTF_8));
            out.flush();
            return ExitCode.OK;
        }
        Path target = outFile.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UsageException("cannot write " + outFile + ": no such directory");
        }
        Path partial = Files.createTempFile(dir, ".camaudit-report-", ".part");
        try {
            try (OutputStream out = Files.newOutputStream(partial)) {
                Reports.write(report, f, out);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        spec.commandLine().getErr().printf("scan %d: %s report of %,d devices and %,d findings"
                + " written to %s%n", report.scan().id(), f.label(),
                report.identifications().size(),
                report.findings().size(), outFile);
        return ExitCode.OK;
    }

    private List<Long> chooseScans(ObservationLog log) {
        if (!scanIds.isEmpty()) {
            for (long id : scanIds) {
                if (log.scan(id).isEmpty()) {
                    throw new UsageException("no scan " + id + " in " + data.resolve()
                            + " (see 'camaudit scans')");
                }
            }
            return scanIds.stream().distinct().toList();
        }
        List<Scan> scans = log.scans();
        if (scans.isEmpty()) {
            throw new UsageException("no scans yet in " + data.resolve()
                    + " (run 'camaudit scan --help' to start one)");
        }
        return List.of(scans.get(0).id());
    }

    /**
     * Gathers a stored scan's report: its identifications (identified now, without storing, when
     * the scan never was), its findings, and what each address had open.
     */
    static ReportData collect(ObservationLog log, long scanId, FindingSource findings,
            Clock clock) {
        Scan scan = log.scan(scanId).orElseThrow(() -> new UsageException("no scan " + scanId));
        List<Identification> ids = log.identifications(scanId);
        IdentificationSession session = ids.isEmpty()
                ? IdentificationEngine.shipped().newSession()
                : null;
        ServiceTally services = new ServiceTally();
        log.forEachObservation(scanId, o -> {
            services.accept(o);
            if (session != null) {
                session.accept(o);
            }
        });
        if (session != null) {
            ids = new java.util.ArrayList<>(session.finish());
            ids.sort((a, b) -> ScanReport.compareAddresses(a.address(), b.address()));
        }
        return new ReportData(scan, ids, findings.findings(log, scanId), services.services(), clock
                .instant(), CamauditCommand.Version.number());
    }
}
