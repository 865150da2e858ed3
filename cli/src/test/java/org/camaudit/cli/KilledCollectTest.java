package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camaudit.cli.CollectCommandTest.send;
import static org.camaudit.cli.CollectCommandTest.v5;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camaudit.cli.KilledScanTest.Child;
import org.camaudit.model.Scan;
import org.camaudit.store.ObservationLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code camaudit collect} killed with SIGKILL twice while it listens, each time once its progress
 * line says the flows sent so far are stored (never after a pause): those flows are in the log,
 * the database passes SQLite's integrity check, the next start lists the scan as
 * {@code interrupted}, and {@code collect --resume 1} goes on in the same scan with the stored
 * listening address, exporter allow-list, site ranges and authorisation. At the end every flow
 * sent is in the log exactly once (a pair's totals are what was sent: nothing lost, nothing stored
 * twice). The flow records name documentation addresses; the datagrams go to loopback only.
 */
class KilledCollectTest {
    private static final Pattern STORED = Pattern.compile(" · ([\\d,]+) stored$");
    private static final String WHO = "KilledCollectTest, kill -9 at chosen moments";
    private static final String A = "192.0.2.61 198.51.100.61 554 udp";
    private static final String B = "192.0.2.62 198.51.100.62 8000 udp";
    private static final String C = "192.0.2.63 198.51.100.63 23 udp";

    @TempDir
    Path data;

    @Test
    void collectorKilledTwiceKeepsWhatItStoredAndResumesIntoTheSameScan() throws Exception {
        int port = CollectCommandTest.freePort("127.0.0.1");
        // 1: killed once its first period is stored
        Child run = Child.start(data, "collect", "--local", CliRun.DOC_SITE, "--netflow",
                "127.0.0.1:" + port, "--exporters", "127.0.0.1/32", "--store-every", "0.2",
                "--authorized-by", WHO, "--data-dir", data.toString());
        listening(run);
        send("127.0.0.1", port, v5("192.0.2.61", "198.51.100.61", 554, 1000));
        long reported = killAtStored(run, 1);
        Scan first = afterKill(reported, Map.of(A, "1000 1"));
        assertThat(first.authorizedBy()).isEqualTo(WHO);

        // 2: resumed with none of the settings given again; the same pair again and a new one
        run = Child.start(data, "collect", "--resume", "1", "--store-every", "0.2", "--data-dir",
                data.toString());
        listening(run);
        assertThat(run.said()).contains(String.format("resuming collector scan 1: its %,d stored",
                reported));
        send("127.0.0.1", port, v5("192.0.2.61", "198.51.100.61", 554, 500), v5("192.0.2.62",
                "198.51.100.62", 8000, 700));
        reported = killAtStored(run, reported + 2); // two pairs: two observations however split
        Scan second = afterKill(reported, Map.of(A, "1500 2", B, "700 1"));
        assertThat(second.scope()).isEqualTo(first.scope());

        // 3: resumed until one accepted datagram; the allow-list still refuses 127.0.0.3
        run = Child.start(data, "collect", "--resume", "1", "--max-datagrams", "1", "--data-dir",
                data.toString());
        listening(run);
        send("127.0.0.3", port, v5("192.0.2.64", "198.51.100.64", 80, 300));
        send("127.0.0.1", port, v5("192.0.2.63", "198.51.100.63", 23, 900));
        int exit = run.process.waitFor();
        String output = run.readAll();
        assertThat(exit).as(output).isZero();
        assertThat(output).contains("collect: stopped (--max-datagrams 1 reached)")
                .contains("1 dropped (not an allowed exporter)").contains("scan 1 (passive)")
                .contains("findings:");

        LogIntegrity.assertIntact(data);
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            assertThat(log.scans()).as("one scan, taken up twice").hasSize(1);
            Scan scan = log.scan(1).orElseThrow();
            assertThat(scan.status()).isEqualTo("complete");
            assertThat(scan.scope()).as("the same scope").isEqualTo(first.scope());
            assertThat(scan.authorizedBy()).as("the same authorisation").isEqualTo(WHO);
            assertThat(scan.summary().observations()).isEqualTo(log.countObservations(1));
        }
        assertThat(CollectCommandTest.storedFlows(data)).as("every flow sent, once\n" + output)
                .isEqualTo(Map.of(A, "1500 2", B, "700 1", C, "900 1"));
    }

    private static void listening(Child run) throws Exception {
        run.awaitLine(l -> l.startsWith("collect: listening on"), "the collector listens");
    }

    /** At the first progress line saying at least {@code n} stored: SIGKILL; returns its count. */
    private static long killAtStored(Child run, long n) throws Exception {
        String line = run.awaitLine(l -> l.startsWith("progress: collect") && stored(l) >= n, n
                + " stored");
        run.kill(line);
        return stored(line);
    }

    private static long stored(String line) {
        Matcher m = STORED.matcher(line);
        return m.find() ? Long.parseLong(m.group(1).replace(",", "")) : -1;
    }

    /** The checks after a kill: intact, listed as interrupted, the reported flows all there. */
    private Scan afterKill(long reported, Map<String, String> flows) throws Exception {
        LogIntegrity.assertIntact(data);
        CliRun scans = CliRun.of("scans", "--data-dir", data.toString());
        assertThat(scans.exit()).as(scans.err()).isZero();
        assertThat(scans.out()).as("the next start lists it").containsPattern(
                "(?m)^\\s+1 .* passive\\s+interrupted ");
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            Scan scan = log.scan(1).orElseThrow();
            assertThat(scan.status()).isEqualTo("interrupted");
            assertThat(log.countObservations(1)).as("all it reported stored")
                    .isGreaterThanOrEqualTo(
                            reported);
        }
        assertThat(CollectCommandTest.storedFlows(data)).isEqualTo(flows);
        return scanOne();
    }

    private Scan scanOne() {
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            return log.scan(1).orElseThrow();
        }
    }
}
