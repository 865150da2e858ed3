package org.camaudit.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
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
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLHandshakeException;
import org.camaudit.server.agent.AgentClient;
import org.camaudit.server.agent.PinnedCertificate;
import org.camaudit.server.agent.ServerRefusedException;
import org.camaudit.server.db.CentralStore;
import org.camaudit.server.db.LocalPostgres;
import org.camaudit.server.db.PostgresExtension;
import org.camaudit.server.db.Role;
import org.camaudit.server.db.SampleScans;
import org.camaudit.server.wire.Batch;
import org.camaudit.server.wire.BatchJson;
import org.camaudit.server.wire.ScanHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The API over real TLS on 127.0.0.1, against a real PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class ApiServerTest {
    private static final long MAX_BODY = 256 * 1024;
    @TempDir
    static Path dataDir;
    private static CentralStore store;
    private static ApiServer server;
    private static HttpClient http;
    private static String viewer;
    private static String auditor;
    private static String admin;

    @BeforeAll
    static void start(LocalPostgres pg) {
        store = CentralStore.open(pg.settings());
        server = ApiServer.start(store, ApiServer.Settings.of("127.0.0.1", 0, dataDir).withLimits(
                MAX_BODY, 1_000, Duration.ofMinutes(10)));
        http = HttpClient.newBuilder().sslContext(PinnedCertificate.context(server.certificate()
                .fingerprint())).build();
        viewer = store.addUser("vera", Role.VIEWER, "test", "test");
        auditor = store.addUser("aude", Role.AUDITOR, "test", "test");
        admin = store.addUser("adam", Role.ADMIN, "test", "test");
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    @Test
    void theSelfSignedCertificateIsKeptInTheDataDirAndPinnedByItsFingerprint() throws Exception {
        assertThat(Files.exists(dataDir.resolve(ServerCertificate.KEYSTORE))).isTrue();
        assertThat(server.certificate().fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        try (ApiServer again = ApiServer.start(store, ApiServer.Settings.of("127.0.0.1", 0,
                dataDir))) {
            assertThat(again.certificate().created()).isFalse();
            assertThat(again.certificate().fingerprint()).isEqualTo(server.certificate()
                    .fingerprint());
        }
        String wrong = "00:" + server.certificate().fingerprint().substring(3);
        HttpClient pinnedElsewhere = HttpClient.newBuilder().sslContext(PinnedCertificate.context(
                wrong)).build();
        assertThatThrownBy(() -> pinnedElsewhere.send(HttpRequest.newBuilder(uri("/health"))
                .build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(
                        SSLHandshakeException.class);
        assertThat(call("GET", "/health", "", "").statusCode()).isEqualTo(200);
    }

    @Test
    void aGivenKeystoreIsServed(@TempDir Path elsewhere) {
        ServerCertificate made = ServerCertificate.selfSigned(elsewhere, "127.0.0.1");
        try (ApiServer given = ApiServer.start(store, ApiServer.Settings.of("127.0.0.1", 0, dataDir
                .resolve("unused")).withKeystore(elsewhere.resolve(ServerCertificate.KEYSTORE), made
                        .password()))) {
            assertThat(given.certificate().fingerprint()).isEqualTo(made.fingerprint());
            assertThat(Files.exists(dataDir.resolve("unused"))).isFalse();
        }
    }

    @Test
    void plainHttpIsNotServed() {
        HttpClient plain = HttpClient.newHttpClient();
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.port() + "/api/v1/health")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    @Test
    void everyRouteButHealthAndEnrolmentAnswers401WithoutOrWithABadToken() throws Exception {
        List<String> checked = new ArrayList<>();
        for (String route : server.routes()) {
            String[] mp = route.split(" ", 2);
            String path = mp[1].substring(ApiServer.BASE.length()).replaceAll("\\{[^}]+}", "1");
            if (path.equals("/health") || path.equals("/enrol")) {
                continue;
            }
            for (String token : new String[]{"", "cau_not-a-token", viewer + "x"}) {
                HttpResponse<String> r = call(mp[0], path, token, "{}");
                assertThat(r.statusCode()).as(route + " with \"" + token + "\"").isEqualTo(401);
                assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
                assertThat(json(r).path("error").asText()).contains("bearer token");
            }
            checked.add(route);
        }
        assertThat(checked).contains("GET /api/v1/devices", "GET /api/v1/findings",
                "POST /api/v1/scans/{scan}/batches");
    }

    @Test
    void rolesDecideWhatAUserMayDoAndAnAgentReadsNothing() throws Exception {
        String agent = enrolledAgent("roles").credential();
        assertThat(call("GET", "/sites", viewer, "").statusCode()).isEqualTo(200);
        assertThat(call("GET", "/audit-log", viewer, "").statusCode()).isEqualTo(403);
        assertThat(call("GET", "/audit-log", auditor, "").statusCode()).isEqualTo(403);
        HttpResponse<String> log = call("GET", "/audit-log?limit=5", admin, "");
        assertThat(log.statusCode()).isEqualTo(200);
        assertThat(json(log).size()).isEqualTo(5);
        assertThat(call("POST", "/sites", auditor, "{\"name\":\"nope\"}").statusCode()).isEqualTo(
                403);
        assertThat(call("GET", "/sites", agent, "").statusCode()).isEqualTo(403);
        assertThat(call("GET", "/devices", agent, "").statusCode()).isEqualTo(403);
        assertThat(call("POST", "/scans/1/batches", viewer, "{}").statusCode()).isEqualTo(403);
        assertThat(json(call("POST", "/scans/1/batches", admin, "{}")).path("error").asText())
                .contains("agents only");
    }

    @Test
    void anAgentEnrolsOncePushesIdempotentlyAndItsSiteShowsDevicesAndFindings() throws Exception {
        HttpResponse<String> added = call("POST", "/sites", admin, "{\"name\":\"hq\"}");
        assertThat(added.statusCode()).isEqualTo(201);
        String token = json(added).path("enrolment_token").asText();
        assertThat(call("POST", "/sites", admin, "{\"name\":\"hq\"}").statusCode()).isEqualTo(409);
        AgentClient client = new AgentClient(URI.create("https://127.0.0.1:" + server.port()),
                server.certificate().fingerprint());
        AgentClient.Enrolment e = client.enrol(token, "hq-agent");
        assertThat(e.site()).isEqualTo("hq");
        assertThatThrownBy(() -> client.enrol(token, "again")).isInstanceOf(
                ServerRefusedException.class).hasMessageContaining("401");

        ScanHeader h = SampleScans.header(7);
        Batch first = SampleScans.observations(h, 0, SampleScans.observation("127.0.0.2",
                "App-webs/"), SampleScans.observation("127.0.0.3", "AXIS"));
        Batch last = SampleScans.last(h, 1);
        assertThat(client.push(e.credential(), first, BatchJson.write(first))).isTrue();
        assertThat(client.push(e.credential(), first, BatchJson.write(first))).isFalse();
        assertThat(client.push(e.credential(), last, BatchJson.write(last))).isTrue();

        HttpResponse<String> devices = call("GET", "/devices?site=hq", viewer, "");
        assertThat(devices.statusCode()).isEqualTo(200);
        JsonNode d = json(devices);
        assertThat(d.size()).isEqualTo(2);
        assertThat(d.get(0).path("site").asText()).isEqualTo("hq");
        assertThat(d.get(0).path("address").asText()).isEqualTo("127.0.0.2");
        assertThat(d.get(0).path("identification").path("platform").asText()).isEqualTo(
                "Hikvision");
        assertThat(d.get(0).path("identification").path("evidence").get(0).path("rule").asText())
                .isEqualTo("hik-http-server");
        assertThat(d.get(0).path("findings").get(0).path("id").asText()).isEqualTo("ndaa-889");

        JsonNode critical = json(call("GET", "/findings?site=hq&severity=critical", viewer, ""));
        assertThat(critical.size()).isEqualTo(1);
        assertThat(critical.get(0).path("id").asText()).isEqualTo("ndaa-889");
        assertThat(json(call("GET", "/findings?site=hq&maker=AXIS", viewer, "")).get(0).path("id")
                .asText()).isEqualTo("telnet-open");
        assertThat(call("GET", "/findings?severity=dire", viewer, "").statusCode()).isEqualTo(400);
        assertThat(call("GET", "/devices?site=nowhere", viewer, "").statusCode()).isEqualTo(404);
        assertThat(json(call("GET", "/sites", viewer, ""))).anySatisfy(s -> {
            assertThat(s.path("name").asText()).isEqualTo("hq");
            assertThat(s.path("devices").asLong()).isEqualTo(2);
        });
        assertThat(json(call("GET", "/audit-log", admin, ""))).anySatisfy(a -> assertThat(a.path(
                "action").asText()).isEqualTo("batch.ingest"));
    }

    @Test
    void badBatchesGetAClear4xxAndChangeNothing() throws Exception {
        AgentClient.Enrolment e = enrolledAgent("bad-input");
        long before = store.countObservations(siteId("bad-input"));
        HttpResponse<String> malformed = call("POST", "/scans/1/batches", e.credential(),
                "{\"scan\":{},\"seq\":0}");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json(malformed).path("error").asText()).contains("scan");
        assertThat(call("POST", "/scans/1/batches", e.credential(), "not json").statusCode())
                .isEqualTo(400);
        Batch b = SampleScans.observations(SampleScans.header(2), 0, SampleScans.observation(
                "127.0.0.2", "App-webs/"));
        HttpResponse<String> wrongScan = call("POST", "/scans/3/batches", e.credential(),
                new String(BatchJson.write(b), StandardCharsets.UTF_8));
        assertThat(wrongScan.statusCode()).isEqualTo(400);
        AgentClient client = new AgentClient(URI.create("https://127.0.0.1:" + server.port()),
                server.certificate().fingerprint());
        assertThat(client.push(e.credential(), b, BatchJson.write(b))).isTrue();
        Batch clash = SampleScans.observations(SampleScans.header(2), 0, SampleScans.observation(
                "127.0.0.5", "Boa"));
        assertThatThrownBy(() -> client.push(e.credential(), clash, BatchJson.write(clash)))
                .isInstanceOf(ServerRefusedException.class).hasMessageContaining("409");
        HttpResponse<String> huge = call("POST", "/scans/2/batches", e.credential(), "x".repeat(
                (int) MAX_BODY + 1));
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(store.countObservations(siteId("bad-input"))).isEqualTo(before + 1);
    }

    @Test
    void anAddressThatFailsTooOftenIsRefusedForAWhile(@TempDir Path dir) throws Exception {
        try (ApiServer strict = ApiServer.start(store, ApiServer.Settings.of("127.0.0.1", 0, dir)
                .withLimits(MAX_BODY, 3, Duration.ofMinutes(10)))) {
            HttpClient c = HttpClient.newBuilder().sslContext(PinnedCertificate.context(strict
                    .certificate().fingerprint())).build();
            URI sites = URI.create("https://127.0.0.1:" + strict.port() + "/api/v1/sites");
            for (int i = 0; i < 3; i++) {
                assertThat(c.send(get(sites, "cau_guess" + i), HttpResponse.BodyHandlers
                        .ofString()).statusCode()).isEqualTo(401);
            }
            HttpResponse<String> blocked = c.send(get(sites, viewer), HttpResponse.BodyHandlers
                    .ofString());
            assertThat(blocked.statusCode()).isEqualTo(429);
            assertThat(blocked.headers().firstValue("Retry-After"))
                    .hasValueSatisfying(v -> assertThat(
                            Long.parseLong(v)).isBetween(1L, 600L));
        }
        assertThat(call("GET", "/sites", viewer, "").statusCode()).isEqualTo(200);
    }

    @Test
    void theOpenApiDocumentListsExactlyTheRealRoutes() throws Exception {
        HttpResponse<String> r = call("GET", "/openapi.json", viewer, "");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode doc = json(r);
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        Set<String> documented = new TreeSet<>();
        doc.path("paths").properties()
                .forEach(p -> p.getValue().properties()
                        .forEach(m -> documented.add(
                                m.getKey().toUpperCase(java.util.Locale.ROOT) + " " + ApiServer.BASE
                                        + p.getKey())));
        assertThat(documented).isEqualTo(new TreeSet<>(server.routes()));
        assertThat(documented).hasSizeGreaterThanOrEqualTo(9);
    }

    private static AgentClient.Enrolment enrolledAgent(String site) throws Exception {
        String token = store.addSite(site, "test", "test").enrolmentToken();
        return new AgentClient(URI.create("https://127.0.0.1:" + server.port()), server
                .certificate().fingerprint()).enrol(token, site + "-agent");
    }

    private static long siteId(String name) {
        return store.site(name).orElseThrow().id();
    }

    private static URI uri(String path) {
        return URI.create("https://127.0.0.1:" + server.port() + ApiServer.BASE + path);
    }

    private static HttpRequest get(URI uri, String token) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).timeout(
                Duration.ofSeconds(30)).build();
    }

    private static HttpResponse<String> call(String method, String path, String token,
            String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .method(method, method.equals("GET")
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (!token.isEmpty()) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return BatchJson.MAPPER.readTree(r.body());
    }
}
