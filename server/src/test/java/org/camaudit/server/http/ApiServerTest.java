package org.camaudit.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.model.Scan;
import org.camaudit.report.Format;
import org.camaudit.report.ReportData;
import org.camaudit.report.Reports;
import org.camaudit.report.ScanDiff;
import org.camaudit.report.ServiceTally;
import org.camaudit.rules.bom.BomCheck;
import org.camaudit.rules.bom.BomFile;
import org.camaudit.rules.findings.FindingEngine;
import org.camaudit.rules.findings.FindingPacks;
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
            if (!mp[1].startsWith(ApiServer.BASE)) {
                continue;
            }
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
        Set<String> api = new TreeSet<>(
                server.routes().stream().filter(route -> route.split(" ", 2)[1]
                        .startsWith("/api/")).toList());
        assertThat(documented).isEqualTo(api);
        assertThat(documented).hasSizeGreaterThanOrEqualTo(17);
    }

    @Test
    void scansTheirDiffAndThePolicyFilterComeFromTheStore() throws Exception {
        Pushed p = pushTwoScans("inventory");
        JsonNode scans = json(call("GET", "/scans?site=inventory", viewer, ""));
        assertThat(scans.size()).isEqualTo(2);
        assertThat(scans.get(0).path("id").asLong()).isEqualTo(p.later());
        assertThat(scans.get(1).path("id").asLong()).isEqualTo(p.earlier());
        assertThat(scans.get(1).path("status").asText()).isEqualTo("complete");
        assertThat(scans.get(1).path("complete").asBoolean()).isTrue();
        assertThat(scans.get(1).path("counts").path("identifications").asLong()).isEqualTo(2);
        assertThat(scans.get(1).path("counts").path("findings").asLong()).isEqualTo(2);
        assertThat(scans.get(1).path("counts").path("observations_stored").asLong()).isEqualTo(2);
        JsonNode one = json(call("GET", "/scans/" + p.earlier(), viewer, ""));
        assertThat(one.path("site").asText()).isEqualTo("inventory");
        assertThat(one.path("agent_scan").asLong()).isEqualTo(21);
        assertThat(one.path("started").asText()).isEqualTo(SampleScans.STARTED.toString());
        assertThat(call("GET", "/scans/999999", viewer, "").statusCode()).isEqualTo(404);
        assertThat(call("GET", "/scans/abc", viewer, "").statusCode()).isEqualTo(400);
        assertThat(call("GET", "/scans?site=nowhere", viewer, "").statusCode()).isEqualTo(404);

        JsonNode ndaa = json(call("GET", "/findings?site=inventory&policy=NDAA889", viewer, ""));
        assertThat(ndaa.size()).isEqualTo(1);
        assertThat(ndaa.get(0).path("id").asText()).isEqualTo("ndaa-889");
        assertThat(ndaa.get(0).path("scan").asLong()).isEqualTo(p.later());
        assertThat(json(call("GET", "/findings?site=inventory&policy=uk2022", viewer, "")))
                .isEmpty();

        HttpResponse<String> diff = call("GET", "/diff?site=inventory&from=" + p.earlier() + "&to="
                + p.later(), viewer, "");
        assertThat(diff.statusCode()).isEqualTo(200);
        ObjectNode expected = ScanDiff.of(p.earlier(), p.first().identifications(), p.first()
                .findings(), p.later(), p.second().identifications(), p.second().findings())
                .json();
        expected.put("site", "inventory");
        assertThat(json(diff)).isEqualTo(BatchJson.MAPPER.readTree(expected.toString()));
        JsonNode d = json(diff);
        assertThat(d.path("devices_added").get(0).path("address").asText()).isEqualTo(
                "127.0.0.4");
        assertThat(d.path("devices_removed").get(0).path("address").asText()).isEqualTo(
                "127.0.0.3");
        assertThat(d.path("devices_changed").get(0).path("changes").path("firmware").path(
                "after").asText()).isEqualTo("V5.7.3");
        assertThat(d.path("findings_fixed").get(0).path("id").asText()).isEqualTo("telnet-open");
        Pushed other = pushTwoScans("elsewhere");
        assertThat(call("GET", "/diff?site=inventory&from=" + p.earlier() + "&to=" + other
                .later(), viewer, "").statusCode()).isEqualTo(404);
        assertThat(call("GET", "/diff?site=inventory&from=" + p.earlier(), viewer, "")
                .statusCode()).isEqualTo(400);
    }

    @Test
    void everyReportFormatIsMadeByTheReportModuleFromTheStoredScan() throws Exception {
        Pushed p = pushTwoScans("reports");
        HttpResponse<String> csv = call("GET", "/reports/csv?scan=" + p.earlier(), viewer, "");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        ServiceTally services = new ServiceTally();
        p.first().observations().forEach(services);
        ScanHeader h = p.first().scan();
        ReportData data = new ReportData(new Scan(p.earlier(), h.started(), h.finished(), h
                .kind(), h.authorizedBy(), h.scope(), p.closing().scan().status(),
                p.closing()
                        .scan().summary()),
                p.closing().identifications(), p.closing()
                        .findings(),
                services.services(), Instant.now(), "unknown");
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        Reports.write(data, Format.CSV, want);
        assertThat(csv.body()).isEqualTo(want.toString(StandardCharsets.UTF_8));
        assertThat(csv.body()).contains("127.0.0.2", "ndaa-889", ",no,,http,");

        for (Format f : Format.values()) {
            HttpResponse<byte[]> r = bytes("/reports/" + f.label() + "?site=reports", viewer);
            assertThat(r.statusCode()).as(f.label()).isEqualTo(200);
            String head = new String(r.body(), 0, Math.min(r.body().length, 400),
                    StandardCharsets.ISO_8859_1);
            switch (f) {
                case PDF -> assertThat(head).startsWith("%PDF-");
                case HTML -> assertThat(head).containsIgnoringCase("<!doctype html");
                case CSV -> assertThat(head).startsWith("scan,address,");
                case JSON -> assertThat(BatchJson.MAPPER.readTree(r.body()).toString()).contains(
                        "127.0.0.4");
                case CYCLONEDX -> assertThat(BatchJson.MAPPER.readTree(r.body()).path(
                        "bomFormat").asText()).isEqualTo("CycloneDX");
            }
        }
        assertThat(new String(bytes("/reports/csv?site=reports", viewer).body(),
                StandardCharsets.UTF_8)).contains(p.later() + ",127.0.0.4").doesNotContain(
                        "127.0.0.3");
        assertThat(call("GET", "/reports/docx?site=reports", viewer, "").statusCode()).isEqualTo(
                404);
        assertThat(call("GET", "/reports/csv", viewer, "").statusCode()).isEqualTo(400);
        assertThat(call("GET", "/reports/csv?site=reports&scan=1", viewer, "").statusCode())
                .isEqualTo(400);
        store.addSite("empty-site", "test", "test");
        assertThat(call("GET", "/reports/csv?site=empty-site", viewer, "").statusCode())
                .isEqualTo(404);
    }

    @Test
    void checkBomGivesTheVerdictsOfTheSharedBomCheck() throws Exception {
        String bom = "Manufacturer;Model No.;Qty\nHikvision;DS-2CD2143G0-I;4\nAxis;P3245-V;2\n";
        HttpResponse<String> r = call("POST", "/check-bom?as_of=2026-07-01", viewer, bom);
        assertThat(r.statusCode()).isEqualTo(200);
        BomCheck check = new BomCheck(new FindingEngine(FindingPacks.shipped(), List.of(),
                LocalDate.parse("2026-07-01")));
        List<JsonNode> want = new ArrayList<>();
        for (BomCheck.Verdict v : check.check(BomFile.parse(bom, "bom"))) {
            want.add(BatchJson.MAPPER.readTree(v.json().toString()));
        }
        JsonNode got = json(r);
        assertThat(got.path("lines")).containsExactlyElementsOf(want);
        assertThat(got.path("banned_lines").asInt()).isEqualTo(1);
        assertThat(got.path("lines").get(0).path("policies").toString()).contains("ndaa889");
        assertThat(got.path("lines").get(1).path("policies")).isEmpty();
        JsonNode only = json(call("POST", "/check-bom?policy=ndaa889", viewer, bom));
        assertThat(only.path("policies").toString()).isEqualTo("[\"ndaa889\"]");
        assertThat(json(call("POST", "/check-bom", viewer, "just,some\ncells,here\n")).path(
                "error").asText()).contains("no header row");
        assertThat(call("POST", "/check-bom?policy=nosuch", viewer, bom).statusCode()).isEqualTo(
                400);
        assertThat(call("POST", "/check-bom?as_of=yesterday", viewer, bom).statusCode())
                .isEqualTo(400);
    }

    @Test
    void theNewRoutesFollowTheRoles() throws Exception {
        String agent = enrolledAgent("roles-new").credential();
        for (String path : new String[]{"/scans", "/scans/1", "/diff?site=x&from=1&to=2",
                "/reports/csv?site=roles-new"}) {
            assertThat(call("GET", path, agent, "").statusCode()).as(path).isEqualTo(403);
        }
        assertThat(call("POST", "/check-bom", agent, "Brand,Model\nAxis,P1\n").statusCode())
                .isEqualTo(403);
        for (String token : new String[]{viewer, auditor, agent}) {
            assertThat(call("DELETE", "/users/vera/tokens", token, "").statusCode()).isEqualTo(403);
            assertThat(call("DELETE", "/sites/roles-new/agents", token, "").statusCode())
                    .isEqualTo(403);
            assertThat(call("POST", "/sites/roles-new/enrolment", token, "").statusCode())
                    .isEqualTo(403);
        }
        assertThat(call("GET", "/scans", auditor, "").statusCode()).isEqualTo(200);
        assertThat(call("GET", "/sites", viewer, "").statusCode()).isEqualTo(200);
    }

    @Test
    void aRevokedTokenOrAgentIsRefusedAtOnceAndTheRevocationIsAudited() throws Exception {
        String rita = store.addUser("rita", Role.VIEWER, "test", "test");
        assertThat(call("GET", "/sites", rita, "").statusCode()).isEqualTo(200);
        HttpResponse<String> revoked = call("DELETE", "/users/rita/tokens", admin, "");
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(json(revoked).path("revoked").asInt()).isEqualTo(1);
        assertThat(call("GET", "/sites", rita, "").statusCode()).isEqualTo(401);
        assertThat(json(call("DELETE", "/users/rita/tokens", admin, "")).path("revoked").asInt())
                .isZero();
        assertThat(call("DELETE", "/users/nobody/tokens", admin, "").statusCode()).isEqualTo(404);

        AgentClient.Enrolment e = enrolledAgent("revoked-site");
        AgentClient client = new AgentClient(URI.create("https://127.0.0.1:" + server.port()),
                server.certificate().fingerprint());
        Batch b = SampleScans.observations(SampleScans.header(31), 0, SampleScans.observation(
                "127.0.0.2", "App-webs/"));
        assertThat(client.push(e.credential(), b, BatchJson.write(b))).isTrue();
        assertThat(json(call("DELETE", "/sites/revoked-site/agents", admin, "")).path("revoked")
                .asInt()).isEqualTo(1);
        assertThatThrownBy(() -> client.push(e.credential(), b, BatchJson.write(b))).isInstanceOf(
                ServerRefusedException.class).hasMessageContaining("401");
        assertThat(call("DELETE", "/sites/nowhere/agents", admin, "").statusCode()).isEqualTo(
                404);
        HttpResponse<String> again = call("POST", "/sites/revoked-site/enrolment", admin, "");
        assertThat(again.statusCode()).isEqualTo(201);
        AgentClient.Enrolment second = client.enrol(json(again).path("enrolment_token").asText(),
                "replacement");
        assertThat(second.site()).isEqualTo("revoked-site");
        Batch next = SampleScans.observations(SampleScans.header(32), 0, SampleScans.observation(
                "127.0.0.2", "App-webs/"));
        assertThat(client.push(second.credential(), next, BatchJson.write(next))).isTrue();

        JsonNode log = json(call("GET", "/audit-log?limit=50", admin, ""));
        assertThat(log).anySatisfy(a -> {
            assertThat(a.path("action").asText()).isEqualTo("user.revoke");
            assertThat(a.path("actor").asText()).isEqualTo("user:adam");
            assertThat(a.path("detail").path("name").asText()).isEqualTo("rita");
        });
        assertThat(log).anySatisfy(a -> {
            assertThat(a.path("action").asText()).isEqualTo("agent.revoke");
            assertThat(a.path("site").asText()).isEqualTo("revoked-site");
        });
        assertThat(log).anySatisfy(a -> assertThat(a.path("action").asText()).isEqualTo(
                "site.enrolment"));
    }

    /** Two scans of one site as pushed, and their ids on the server. */
    private record Pushed(Batch first, Batch closing, Batch second, long earlier, long later) {
    }

    /**
     * Scan 21: a Hikvision camera (a policy finding) and an Axis camera (telnet open). Scan 22,
     * a day later: the Hikvision camera with newer firmware, the Axis camera gone, a new one.
     */
    private static Pushed pushTwoScans(String site) throws Exception {
        AgentClient.Enrolment e = enrolledAgent(site);
        AgentClient client = new AgentClient(URI.create("https://127.0.0.1:" + server.port()),
                server.certificate().fingerprint());
        ScanHeader h1 = SampleScans.header(21);
        Batch first = SampleScans.observations(h1, 0, SampleScans.observation("127.0.0.2",
                "App-webs/"), SampleScans.observation("127.0.0.3", "AXIS"));
        Batch last1 = withPolicyDetail(SampleScans.last(h1, 1));
        client.push(e.credential(), first, BatchJson.write(first));
        client.push(e.credential(), last1, BatchJson.write(last1));
        Instant later = SampleScans.STARTED.plus(Duration.ofDays(1));
        ScanHeader h2 = new ScanHeader(22, h1.kind(), h1.authorizedBy(), h1.scope(), "complete",
                later, Optional.of(later.plusSeconds(5)), h1.summary());
        Identification hik = last1.identifications().get(0);
        Identification newer = new Identification(hik.address(), hik.mac(), hik.brand(), hik
                .platform(), hik.model(), Optional.of("V5.7.3"), hik.type(), hik.confidence(),
                hik
                        .oemRebrand(),
                hik.evidence(), hik.conflicts());
        Identification fresh = new Identification("127.0.0.4", Optional.empty(), Optional.of(
                "Dahua"), Optional.of("Dahua"), Optional.empty(), Optional.empty(),
                Optional.of(
                        "nvr"),
                0.7, false, List.of(), List.of());
        Batch second = SampleScans.observations(h2, 0, SampleScans.observation("127.0.0.2",
                "App-webs/"), SampleScans.observation("127.0.0.4", "DNVRS-Webs"));
        Batch last2 = new Batch(h2, 1, List.of(), true, List.of(newer, fresh), List.of(last1
                .findings().get(0)));
        client.push(e.credential(), second, BatchJson.write(second));
        client.push(e.credential(), last2, BatchJson.write(last2));
        long siteId = siteId(site);
        List<Long> ids = store.siteScans(Optional.of(siteId)).stream().map(s -> s.scan().id())
                .toList();
        Batch whole1 = new Batch(h1, 0, first.observations(), true, last1.identifications(), last1
                .findings());
        Batch whole2 = new Batch(h2, 0, second.observations(), true, last2.identifications(),
                last2.findings());
        return new Pushed(whole1, last1, whole2, ids.get(1), ids.get(0));
    }

    /** The sample's NDAA finding with the policy detail a real policy finding carries. */
    private static Batch withPolicyDetail(Batch b) {
        List<Finding> findings = new ArrayList<>();
        for (Finding f : b.findings()) {
            Map<String, String> details = new TreeMap<>(f.details());
            if (f.kind() == Finding.Kind.POLICY) {
                details.put("policy", "ndaa889");
            }
            findings.add(new Finding(f.id(), f.kind(), f.severity(), f.deviceKey(), f.address(), f
                    .title(), f.evidence(), f.citation(), f.remediation(), details));
        }
        return new Batch(b.scan(), b.seq(), b.observations(), b.last(), b.identifications(),
                findings);
    }

    private static HttpResponse<byte[]> bytes(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer "
                + token).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers
                        .ofByteArray());
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
