package org.camaudit.server.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.camaudit.model.Finding;
import org.camaudit.model.Observation;
import org.camaudit.model.Scan;
import org.camaudit.model.ScanSummary;
import org.camaudit.server.agent.AgentClient;
import org.camaudit.server.agent.AgentState;
import org.camaudit.server.agent.PinnedCertificate;
import org.camaudit.server.agent.ScanPusher;
import org.camaudit.server.agent.ServerRefusedException;
import org.camaudit.server.db.CentralStore;
import org.camaudit.server.db.LocalPostgres;
import org.camaudit.server.db.PostgresExtension;
import org.camaudit.server.db.SampleScans;
import org.camaudit.server.db.Views.FindingFilter;
import org.camaudit.server.http.ApiServer;
import org.camaudit.store.ObservationLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest under faults, with real processes: the server JVM killed with SIGKILL in the middle of
 * a push, PostgreSQL stopped as a crash would stop it, and a scan re-identified after it was
 * pushed. The kill moments come from the server's own count of stored batches, never a sleep.
 */
@ExtendWith(PostgresExtension.class)
class IngestFaultsTest {
    /** Observation batches of the pushed scan (at {@link ScanPusher#BATCH} each). */
    private static final int BATCHES = 24;
    private static LocalPostgres pg;
    private static CentralStore store;

    @BeforeAll
    static void open(LocalPostgres cluster) {
        pg = cluster;
        store = CentralStore.open(cluster.settings());
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void aServerKilledMidPushHoldsExactlyTheAgentsObservationsAfterTheResend(@TempDir Path dir)
            throws Exception {
        Path agentDir = dir.resolve("agent");
        Path serverDir = dir.resolve("server");
        long siteId;
        Process server = startServer(serverDir);
        try {
            Enrolled agent = enrol("killed", serverUrl(server), serverDir);
            siteId = agent.siteId;
            long local = makeScan(agentDir);
            CompletableFuture<ScanPusher.Pushed> push = pushInBackground(agentDir, agent);
            awaitStoredBatches(siteId, 5, push);
            server.destroyForcibly(); // SIGKILL: no shutdown hook, batches in flight are cut off
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(push).failsWithin(Duration.ofSeconds(120));
            long storedAtKill = storedBatches(siteId);
            assertThat(storedAtKill).isBetween(5L, (long) BATCHES);

            server = startServer(serverDir);
            ScanPusher.Pushed resend = push(agentDir, agent.withUrl(serverUrl(server)));
            assertThat(resend.scans()).isEqualTo(1);
            assertThat(resend.batchesSent() + resend.batchesSkipped()).isEqualTo(BATCHES + 1);
            // stored before the kill: confirmed then (skipped now) or sent again and answered 200
            assertThat(resend.batchesSkipped()).isPositive();
            assertExactly(siteId, local);
        } finally {
            server.destroyForcibly();
            server.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void whilePostgresIsDownTheServerAnswers503AndAResendAfterItIsBackIsExact(@TempDir Path dir)
            throws Exception {
        Path agentDir = dir.resolve("agent");
        try (ApiServer server = ApiServer.start(store, ApiServer.Settings.of("127.0.0.1", 0, dir
                .resolve("server")))) {
            URI url = URI.create("https://127.0.0.1:" + server.port());
            Enrolled agent = enrol("pg-restarted", url, dir.resolve("server"));
            long local = makeScan(agentDir);
            CompletableFuture<ScanPusher.Pushed> push = pushInBackground(agentDir, agent);
            awaitStoredBatches(agent.siteId, 5, push);
            pg.stop();
            try {
                assertThat(push).failsWithin(Duration.ofSeconds(120)).withThrowableOfType(
                        java.util.concurrent.ExecutionException.class).havingCause()
                        .isInstanceOfSatisfying(ServerRefusedException.class, e -> assertThat(e
                                .status()).isEqualTo(503));
                HttpClient http = HttpClient.newBuilder().sslContext(PinnedCertificate.context(
                        server.certificate().fingerprint())).build();
                long t0 = System.nanoTime();
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(url.resolve(
                        "/api/v1/health")).timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(503);
                assertThat(health.body()).isEqualTo(
                        "{\"error\":\"the central store is unavailable\"}");
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration
                        .ofSeconds(30));
                assertThatThrownBy(() -> push(agentDir, agent)).isInstanceOfSatisfying(
                        ServerRefusedException.class, e -> assertThat(e.status()).isEqualTo(503));
            } finally {
                pg.startAgain();
            }
            ScanPusher.Pushed resend = push(agentDir, agent);
            assertThat(resend.batchesSent() + resend.batchesSkipped()).isEqualTo(BATCHES + 1);
            assertExactly(agent.siteId, local);
        }
    }

    @Test
    void aScanReidentifiedAfterItsPushGoesAgainAsANewRevision(@TempDir Path dir)
            throws Exception {
        Path agentDir = dir.resolve("agent");
        try (ApiServer server = ApiServer.start(store, ApiServer.Settings.of("127.0.0.1", 0, dir
                .resolve("server")))) {
            URI url = URI.create("https://127.0.0.1:" + server.port());
            Enrolled agent = enrol("revised-agent", url, dir.resolve("server"));
            long local;
            long scanId;
            try (ObservationLog log = ObservationLog.openSqlite(agentDir)) {
                scanId = log.startScan("scan", "tester", "{}", SampleScans.STARTED);
                log.append(scanId, List.of(SampleScans.observation("127.0.0.2", "App-webs/"),
                        SampleScans.observation("127.0.0.3", "AXIS")));
                var last = SampleScans.last(SampleScans.header(1), 1);
                log.replaceIdentifications(scanId, last.identifications(), "test");
                log.replaceFindings(scanId, last.findings());
                log.finishScan(scanId, "complete", new ScanSummary(8, 2, 2, 2, 10),
                        SampleScans.STARTED.plusSeconds(9));
                local = log.countObservations(scanId);
            }
            assertThat(push(agentDir, agent).batchesSent()).isEqualTo(2);
            assertThat(findingIds("revised-agent")).containsExactly("ndaa-889", "telnet-open");

            // findings run again locally: one finding fewer
            reviseFindings(agentDir, scanId, 1);
            ScanPusher.Pushed revised = push(agentDir, agent);
            assertThat(revised.batchesSent()).isEqualTo(1);
            assertThat(revised.batchesSkipped()).isEqualTo(1);
            assertThat(findingIds("revised-agent")).containsExactly("ndaa-889");
            assertThat(push(agentDir, agent).batchesSent()).isZero();

            // the answer to the next revision is lost (its confirmation line never written), and
            // the findings change once more before the agent tries again: that content goes under
            // a revision of its own, not under the one the server may already hold
            reviseFindings(agentDir, scanId, 2);
            push(agentDir, agent);
            Path pushed = agentDir.resolve(AgentState.PUSHED);
            List<String> lines = Files.readAllLines(pushed);
            Files.write(pushed, lines.subList(0, lines.size() - 1));
            reviseFindings(agentDir, scanId, 0);
            assertThat(push(agentDir, agent).batchesSent()).isEqualTo(1);
            assertThat(findingIds("revised-agent")).isEmpty();
            assertThat(Files.readAllLines(pushed).getLast()).endsWith("\t3");
            assertThat(store.column("SELECT revision FROM ingested_batch WHERE site_id = "
                    + agent.siteId + " AND seq = 1")).containsExactly("3");
            assertExactly(agent.siteId, local);
        }
    }

    // --- helpers --------------------------------------------------------------------------

    private record Enrolled(URI url, String fingerprint, String credential, long siteId) {
        Enrolled withUrl(URI other) {
            return new Enrolled(other, fingerprint, credential, siteId);
        }
    }

    private static Enrolled enrol(String site, URI url, Path serverDir) throws Exception {
        String token = store.addSite(site, "user:admin", "test").enrolmentToken();
        String fingerprint = certificateFingerprint(serverDir);
        AgentClient.Enrolment e = new AgentClient(url, fingerprint).enrol(token, site + "-agent");
        return new Enrolled(url, fingerprint, e.credential(), store.site(site).orElseThrow().id());
    }

    private static String certificateFingerprint(Path serverDir) {
        return org.camaudit.server.http.ServerCertificate.selfSigned(serverDir, "127.0.0.1")
                .fingerprint();
    }

    /** A finished scan of {@link #BATCHES} full batches in a new local log; its observations. */
    private static long makeScan(Path agentDir) {
        try (ObservationLog log = ObservationLog.openSqlite(agentDir)) {
            long id = log.startScan("scan", "tester", "{}", SampleScans.STARTED);
            List<Observation> chunk = new ArrayList<>();
            for (int i = 0; i < BATCHES * ScanPusher.BATCH; i++) {
                chunk.add(Observation.builder(org.camaudit.model.Source.ACTIVE, "127.0.0." + (2 + i
                        % 50)).time(SampleScans.STARTED.plusMillis(i)).port(80).transport(
                                org.camaudit.model.Transport.TCP)
                        .protocol("http").field("http.server", "App-webs/" + i).raw(
                                "HTTP/1.1 200 OK\r\nServer: App-webs/" + i)
                        .build());
                if (chunk.size() == 5_000) {
                    log.append(id, chunk);
                    chunk.clear();
                }
            }
            log.append(id, chunk);
            var last = SampleScans.last(SampleScans.header(1), 1);
            log.replaceIdentifications(id, last.identifications(), "test");
            log.replaceFindings(id, last.findings());
            log.finishScan(id, "complete", new ScanSummary(50, 50, 50, BATCHES * ScanPusher.BATCH,
                    1_000), SampleScans.STARTED.plusSeconds(60));
            return log.countObservations(id);
        }
    }

    private static void reviseFindings(Path agentDir, long scanId, int keep) {
        try (ObservationLog log = ObservationLog.openSqlite(agentDir)) {
            List<Finding> all = SampleScans.last(SampleScans.header(1), 1).findings();
            log.replaceFindings(scanId, all.subList(0, keep));
        }
    }

    private static ScanPusher.Pushed push(Path agentDir, Enrolled agent) throws IOException,
            InterruptedException {
        try (ObservationLog log = ObservationLog.openSqlite(agentDir)) {
            List<Scan> scans = log.scans().reversed();
            return new ScanPusher(log, new AgentClient(agent.url, agent.fingerprint),
                    agent.credential, AgentState.pushed(agentDir)).push(scans);
        }
    }

    private static CompletableFuture<ScanPusher.Pushed> pushInBackground(Path agentDir,
            Enrolled agent) {
        CompletableFuture<ScanPusher.Pushed> f = new CompletableFuture<>();
        Thread.ofPlatform().name("agent-push").start(() -> {
            try {
                f.complete(push(agentDir, agent));
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    private static long storedBatches(long siteId) {
        return Long.parseLong(store.column("SELECT count(*) FROM ingested_batch WHERE site_id = "
                + siteId).getFirst());
    }

    /**
     * Waits until the server has stored at least this many batches of the site (the event the
     * fault is injected at); fails at once if the push ended before that.
     */
    private static void awaitStoredBatches(long siteId, int count,
            CompletableFuture<ScanPusher.Pushed> push) throws InterruptedException {
        LongSupplier stored = () -> storedBatches(siteId);
        while (stored.getAsLong() < count) {
            assertThat(push).as("the push ended before %d batches were stored", count)
                    .isNotDone();
            Thread.onSpinWait();
            Thread.sleep(5);
        }
        assertThat(push).as("the push must still be under way at the fault").isNotDone();
    }

    /** The server holds exactly the local scan's observations: every batch once, none lost. */
    private static void assertExactly(long siteId, long local) {
        assertThat(store.countObservations(siteId)).isEqualTo(local);
        String where = " WHERE site_id = " + siteId;
        assertThat(store.column("SELECT count(DISTINCT (scan_id, batch_seq, ordinal)) FROM"
                + " observation" + where)).containsExactly(Long.toString(local));
        assertThat(store.column("SELECT sum(observations) FROM ingested_batch" + where))
                .containsExactly(Long.toString(local));
        assertThat(store.column("SELECT count(*) FROM ingested_batch" + where)).containsExactly(
                Long.toString((local + ScanPusher.BATCH - 1) / ScanPusher.BATCH + 1));
        assertThat(store.column("SELECT bool_and(complete) FROM scan" + where)).containsExactly(
                "t");
    }

    private static List<String> findingIds(String site) {
        return store.findings(new FindingFilter(Optional.of(site), Optional.empty(), Optional
                .empty(), Optional.empty())).stream().map(f -> f.finding().id()).toList();
    }

    private static Process startServer(Path serverDir) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty(
                "java.class.path"), ServerProcess.class.getName(), pg.url(), serverDir.toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8));
        String line;
        List<String> seen = new ArrayList<>();
        while ((line = out.readLine()) != null) {
            if (line.startsWith("port ")) {
                break;
            }
            seen.add(line);
        }
        if (line == null) {
            throw new IllegalStateException("the server process ended: " + String.join("\n",
                    seen));
        }
        ports.put(p.pid(), Integer.parseInt(line.substring(5).strip()));
        Thread.ofPlatform().daemon().name("server-output").start(() -> {
            try {
                out.transferTo(Writer.nullWriter());
            } catch (IOException e) {
                // the process was killed
            }
        });
        return p;
    }

    private static final java.util.Map<Long, Integer> ports = new java.util.concurrent.ConcurrentHashMap<>();

    private static URI serverUrl(Process p) {
        return URI.create("https://127.0.0.1:" + ports.get(p.pid()));
    }
}
