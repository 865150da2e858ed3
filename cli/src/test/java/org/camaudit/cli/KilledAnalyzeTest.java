package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camaudit.cli.KilledScanTest.Child;
import org.camaudit.model.Scan;
import org.camaudit.store.ObservationLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code camaudit analyze} of a large capture killed with SIGKILL twice, each time at a moment its
 * progress line chose (observations stored, fewer than the capture holds), never after a pause:
 * what the line reported stored is in the log, the database passes SQLite's integrity check, and
 * the next start lists the scan as {@code interrupted}. Analysing the same file again finishes
 * that scan: its observations are then exactly those of a reference analysis of the same file on
 * another data directory, each once.
 */
class KilledAnalyzeTest {
    /** Distinct DNS names: one observation each, a thousand per stored batch. */
    private static final int QUERIES = 120_000;
    private static final Pattern STORED = Pattern.compile(" · ([\\d,]+) stored$");

    @TempDir
    Path dir;

    @Test
    void analyzeKilledTwiceIsFinishedByTheSameCommandWithEachObservationOnce() throws Exception {
        Path capture = Files.write(dir.resolve("many-names.pcap"), FullDiskTest.manyDnsQueries(
                QUERIES));
        Path reference = dir.resolve("reference");
        CliRun ref = CliRun.of("analyze", "--quiet", capture.toString(), "--data-dir", reference
                .toString());
        assertThat(ref.exit()).as(ref.err()).isZero();
        List<String> expected = observations(reference);
        assertThat(expected.size()).as("one per name, and the flow and link")
                .isGreaterThan(QUERIES);
        Path data = dir.resolve("data");

        // 1: at the first line that says something is stored
        Child run = Child.start(dir, "analyze", capture.toString(), "--data-dir", data.toString());
        long reported = killAt(run, 1, expected.size());
        long kept = afterKill(data, reported);

        // 2: the same command again: killed once it stored past what the first run left
        run = Child.start(dir, "analyze", capture.toString(), "--data-dir", data.toString());
        reported = killAt(run, kept + 1, expected.size());
        assertThat(run.said()).contains(String.format("finishing it: its %,d stored", kept));
        kept = afterKill(data, reported);

        // 3: the same command to its end
        run = Child.start(dir, "analyze", capture.toString(), "--data-dir", data.toString());
        int exit = run.process.waitFor();
        String output = run.readAll();
        assertThat(exit).as(output).isZero();
        assertThat(output).contains(String.format("finishing it: its %,d stored", kept));
        LogIntegrity.assertIntact(data);
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            assertThat(log.scans()).as("one scan, finished by the re-runs").hasSize(1);
            Scan scan = log.scan(1).orElseThrow();
            assertThat(scan.status()).isEqualTo("complete");
            assertThat(scan.summary().observations()).isEqualTo(log.countObservations(1));
        }
        assertThat(observations(data)).as("the reference's observations, each once")
                .isEqualTo(expected);
    }

    /**
     * At the first progress line saying at least {@code n} stored and fewer than {@code all}:
     * SIGKILL; returns its count.
     */
    private static long killAt(Child run, long n, long all) throws Exception {
        String line = run.awaitLine(l -> l.startsWith("progress: analyze") && stored(l) >= n,
                n + " stored");
        assertThat(stored(line)).as("killed before the end: " + line).isLessThan(all);
        run.kill(line);
        return stored(line);
    }

    private static long stored(String line) {
        Matcher m = STORED.matcher(line);
        return m.find() ? Long.parseLong(m.group(1).replace(",", "")) : -1;
    }

    /** Intact, listed as interrupted, holding what was reported; returns what it holds. */
    private static long afterKill(Path data, long reported) throws Exception {
        LogIntegrity.assertIntact(data);
        CliRun scans = CliRun.of("scans", "--data-dir", data.toString());
        assertThat(scans.exit()).as(scans.err()).isZero();
        assertThat(scans.out()).as("the next start lists it").containsPattern(
                "(?m)^\\s+1 .* passive\\s+interrupted ");
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            assertThat(log.scan(1).orElseThrow().status()).isEqualTo("interrupted");
            long kept = log.countObservations(1);
            assertThat(kept).as("all it reported stored").isGreaterThanOrEqualTo(reported);
            return kept;
        }
    }

    /**
     * Scan 1's observations in insertion order, each as its address, protocol, port and fields
     * (and its time but for a {@code link} observation, stamped when it is made).
     */
    private static List<String> observations(Path data) {
        List<String> all = new ArrayList<>();
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            log.forEachObservation(1, o -> all.add((o.protocol().equals("link") ? "" : o.time())
                    + " " + o.address() + " " + o.protocol() + " " + o.port() + " " + o.fields()));
        }
        return all;
    }
}
