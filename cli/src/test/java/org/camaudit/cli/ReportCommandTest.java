package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.camaudit.model.Identification;
import org.camaudit.report.Format;
import org.camaudit.report.ReportData;
import org.camaudit.report.Reports;
import org.camaudit.store.ObservationLog;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code camaudit report} in every format from the demo's scan. */
class ReportCommandTest {
    @TempDir
    static Path data;
    static List<Identification> identified;

    @BeforeAll
    static void demo() {
        CliRun run = CliRun.of("demo", "--devices", "40", "--range", "127.90.0.0/24", "--seed",
                "4", "--quiet", "--data-dir", data.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            identified = log.identifications(1);
        }
        assertThat(identified).hasSizeGreaterThan(30);
    }

    private static CliRun report(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "report";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--data-dir";
        all[args.length + 2] = data.toString();
        return CliRun.of(all);
    }

    @Test
    void html() throws Exception {
        Path out = data.resolve("r.html");
        CliRun run = report("--scan", "1", "--format", "html", "--out", out.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("html report of " + identified.size() + " devices");
        String html = Files.readString(out);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("camaudit report: scan 1")
                .contains("camaudit demo");
        assertThat(html.split("<tr data-index=", -1)).hasSize(identified.size() + 1);
        assertThat(html).contains("127.90.0.");
        assertThat(data).isDirectoryNotContaining("glob:**.part");
    }

    @Test
    void pdf() throws Exception {
        Path out = data.resolve("r.pdf");
        CliRun run = report("--format", "pdf", "--out", out.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        try (PDDocument doc = Loader.loadPDF(out.toFile())) {
            String text = new PDFTextStripper().getText(doc);
            assertThat(text).contains("camaudit report: scan 1").contains(identified.get(0)
                    .address());
        }
    }

    @Test
    void csvToStdout() {
        CliRun run = report("--format", "csv");
        assertThat(run.exit()).as(run.err()).isZero();
        String[] lines = run.out().split("\r\n");
        assertThat(lines[0]).startsWith("scan,address,mac,brand,platform");
        // one row per device and finding, and one per device without findings
        List<org.camaudit.model.Finding> stored;
        try (org.camaudit.store.ObservationLog log = org.camaudit.store.ObservationLog.openSqlite(
                data)) {
            stored = log.findings(1);
        }
        java.util.Set<String> withFindings = new java.util.HashSet<>();
        stored.forEach(f -> withFindings.add(f.address()));
        long without = identified.stream().filter(i -> !withFindings.contains(i.address()))
                .count();
        assertThat(stored).isNotEmpty();
        assertThat(lines).hasSize(1 + stored.size() + (int) without);
    }

    @Test
    void json() throws Exception {
        CliRun run = report("--format", "json");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(run.out());
        assertThat(doc.at("/scan/id").asLong()).isEqualTo(1);
        assertThat(doc.get("devices")).hasSize(identified.size());
        assertThat(doc.at("/counts/by_platform").size()).isGreaterThan(2);
        JsonNode withPorts = doc.get("devices").get(0).get("open_ports");
        assertThat(withPorts).isNotEmpty();
    }

    @Test
    void cyclonedxValidates() throws Exception {
        Path out = data.resolve("r.cdx.json");
        CliRun run = report("--format", "cyclonedx", "--out", out.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(new JsonParser().validate(Files.readAllBytes(out), Version.VERSION_16))
                .isEmpty();
        assertThat(Files.readString(out)).contains("cpe:2.3:h:hikvision:");
    }

    @Test
    void everyFormatWithTheManifestsFindings() throws Exception {
        ManifestFindings findings = new ManifestFindings(data.resolve("demo-manifest.jsonl"));
        assertThat(findings.all()).isNotEmpty();
        ReportData report;
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            report = ReportCommand.collect(log, 1, findings, Clock.systemUTC());
        }
        assertThat(report.findings()).hasSameSizeAs(findings.all());
        for (Format f : Format.values()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Reports.write(report, f, out);
            assertThat(out.size()).as(f.label()).isGreaterThan(1000);
            // kept for a person to look at
            Files.createDirectories(Path.of("target"));
            Files.write(Path.of("target", "reports-demo-findings." + f.label()), out.toByteArray());
            if (f == Format.CYCLONEDX) {
                assertThat(new JsonParser().validate(out.toByteArray(), Version.VERSION_16))
                        .isEmpty();
                assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"id\" : \"ndaa-889\"");
            }
            if (f == Format.CSV) {
                assertThat(out.toString(StandardCharsets.UTF_8).split("\r\n")).hasSizeGreaterThan(
                        identified.size() + 1);
            }
        }
    }

    @Test
    void badScanOrFormatIsAUsageError() {
        CliRun noScan = report("--scan", "99", "--format", "json");
        assertThat(noScan.exit()).isEqualTo(2);
        assertThat(noScan.err()).contains("no scan 99");
        CliRun badFormat = report("--format", "xlsx");
        assertThat(badFormat.exit()).isEqualTo(2);
        assertThat(badFormat.err()).contains("unknown --format xlsx").contains("cyclonedx");
        CliRun pdfToStdout = report("--format", "pdf");
        assertThat(pdfToStdout.exit()).isEqualTo(2);
        assertThat(pdfToStdout.err()).contains("needs --out");
    }
}
