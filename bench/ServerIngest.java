import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.camaudit.model.Evidence;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.model.Observation;
import org.camaudit.model.ScanSummary;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;
import org.camaudit.server.agent.AgentClient;
import org.camaudit.server.agent.AgentState;
import org.camaudit.server.agent.PinnedCertificate;
import org.camaudit.server.agent.ScanPusher;
import org.camaudit.server.db.CentralStore;
import org.camaudit.server.db.DatabaseSettings;
import org.camaudit.server.db.LocalPostgres;
import org.camaudit.server.db.Role;
import org.camaudit.server.http.ApiServer;
import org.camaudit.store.ObservationLog;

/**
 * Central-store ingest benchmark (issue 13, item 6), run by bench/server-ingest.sh: a throwaway
 * PostgreSQL on 127.0.0.1, the server (HTTPS, in this JVM), 100 sites each with its own agent
 * (enrolled over the API) and its own SQLite log of generated scans, pushed by AGENTS concurrent
 * real agents (ScanPusher + AgentClient over TLS). Prints the ingest rate, the rate of one
 * server-side COPY of the same rows into the same table (a second database migrated the same
 * way, same cluster), their ratio, and p50/p95 of the main read queries through the API.
 *
 * <p>
 * Arguments: {@code [--scale S(1)] [--agents N(4)] [--scans-per-site K(4)] [--queries Q(40)]}.
 * At scale 1: 10,000 devices and 10,000,000 observations over 100 sites.
 */
public final class ServerIngest {
    static final int SITES = 100;
    static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

    public static void main(String[] args) throws Exception {
        double scale = Double.parseDouble(arg(args, "--scale", "1"));
        int agents = Integer.parseInt(arg(args, "--agents", "4"));
        int scansPerSite = Integer.parseInt(arg(args, "--scans-per-site", "4"));
        int queries = Integer.parseInt(arg(args, "--queries", "40"));
        int devicesPerSite = Math.max(1, (int) Math.round(10_000 * scale / SITES));
        long obsPerScan = Math.max(1, Math.round(10_000_000 * scale / SITES / scansPerSite));
        long total = obsPerScan * scansPerSite * SITES;
        System.out.printf("scale %s: %d sites x %d devices = %,d devices; %d scans per site x %,d"
                + " observations = %,d observations; %d agents at once; cores %d%n", scale, SITES,
                devicesPerSite, devicesPerSite * SITES, scansPerSite, obsPerScan, total, agents,
                Runtime.getRuntime().availableProcessors());
        Path work = Files.createTempDirectory("camaudit-bench");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (LocalPostgres pg = LocalPostgres.start();
                CentralStore store = CentralStore.open(pg.settings());
                ApiServer server = ApiServer.start(store, ApiServer.Settings.of("127.0.0.1", 0,
                        work.resolve("server")))) {
            URI url = URI.create("https://127.0.0.1:" + server.port());
            String fingerprint = server.certificate().fingerprint();
            String viewer = store.addUser("bench-viewer", Role.VIEWER, "bench", "bench");

            long g0 = System.nanoTime();
            List<Path> sites = new ArrayList<>();
            for (int s = 0; s < SITES; s++) {
                String name = String.format("site-%03d", s);
                String token = store.addSite(name, "bench", "bench").enrolmentToken();
                AgentClient.Enrolment e = new AgentClient(url, fingerprint).enrol(token, name
                        + "-agent");
                Path dir = work.resolve(name);
                AgentState.save(dir, new AgentState.Enrolled(url, fingerprint, e.credential(), e
                        .site()));
                try (ObservationLog log = ObservationLog.openSqlite(dir)) {
                    for (int k = 0; k < scansPerSite; k++) {
                        generateScan(log, s, k, devicesPerSite, obsPerScan);
                    }
                }
                sites.add(dir);
            }
            System.out.printf("generated the sites' SQLite logs in %.1f s (outside the clock)%n",
                    (System.nanoTime() - g0) / 1e9);

            ConcurrentLinkedQueue<Path> queue = new ConcurrentLinkedQueue<>(sites);
            AtomicLong pushed = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(agents);
            long p0 = System.nanoTime();
            List<Future<?>> runs = new ArrayList<>();
            for (int a = 0; a < agents; a++) {
                runs.add(pool.submit(() -> {
                    for (Path dir; (dir = queue.poll()) != null;) {
                        AgentState.Enrolled e = AgentState.enrolled(dir).orElseThrow();
                        try (ObservationLog log = ObservationLog.openSqlite(dir)) {
                            ScanPusher.Pushed p = new ScanPusher(log, new AgentClient(e.server(),
                                    e.fingerprint()), e.credential(), AgentState.pushed(dir))
                                    .push(log.scans().reversed());
                            pushed.addAndGet(p.observationsSent());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : runs) {
                f.get();
            }
            double pushSeconds = (System.nanoTime() - p0) / 1e9;
            pool.shutdown();
            long stored = Long.parseLong(store.column("SELECT count(*) FROM observation")
                    .getFirst());
            if (stored != total || pushed.get() != total) {
                throw new IllegalStateException("pushed " + pushed + ", stored " + stored
                        + ", expected " + total);
            }
            double ingestRate = total / pushSeconds;
            System.out.printf("ingest through the API: %,d observations in %.1f s = %,.0f"
                    + " observations/s (server holds exactly %,d)%n", total, pushSeconds,
                    ingestRate, stored);

            double copyRate = copyBaseline(pg, work, total);
            System.out.printf("ingest / COPY = %.2f%n", ingestRate / copyRate);

            HttpClient http = HttpClient.newBuilder().sslContext(PinnedCertificate.context(
                    fingerprint)).build();
            SplittableRandom r = new SplittableRandom(7);
            latency("devices of a site (GET /devices?site=)", queries, http, viewer, () -> url
                    + "/api/v1/devices?site=" + String.format("site-%03d", r.nextInt(SITES)));
            latency("findings by site and severity (GET /findings?site=&severity=critical)",
                    queries, http, viewer, () -> url + "/api/v1/findings?severity=critical&site="
                            + String.format("site-%03d", r.nextInt(SITES)));
            latency("findings by maker, all sites (GET /findings?maker=dahua)", Math.max(5,
                    queries / 4), http, viewer, () -> url + "/api/v1/findings?maker=dahua");
        } finally {
            try (var all = Files.walk(work)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * The physical limit: the same rows, exported from the ingested table, loaded by one
     * server-side COPY into the observation table of a second database migrated the same way
     * (same primary key, index, foreign key and triggers; its parent rows copied first).
     */
    static double copyBaseline(LocalPostgres pg, Path work, long total) throws Exception {
        String url = pg.url();
        String copyDb = url.substring(0, url.lastIndexOf('/') + 1) + "camaudit_copy";
        try (Connection c = DriverManager.getConnection(url, LocalPostgres.USER, "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE camaudit_copy");
            for (String t : List.of("site", "agent", "scan", "ingested_batch", "observation")) {
                s.execute("COPY " + t + " TO '" + work.resolve(t + ".copy") + "'");
            }
        }
        CentralStore.open(new DatabaseSettings(copyDb, LocalPostgres.USER, "")).close();
        try (Connection c = DriverManager.getConnection(copyDb, LocalPostgres.USER, "");
                Statement s = c.createStatement()) {
            for (String t : List.of("site", "agent", "scan", "ingested_batch")) {
                s.execute("COPY " + t + " FROM '" + work.resolve(t + ".copy") + "'");
            }
            long t0 = System.nanoTime();
            s.execute("COPY observation FROM '" + work.resolve("observation.copy") + "'");
            double seconds = (System.nanoTime() - t0) / 1e9;
            double rate = total / seconds;
            System.out.printf("PostgreSQL COPY of the same rows into the same table: %,d in %.1f s"
                    + " = %,.0f observations/s%n", total, seconds, rate);
            return rate;
        }
    }

    static void latency(String what, int n, HttpClient http, String token,
            java.util.function.Supplier<String> url) throws IOException, InterruptedException {
        long[] ms = new long[n];
        int bytes = 0;
        for (int i = 0; i < n; i++) {
            HttpRequest q = HttpRequest.newBuilder(URI.create(url.get())).header("Authorization",
                    "Bearer " + token).timeout(Duration.ofMinutes(2)).build();
            long t0 = System.nanoTime();
            HttpResponse<byte[]> res = http.send(q, HttpResponse.BodyHandlers.ofByteArray());
            ms[i] = (System.nanoTime() - t0) / 1_000;
            if (res.statusCode() != 200) {
                throw new IllegalStateException(what + ": HTTP " + res.statusCode());
            }
            bytes = res.body().length;
        }
        Arrays.sort(ms);
        System.out.printf("%s: p50 %.1f ms, p95 %.1f ms over %d requests (last answer %,d"
                + " bytes)%n", what, ms[n / 2] / 1e3, ms[Math.min(n - 1, (int) Math.ceil(n * 0.95)
                        - 1)] / 1e3, n, bytes);
    }

    static final String[][] MAKERS = {{"Hikvision", "App-webs/", "DS-2CD2143G0-I"},
        {"Dahua", "DNVRS-Webs", "IPC-HDW2431T"}, {"Axis", "AXIS", "M3106-L"},
        {"Hikvision", "DNVRS-Webs", "DS-7608NI"}};

    /** One finished scan of a site: observations spread over its devices, then ids and findings. */
    static void generateScan(ObservationLog log, int site, int k, int devices, long observations) {
        Instant started = T0.plusSeconds(86_400L * k);
        long id = log.startScan("scan", "bench", "{\"targets\":[\"127.60.0.0/16\"]}", started);
        SplittableRandom r = new SplittableRandom(site * 1_000L + k);
        List<Observation> chunk = new ArrayList<>(5_000);
        for (long i = 0; i < observations; i++) {
            int d = (int) (i % devices);
            String[] m = MAKERS[(site + d) % MAKERS.length];
            String address = address(d);
            Observation.Builder b = Observation.builder(i % 7 == 6 ? Source.PASSIVE
                    : Source.ACTIVE, address).time(started.plusMillis(i)).mac(mac(site, d));
            switch ((int) (i % 5)) {
                case 0 -> b.port(80).transport(Transport.TCP).protocol("http").field(
                        "http.server", m[1]).field("http.title", m[0] + " " + m[2]).raw(
                                "HTTP/1.1 200 OK\r\nServer: " + m[1] + "\r\nContent-Type:"
                                        + " text/html\r\n\r\n<title>" + m[0] + "</title>");
                case 1 -> b.port(554).transport(Transport.TCP).protocol("rtsp").field(
                        "rtsp.server", m[0] + " rtsp").raw("RTSP/1.0 200 OK\r\nCSeq: " + i
                                + "\r\nPublic: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN");
                case 2 -> b.port(443).transport(Transport.TCP).protocol("tls").field(
                        "tls.subject", "CN=" + m[2] + ", O=" + m[0]).field("tls.sha256", Long
                                .toHexString(r.nextLong()))
                        .raw("");
                case 3 -> b.port(3702).transport(Transport.UDP).protocol("onvif").field(
                        "onvif.hardware", m[2]).field("onvif.name", m[0]).raw(
                                "<d:ProbeMatch><d:Scopes>onvif://www.onvif.org/hardware/" + m[2]
                                        + "</d:Scopes></d:ProbeMatch>");
                default -> b.port(23 + r.nextInt(4)).transport(Transport.TCP).protocol(
                        "tcp-open").raw("");
            }
            chunk.add(b.build());
            if (chunk.size() == 5_000) {
                log.append(id, chunk);
                chunk.clear();
            }
        }
        if (!chunk.isEmpty()) {
            log.append(id, chunk);
        }
        List<Identification> ids = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
            String[] m = MAKERS[(site + d) % MAKERS.length];
            Identification i = new Identification(address(d), Optional.of(mac(site, d)), Optional
                    .of(m[0]), Optional.of(m[0]), Optional.of(m[2]), Optional.of("V5.5." + d % 9),
                    Optional.of("ip-camera"), 0.9, false, List.of(new Evidence("gen-http-server",
                            "http.server", m[1], "platform=" + m[0], 0.9)), List.of());
            ids.add(i);
            if (!m[0].equals("Axis")) {
                findings.add(new Finding("ndaa-889", Finding.Kind.POLICY, Finding.Severity.CRITICAL,
                        i.deviceKey(), i.address(), m[0] + " equipment is covered by NDAA §889",
                        List.of("platform=" + m[0]), Optional.of("Pub. L. 115-232 §889"),
                        Finding.Remediation.REPLACE, Map.of("effective", "2019-08-13")));
            }
            if (d % 3 == 0) {
                findings.add(new Finding("telnet-open", Finding.Kind.EXPOSURE, Finding.Severity
                        .HIGH, i.deviceKey(), i.address(), "Telnet is open", List.of("port=23"),
                        Optional.empty(), Finding.Remediation.DISABLE_SERVICE, Map.of()));
            }
        }
        log.replaceIdentifications(id, ids, "bench");
        log.replaceFindings(id, findings);
        log.finishScan(id, "complete", new ScanSummary(devices, devices, devices * 5L,
                observations, 60_000), started.plusSeconds(60));
    }

    /** Every site uses the same loopback range (a device's key includes its site). */
    static String address(int d) {
        return "127.60." + d / 250 + "." + (d % 250 + 1);
    }

    static String mac(int site, int d) {
        return String.format("02:00:%02x:%02x:%02x:%02x", site & 0xff, (site >> 8) & 0xff,
                d >> 8 & 0xff, d & 0xff);
    }

    static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
