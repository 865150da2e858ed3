package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.camaudit.model.Identification;
import org.camaudit.rules.findings.FindingEngine;
import org.camaudit.store.ObservationLog;
import org.camaudit.traffic.FileReport;
import org.camaudit.traffic.TrafficAnalyzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capture test suites of tcpdump and libpcap (873 files, about 200 of them malformed on
 * purpose), read in place from the shared data folder beside the project: each file goes through
 * what {@code camaudit analyze} does (decode, flows, a passive scan in a store, identification,
 * evaluation) and must end decoded or refused {@code at byte N: ...}, never with an exception, a
 * hang or an allocation beyond one flat bound. Writes {@code target/peer-captures.tsv} (file,
 * outcome, frames, reason), which {@code bench/peer-captures-vs-tshark.sh} joins with what tshark
 * reads.
 *
 * <p>The folder is {@code -Dcamaudit.peerCaptures=DIR}, else {@code shared/data/peer-captures}
 * in the first ancestor of the working directory that has it. Missing, the test fails under CI
 * ({@code CI=true}) when the shared folder is there without it, and is skipped otherwise.
 */
class PeerCapturesTest {
    static final String PROPERTY = "camaudit.peerCaptures";
    /** Bytes one file may make the pipeline allocate, whatever its size (the largest is 0.5 MB). */
    static final long MAX_ALLOCATED = 512L << 20;
    /** Only a guard against an endless loop: a file takes milliseconds, the guard is minutes. */
    static final long HANG_GUARD_SECONDS = 120;
    private static final Pattern REFUSAL = Pattern.compile("at byte \\d+: \\S.*");

    @TempDir
    Path data;

    static Optional<Path> corpus() {
        String given = System.getProperty(PROPERTY);
        if (given != null && !given.isBlank()) {
            return Optional.of(Path.of(given)).filter(Files::isDirectory);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/data/peer-captures");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The project's shared folder beside the checkout, if this checkout sits in one: under CI the
     * corpus must be there when the folder is; a checkout on its own has neither.
     */
    static Optional<Path> sharedFolder() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("shared/data"))) {
                return Optional.of(p.resolve("shared"));
            }
        }
        return Optional.empty();
    }

    /** The outcome of one file. */
    record Outcome(Path file, long frames, Optional<String> refusal, long observations,
            long allocated) {
    }

    @Test
    void everyPeerCaptureEndsDecodedOrRefusedAtAByte() throws Exception {
        Optional<Path> dir = corpus();
        if (dir.isEmpty()) {
            String why = "no peer capture corpus (shared/data/peer-captures above "
                    + Path.of("").toAbsolutePath() + ", or -D" + PROPERTY + "=DIR)";
            if ("true".equalsIgnoreCase(System.getenv("CI")) && sharedFolder().isPresent()) {
                fail(why + "; " + sharedFolder().get() + " is there without it");
            }
            assumeTrue(false, why);
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir.get())) {
            files = s.filter(Files::isRegularFile).filter(f -> f.toString().matches(
                    ".*\\.(pcap|pcapng)$")).sorted().toList();
        }
        assertThat(files).as("captures under %s", dir.get()).hasSizeGreaterThan(800);
        FindingEngine engine = FindingEngine.shipped();
        List<Outcome> outcomes = new ArrayList<>();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
                .getThreadMXBean();
        // a daemon: a file that loops for ever must not keep the test JVM alive
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "peer-captures");
            t.setDaemon(true);
            return t;
        });
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            for (Path f : files) {
                Future<Outcome> run = worker.submit(() -> {
                    long before = threads.getCurrentThreadAllocatedBytes();
                    return analyzeOne(log, engine, f, before, threads);
                });
                Outcome o;
                try {
                    o = run.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    run.cancel(true);
                    throw new AssertionError(f + ": still running after " + HANG_GUARD_SECONDS
                            + " s", e);
                } catch (ExecutionException e) {
                    throw new AssertionError(f + ": " + e.getCause(), e.getCause());
                }
                outcomes.add(o);
            }
        } finally {
            worker.shutdownNow();
        }
        writeTable(dir.get(), outcomes);
        for (Outcome o : outcomes) {
            o.refusal().ifPresent(r -> assertThat(r).as(o.file().toString()).matches(REFUSAL));
            assertThat(o.allocated()).as("bytes allocated for %s", o.file()).isLessThan(
                    MAX_ALLOCATED);
            // every frame costs at least its 16-byte record header: the work is bounded by the size
            assertThat(o.frames()).as(o.file().toString()).isLessThanOrEqualTo(Files.size(o
                    .file()) / 16);
        }
        long decoded = outcomes.stream().filter(o -> o.refusal().isEmpty()).count();
        assertThat(decoded).as("files decoded to their end").isGreaterThan(files.size() / 2);
    }

    /** What {@code camaudit analyze FILE} does, with every failure thrown, not printed. */
    private static Outcome analyzeOne(ObservationLog log, FindingEngine engine, Path f,
            long before, com.sun.management.ThreadMXBean threads) throws IOException {
        PassiveScan scan = PassiveScan.start(log, "peer capture corpus", List.of(f.toString()));
        TrafficAnalyzer analyzer = new TrafficAnalyzer(TrafficAnalyzer.Options.defaults(),
                scan.sink);
        FileReport r = analyzer.analyze(f);
        long flows = analyzer.finish();
        StringWriter printed = new StringWriter();
        PrintWriter out = new PrintWriter(printed);
        AnalyzeCommand.printReport(out, r);
        scan.finish(r.error().isPresent() ? "partial" : "complete", flows, analyzer.flowsDropped(),
                out);
        List<Identification> identified = IdentifyCommand.identifyStored(log, scan.id);
        Evaluation.evaluateStored(log, scan.id, identified, engine);
        return new Outcome(f, r.frames(), r.error().map(FileReport.FileError::toString), scan.sink
                .written(), threads.getCurrentThreadAllocatedBytes() - before);
    }

    /** target/peer-captures.tsv: file (relative), outcome, frames, reason. */
    private static void writeTable(Path dir, List<Outcome> outcomes) throws IOException {
        StringBuilder sb = new StringBuilder("file\toutcome\tframes\tobservations\treason\n");
        for (Outcome o : outcomes) {
            String reason = o.refusal().orElse("");
            sb.append(dir.relativize(o.file())).append('\t').append(reason.isEmpty()
                    ? "decoded"
                    : "refused").append('\t').append(o.frames()).append('\t').append(o
                            .observations())
                    .append('\t').append(reason).append('\n');
        }
        Path target = Path.of("target");
        Files.createDirectories(target);
        Files.writeString(target.resolve("peer-captures.tsv"), sb);
    }
}
