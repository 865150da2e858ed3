package org.camaudit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.camaudit.model.Observation;
import org.camaudit.model.Scan;
import org.camaudit.model.ScanSummary;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObservationLogTest {
    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");

    @TempDir
    Path dataDir;

    @Test
    void createsTheDatabaseAndMigratesOnlyOnceAcrossReopens() throws SQLException {
        long scanId;
        try (ObservationLog log = ObservationLog.openSqlite(dataDir)) {
            assertThat(log.schemaVersion()).isEqualTo(Migrations.latestVersion());
            scanId = log.startScan("active", "alice", "{}", T0);
            log.append(scanId, List.of(observation(1)));
        }
        assertThat(dataDir.resolve("camaudit.db")).isRegularFile();
        try (ObservationLog log = ObservationLog.openSqlite(dataDir)) {
            assertThat(log.schemaVersion()).isEqualTo(Migrations.latestVersion());
            assertThat(log.countObservations(scanId)).isEqualTo(1);
        }
        try (ObservationLog log = ObservationLog.openSqlite(dataDir)) {
            assertThat(log.scans()).hasSize(1);
        }
        try (Connection c = jdbc();
                Statement st = c.createStatement();
                ResultSet rs = st
                        .executeQuery("SELECT COUNT(*), MAX(CAST(version AS INTEGER)) FROM"
                                + " flyway_schema_history WHERE success = 1")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(Migrations.scripts().size());
            assertThat(rs.getInt(2)).isEqualTo(Migrations.latestVersion());
        }
    }

    @Test
    void usesWalJournal() throws SQLException {
        try (ObservationLog log = ObservationLog.openSqlite(dataDir)) {
            assertThat(log.schemaVersion()).isPositive();
        }
        try (Connection c = jdbc();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void observationsRoundTripWithUnicodeAndEscapedBytes() {
        List<Observation> written = List.of(
                new Observation(Instant.parse("2026-11-22T12:00:00.123456789Z"), Source.ACTIVE,
                        "127.0.0.5",
                        Optional.of("AA-BB-CC-DD-EE-FF"), 80, Transport.TCP, "http",
                        Map.of("http.server", "App-webs/", "http.title", "Камера 网络摄像机 📷 «é»"),
                        "HTTP/1.1 200 OK\r\nServer: App-webs/\r\n\\x00\\xff\\x1b[0m \\\\ done"),
                new Observation(T0, Source.PASSIVE, "127.0.0.6", Optional.empty(), 0,
                        Transport.NONE,
                        "dhcp", Map.of("dhcp.vendor_class", "udhcp 1.19.4"), ""),
                new Observation(T0.plusNanos(1), Source.IMPORT, "::1", Optional.empty(), 3702,
                        Transport.UDP,
                        "onvif", Map.of(), "\"quoted\" 'single' \t tab"));
        List<Observation> read = new ArrayList<>();
        try (ObservationLog log = ObservationLog.openSqlite(dataDir)) {
            long scanId = log.startScan("active", "alice", "{\"include\":[\"127.0.0.0/8\"]}", T0);
            log.append(scanId, written);
            log.forEachObservation(scanId, read::add);
        }
        assertThat(read).containsExactlyElementsOf(written);
        assertThat(read.get(0).mac()).contains("aa:bb:cc:dd:ee:ff");
    }

    @Test
    void databaseRefusesUpdateAndDeleteOfObservations() throws SQLException {
        long scanId;
        try (ObservationLog log = ObservationLog.openSqlite(dataDir)) {
            scanId = log.startScan("active", "alice", "{}", T0);
            log.append(scanId, List.of(observation(1), observation(2)));
        }
        try (Connection c = jdbc(); Statement st = c.createStatement()) {
            assertThatThrownBy(
                    () -> st.executeUpdate("UPDATE observations SET address = '127.0.0.99'"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM observations"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM scans WHERE id = " + scanId))
                    .isInstanceOf(SQLException.class);
        }
        try (ObservationLog log = ObservationLog.openSqlite(dataDir)) {
            List<Observation> read = new ArrayList<>();
            log.forEachObservation(scanId, read::add);
            assertThat(read).containsExactly(observation(1), observation(2));
        }
    }

    @Test
    void scansAreListedNewestFirstAndFinishRecordsTheSummary() {
        try (ObservationLog log = ObservationLog.openSqlite(dataDir)) {
            long first = log.startScan("active", "alice", "{}", T0);
            long third = log.startScan("import:nmap", "bob", "{}", T0.plusSeconds(7200));
            long second = log.startScan("active", "carol", "{}", T0.plusSeconds(3600));
            ScanSummary summary = new ScanSummary(256, 12, 30, 420, 61_000);
            log.finishScan(first, "complete", summary, T0.plusSeconds(61));

            assertThat(log.scans()).extracting(Scan::id).containsExactly(third, second, first);
            Scan done = log.scan(first).orElseThrow();
            assertThat(done.status()).isEqualTo("complete");
            assertThat(done.finished()).contains(T0.plusSeconds(61));
            assertThat(done.summary()).isEqualTo(summary);
            assertThat(done.authorizedBy()).isEqualTo("alice");
            Scan running = log.scan(third).orElseThrow();
            assertThat(running.status()).isEqualTo("running");
            assertThat(running.finished()).isEmpty();
            assertThat(running.kind()).isEqualTo("import:nmap");
            assertThat(running.summary()).isEqualTo(ScanSummary.EMPTY);
            assertThat(log.scan(9999)).isEmpty();
            assertThatThrownBy(() -> log.finishScan(9999, "complete", summary, T0))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("no such scan");
        }
    }

    @Test
    void appendToAnUnknownScanIsRefused() {
        try (ObservationLog log = ObservationLog.openSqlite(dataDir)) {
            assertThatThrownBy(() -> log.append(42, List.of(observation(1))))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("scan 42")
                    .hasMessageContaining("no such scan");
            assertThat(log.countObservations(42)).isZero();
        }
    }

    @Test
    void streamsOneHundredThousandObservationsInInsertionOrder() {
        int total = 100_000;
        int batchSize = 10_000;
        try (ObservationLog log = ObservationLog.openSqlite(dataDir)) {
            long other = log.startScan("active", "alice", "{}", T0);
            long scanId = log.startScan("active", "alice", "{}", T0);
            log.append(other, List.of(observation(-1)));
            for (int start = 0; start < total; start += batchSize) {
                List<Observation> batch = new ArrayList<>(batchSize);
                for (int i = start; i < start + batchSize; i++) {
                    batch.add(observation(i));
                }
                log.append(scanId, batch);
            }
            log.append(other, List.of(observation(-2)));
            assertThat(log.countObservations(scanId)).isEqualTo(total);

            AtomicLong next = new AtomicLong();
            log.forEachObservation(scanId, o -> {
                long expected = next.getAndIncrement();
                if (!o.field("seq").orElse("").equals(Long.toString(expected))) {
                    throw new AssertionError(
                            "observation " + expected + " out of order: " + o.fields());
                }
            });
            assertThat(next.get()).isEqualTo(total);
            assertThat(log.countObservations(other)).isEqualTo(2);
        }
    }

    @Test
    void aDirectoryThatCannotBeCreatedGivesAClearError() throws IOException {
        Path notADirectory = Files.writeString(dataDir.resolve("plain-file"), "x");
        Path wanted = notADirectory.resolve("data");
        assertThatThrownBy(() -> ObservationLog.openSqlite(wanted))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith(
                        "cannot open " + wanted.resolve("camaudit.db").toAbsolutePath() + ": ")
                .hasMessageContaining("cannot create directory");
    }

    @Test
    void aReadOnlyDirectoryGivesAClearError() throws IOException {
        Path readOnly = Files.createDirectory(dataDir.resolve("read-only"));
        assumeTrue(readOnly.toFile().setWritable(false, false),
                "cannot make a directory read-only here");
        try {
            assumeTrue(!Files.isWritable(readOnly),
                    "running with rights that ignore permissions (root)");
            assertThatThrownBy(() -> ObservationLog.openSqlite(readOnly))
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith(
                            "cannot open " + readOnly.resolve("camaudit.db").toAbsolutePath());
        } finally {
            readOnly.toFile().setWritable(true, false);
        }
    }

    @Test
    void aFileThatIsNotADatabaseGivesAClearError() throws IOException {
        Files.writeString(dataDir.resolve("camaudit.db"),
                "this is not sqlite, just text that is long enough "
                        .repeat(40));
        assertThatThrownBy(() -> ObservationLog.openSqlite(dataDir))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith(
                        "cannot open " + dataDir.resolve("camaudit.db").toAbsolutePath() + ": ");
    }

    @Test
    void aDatabaseFromANewerCamauditIsRefused() throws SQLException {
        try (ObservationLog log = ObservationLog.openSqlite(dataDir)) {
            log.startScan("active", "alice", "{}", T0);
        }
        try (Connection c = jdbc(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO flyway_schema_history (installed_rank, version,"
                    + " description, type, script, checksum, installed_by, installed_on,"
                    + " execution_time, success) VALUES (99, '99', 'from the future', 'SQL',"
                    + " 'V99__from_the_future.sql', 0, 'test', '2030-01-01 00:00:00', 1, 1)");
        }
        assertThatThrownBy(() -> ObservationLog.openSqlite(dataDir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("camaudit.db")
                .hasMessageContaining("version 99")
                .hasMessageContaining("newer than this camaudit understands ("
                        + Migrations.latestVersion() + ")");
    }

    @Test
    void aClosedLogSaysSo() {
        ObservationLog log = ObservationLog.openSqlite(dataDir);
        log.close();
        log.close();
        assertThatThrownBy(log::scans).isInstanceOf(StoreException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void flywayFindsEveryMigrationFileNumberedWithoutGaps() throws URISyntaxException,
            IOException {
        Path dir = Paths.get(Migrations.class.getResource("migrations").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")))
                    .containsExactlyInAnyOrderElementsOf(Migrations.scripts());
        }
        assertThat(Migrations.shipped()).extracting(Migrations::version).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, Migrations.scripts().size()).boxed()
                        .toList());
        assertThat(Migrations.scripts()).contains("V1__observation_log.sql",
                "V4__scan_checkpoints.sql");
    }

    /**
     * A log made by the hand-written migrations before Flyway (history in schema_migrations, at
     * version 4) opens: Flyway adopts it by a baseline at 4, runs nothing it had, keeps its data,
     * and applies only the migrations after 4.
     */
    @Test
    void aLogFromTheHandWrittenMigrationsIsAdoptedAsItStands() throws Exception {
        Files.createDirectories(dataDir);
        try (Connection c = jdbc(); Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, script"
                    + " TEXT NOT NULL, applied TEXT NOT NULL)");
            for (String script : List.of("V1__observation_log.sql", "V2__identifications.sql",
                    "V3__findings.sql", "V4__scan_checkpoints.sql")) {
                try (var in = Migrations.class.getResourceAsStream("migrations/" + script)) {
                    st.executeUpdate(new String(in.readAllBytes(),
                            java.nio.charset.StandardCharsets.UTF_8));
                }
                st.executeUpdate("INSERT INTO schema_migrations VALUES (" + script.charAt(1)
                        + ", '" + script + "', '2026-11-01T00:00:00Z')");
            }
            st.executeUpdate("INSERT INTO scans (kind, started, authorized_by, scope_json, status)"
                    + " VALUES ('active', '2026-11-01T10:00:00Z', 'olga', '{}', 'complete')");
        }
        try (ObservationLog log = ObservationLog.openSqlite(dataDir)) {
            assertThat(log.schemaVersion()).isEqualTo(Migrations.latestVersion());
            assertThat(log.scans()).extracting(Scan::authorizedBy).containsExactly("olga");
            long next = log.startScan("active", "alice", "{}", T0);
            log.append(next, List.of(observation(1)));
            assertThat(log.countObservations(next)).isEqualTo(1);
        }
        try (Connection c = jdbc();
                Statement st = c.createStatement();
                ResultSet rs = st
                        .executeQuery("SELECT version, type FROM flyway_schema_history ORDER BY"
                                + " installed_rank")) {
            List<String> history = new ArrayList<>();
            while (rs.next()) {
                history.add(rs.getString(1) + " " + rs.getString(2));
            }
            List<String> expected = new ArrayList<>(List.of("4 BASELINE"));
            for (int v = 5; v <= Migrations.latestVersion(); v++) {
                expected.add(v + " SQL");
            }
            assertThat(history).containsExactlyElementsOf(expected);
        }
        try (ObservationLog log = ObservationLog.openSqlite(dataDir)) {
            assertThat(log.scans()).hasSize(2);
        }
    }

    private Connection jdbc() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("camaudit.db"));
    }

    private static Observation observation(int seq) {
        return Observation
                .builder(Source.ACTIVE, "127.0.%d.%d".formatted((seq >>> 8) & 0xff, seq & 0xff))
                .time(T0.plusMillis(Math.max(seq, 0)))
                .mac(seq % 2 == 0 ? "aa:bb:cc:00:00:01" : null)
                .port(80)
                .transport(Transport.TCP)
                .protocol("http")
                .field("seq", Integer.toString(seq))
                .field("http.server", "App-webs/")
                .raw("HTTP/1.1 200 OK\r\n")
                .build();
    }
}
