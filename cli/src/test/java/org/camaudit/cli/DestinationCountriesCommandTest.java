package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.camaudit.model.Finding;
import org.camaudit.rules.geo.MaxMindDbWriter;
import org.camaudit.store.ObservationLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code camaudit analyze --geo-db}: a capture written here (documentation addresses, data only,
 * never contacted) read with a country database written by {@link MaxMindDbWriter} that maps
 * 192.0.2/24 to CN, 198.51.100/24 to US and 203.0.113/24 to DE.
 */
class DestinationCountriesCommandTest {
    static final byte[] CAMERA = {(byte) 203, 0, 113, 10};
    static final byte[] QUIET = {(byte) 203, 0, 113, 30};
    static final byte[] LAN_PEER = {10, 0, 0, 1};

    @TempDir
    Path data;

    private Path capture() throws Exception {
        BehaviourFindingsTest.Pcap pcap = new BehaviourFindingsTest.Pcap();
        pcap.syn(0x10, CAMERA, new byte[]{(byte) 192, 0, 2, 99}, 443);
        pcap.syn(0x10, CAMERA, new byte[]{(byte) 192, 0, 2, 98}, 8000);
        pcap.syn(0x10, CAMERA, new byte[]{(byte) 198, 51, 100, 7}, 443);
        pcap.syn(0x10, CAMERA, LAN_PEER, 80);
        pcap.syn(0x30, QUIET, LAN_PEER, 80);
        return Files.write(data.resolve("mirror.pcap"), pcap.bytes());
    }

    @Test
    void analyzeReportsFlowsAndBytesPerDeviceAndCountry() throws Exception {
        Path db = MaxMindDbWriter.documentationCountries(data.resolve("countries.mmdb"));
        CliRun run = CliRun.of("analyze", "--local", "203.0.113.0/24", capture().toString(),
                "--geo-db", db.toString(),
                "--countries-of-concern", "cn,ru", "--data-dir", data.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("countries: camaudit-test-country, built 2026-01-01,"
                + " licence not stated beside the file")
                .containsPattern("\\n  203\\.0\\.113\\.10 +CN +2 +[\\d,]+\\n +US +1 +[\\d,]+\\n"
                        + " +local +1 +[\\d,]+\\n")
                .contains("(1 more devices talk to local addresses only)")
                .containsPattern("findings: \\d+ on \\d+ devices \\(2 behaviour\\)");
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            List<Finding> findings = log.findings(1);
            Finding info = findings.stream().filter(f -> f.id().equals("destination-countries"))
                    .findFirst().orElseThrow();
            assertThat(info.address()).isEqualTo("203.0.113.10");
            assertThat(info.deviceKey()).isEqualTo("02:00:00:00:00:10");
            assertThat(info.severity()).isEqualTo(Finding.Severity.INFO);
            assertThat(info.details()).containsOnlyKeys("CN", "US", "local");
            assertThat(info.details().get("CN")).matches("flows 2, bytes [1-9]\\d*");
            Finding concern = findings.stream().filter(f -> f.id().equals(
                    "traffic-to-country-of-concern")).findFirst().orElseThrow();
            assertThat(concern.severity()).isEqualTo(Finding.Severity.MEDIUM);
            assertThat(concern.details()).containsEntry("CN", info.details().get("CN"))
                    .containsEntry("countries_of_concern", "CN,RU");
            assertThat(concern.evidence()).anyMatch(e -> e.startsWith("CN: flows 2, bytes ") && e
                    .contains("peers 192.0.2.99, 192.0.2.98"));
            assertThat(findings).noneMatch(f -> f.address().equals("203.0.113.30"));
        }
        CliRun listed = CliRun.of("findings", "--scan", "1", "--data-dir", data.toString());
        assertThat(listed.exit()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("destination-countries", "traffic-to-country-of-concern");
        // a re-evaluation without the database keeps what analyze found
        CliRun again = CliRun.of("findings", "--scan", "1", "--evaluate", "--data-dir", data
                .toString());
        assertThat(again.exit()).as(again.err()).isZero();
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            assertThat(log.findings(1)).extracting(Finding::id).contains("destination-countries",
                    "traffic-to-country-of-concern");
        }
    }

    /**
     * A peer inside a range given with {@code --local} is the site's own host: local in the table,
     * never looked up (the database maps 192.0.2/24 to CN), no country of concern.
     */
    @Test
    void peersInTheLocalRangesAreLocalNotACountry() throws Exception {
        Path db = MaxMindDbWriter.documentationCountries(data.resolve("countries.mmdb"));
        CliRun run = CliRun.of("analyze", "--local", "203.0.113.0/24," + CliRun.DOC_SITE,
                capture().toString(), "--geo-db", db.toString(), "--countries-of-concern", "cn",
                "--data-dir", data.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("\\n  203\\.0\\.113\\.10 +local +3 +[\\d,]+\\n"
                + " +US +1 +[\\d,]+\\n").doesNotContain(" CN ");
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            List<Finding> findings = log.findings(1);
            assertThat(findings).noneMatch(f -> f.id().equals("traffic-to-country-of-concern"));
            Finding info = findings.stream().filter(f -> f.id().equals("destination-countries"))
                    .findFirst().orElseThrow();
            assertThat(info.details()).containsOnlyKeys("US", "local");
            assertThat(info.details().get("local")).startsWith("flows 3, ");
            assertThat(findings).allMatch(f -> f.address().startsWith("203.0.113."), "site hosts");
        }
    }

    @Test
    void withoutADatabaseAnalyzeSaysHowToInstallItAndGoesOn() throws Exception {
        CliRun run = CliRun.of("analyze", "--local", "203.0.113.0/24", capture().toString(),
                "--data-dir", data.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).containsOnlyOnce("no country database").contains(
                "'npm ci --prefix knowledge/geo'");
        assertThat(run.out()).doesNotContain("countries:").contains("scan 1 (passive)");
    }

    @Test
    void findsTheDatabaseByEnvironmentThenByCamauditHome() throws Exception {
        Path db = MaxMindDbWriter.documentationCountries(data.resolve("env.mmdb"));
        Path home = data.resolve("home");
        Path installed = home.resolve(org.camaudit.rules.geo.CountryDatabase.DEFAULT_FILE);
        Files.createDirectories(installed.getParent());
        MaxMindDbWriter.documentationCountries(installed);
        StringWriter err = new StringWriter();
        PrintWriter w = new PrintWriter(err, true);
        CountryOptions options = new CountryOptions();
        try (var fromEnv = options.open(w, db.toString(), home.toString()).orElseThrow()
                .database()) {
            assertThat(fromEnv.info().file()).isEqualTo(db);
        }
        try (var fromHome = options.open(w, null, home.toString()).orElseThrow().database()) {
            assertThat(fromHome.info().file()).isEqualTo(installed);
        }
        assertThat(options.open(w, "", data.toString())).isEmpty();
        assertThat(err.toString()).isEqualTo("camaudit: no country database, so no destinations by"
                + " country; install the default with 'npm ci --prefix knowledge/geo' in " + data
                + ", or give --geo-db FILE" + System.lineSeparator());
        assertThatThrownBy(() -> options.open(w, data.resolve("gone.mmdb").toString(), null))
                .isInstanceOf(UsageException.class).hasMessageContaining("CAMAUDIT_GEO_DB");
    }

    @Test
    void badCountryCodesAndMissingDatabaseFilesAreUsageErrors() throws Exception {
        Path pcap = capture();
        CliRun codes = CliRun.of("analyze", "--local", "203.0.113.0/24", pcap.toString(),
                "--countries-of-concern", "CHN",
                "--data-dir", data.toString());
        assertThat(codes.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(codes.err()).contains("--countries-of-concern").contains("'CHN'");
        CliRun missing = CliRun.of("analyze", "--local", "203.0.113.0/24", pcap.toString(),
                "--geo-db", data.resolve(
                        "none.mmdb").toString(),
                "--data-dir", data.toString());
        assertThat(missing.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(missing.err()).contains("--geo-db: no such file");
        Path junk = Files.writeString(data.resolve("junk.mmdb"), "not a database");
        CliRun bad = CliRun.of("analyze", "--local", "203.0.113.0/24", pcap.toString(), "--geo-db",
                junk.toString(),
                "--data-dir", data.toString());
        assertThat(bad.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(bad.err()).contains("country database " + junk);
    }
}
