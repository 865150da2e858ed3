package org.camaudit.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.camaudit.server.agent.AgentClient;
import org.camaudit.server.agent.PinnedCertificate;
import org.camaudit.server.agent.ServerRefusedException;
import org.camaudit.server.alerts.SiteSchedule;
import org.camaudit.server.db.CentralStore;
import org.camaudit.server.db.LocalPostgres;
import org.camaudit.server.db.PostgresExtension;
import org.camaudit.server.db.Role;
import org.camaudit.server.wire.BatchJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Site schedules over the API: an admin sets one, a viewer and the site's own agent read it. */
@ExtendWith(PostgresExtension.class)
class ScheduleApiTest {
    @TempDir
    static Path dataDir;
    private static CentralStore store;
    private static ApiServer server;
    private static HttpClient http;
    private static String viewer;
    private static String admin;

    @BeforeAll
    static void start(LocalPostgres pg) {
        store = CentralStore.open(pg.settings());
        server = ApiServer.start(store, ApiServer.Settings.of("127.0.0.1", 0, dataDir));
        http = HttpClient.newBuilder().sslContext(PinnedCertificate.context(server.certificate()
                .fingerprint())).build();
        viewer = store.addUser("vic", Role.VIEWER, "test", "test");
        admin = store.addUser("ada", Role.ADMIN, "test", "test");
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    @Test
    void anAdminSetsAScheduleThatTheViewerAndOnlyTheSitesOwnAgentRead() throws Exception {
        AgentClient client = client();
        String plant = client.enrol(store.addSite("plant-1", "test", "test").enrolmentToken(),
                "a1").credential();
        String other = client.enrol(store.addSite("plant-2", "test", "test").enrolmentToken(),
                "a2").credential();
        assertThat(client.schedule(plant, "plant-1")).isEmpty();

        String body = "{\"every\": \"15m\", \"targets\": [\"127.40.0.0/28\", \"127.40.1.5\"],"
                + " \"exclude\": [\"127.40.0.9\"], \"ports\": [80, 554],"
                + " \"authorized_by\": \"J. Smith, CHG-7\", \"updated_by\": \"forged\"}";
        assertThat(call("PUT", "/sites/plant-1/schedule", viewer, body).statusCode()).isEqualTo(
                403);
        assertThat(call("PUT", "/sites/plant-1/schedule", plant, body).statusCode()).isEqualTo(
                403);
        HttpResponse<String> put = call("PUT", "/sites/plant-1/schedule", admin, body);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(json(put).path("updated_by").asText()).isEqualTo("user:ada");

        JsonNode read = json(call("GET", "/sites/plant-1/schedule", viewer, ""));
        assertThat(read.path("every_seconds").asLong()).isEqualTo(900);
        assertThat(read.path("exclude").get(0).asText()).isEqualTo("127.40.0.9");

        SiteSchedule s = client.schedule(plant, "plant-1").orElseThrow();
        assertThat(s.every()).isEqualTo(Duration.ofMinutes(15));
        assertThat(s.targets()).containsExactly("127.40.0.0/28", "127.40.1.5");
        assertThat(s.ports()).contains(List.of(80, 554));
        assertThat(s.authorizedBy()).isEqualTo("J. Smith, CHG-7");

        // another site's agent may not read it, nor may an agent read a site it does not belong to
        assertThatThrownBy(() -> client.schedule(other, "plant-1")).isInstanceOfSatisfying(
                ServerRefusedException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThat(client.schedule(other, "plant-2")).isEmpty();
        assertThat(store.auditLog(10)).anySatisfy(a -> assertThat(a.action()).isEqualTo(
                "schedule.set"));

        assertThat(call("DELETE", "/sites/plant-1/schedule", admin, "").statusCode()).isEqualTo(
                204);
        assertThat(client.schedule(plant, "plant-1")).isEqualTo(Optional.empty());
        assertThat(call("DELETE", "/sites/plant-1/schedule", admin, "").statusCode()).isEqualTo(
                404);
    }

    @Test
    void aBadScheduleIsRefusedWithItsFlawAndNothingIsStored() throws Exception {
        store.addSite("plant-3", "test", "test");
        String[][] bad = {
                {"{\"every\": \"1h\", \"targets\": [\"camera.example\"], \"authorized_by\": \"x\"}",
                        "no host names"},
                {"{\"every\": \"soon\", \"targets\": [\"127.0.0.1\"], \"authorized_by\": \"x\"}",
                        "an interval is"},
                {"{\"every\": \"40d\", \"targets\": [\"127.0.0.1\"], \"authorized_by\": \"x\"}",
                        "31 days"},
                {"{\"every\": \"1h\", \"targets\": [], \"authorized_by\": \"x\"}", "at least one"},
                {"{\"every\": \"1h\", \"targets\": [\"127.0.0.1\"]}", "authorized_by"},
                {"{\"every\": \"1h\", \"targets\": [\"127.0.0.1\"], \"ports\": [0],"
                        + " \"authorized_by\": \"x\"}", "port out of range"},
                {"[1]", "JSON object"}};
        for (String[] b : bad) {
            HttpResponse<String> r = call("PUT", "/sites/plant-3/schedule", admin, b[0]);
            assertThat(r.statusCode()).as(b[0]).isEqualTo(400);
            assertThat(json(r).path("error").asText()).as(b[0]).contains(b[1]);
        }
        assertThat(call("GET", "/sites/plant-3/schedule", viewer, "").statusCode()).isEqualTo(404);
        assertThat(call("PUT", "/sites/nowhere/schedule", admin, bad[0][0]).statusCode())
                .isEqualTo(404);
    }

    @Test
    void anAdminAddsAlertChannelsWhoseSecretsAreNeverShown() throws Exception {
        String agent = client().enrol(store.addSite("plant-4", "test", "test").enrolmentToken(),
                "a4").credential();
        String hook = "{\"kind\": \"webhook\", \"target\": \"https://127.0.0.1:9/h\","
                + " \"secret\": \"sixteen-characters-at-least\"}";
        assertThat(call("POST", "/alert-channels", viewer, hook).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/alert-channels", agent, hook).statusCode()).isEqualTo(403);
        assertThat(call("GET", "/alerts", agent, "").statusCode()).isEqualTo(403);
        for (String[] bad : new String[][]{
                {"{\"kind\": \"webhook\", \"target\": \"https://127.0.0.1:9/h\"}", "secret"},
                {"{\"kind\": \"syslog\", \"target\": \"udp://127.0.0.1\"}", "udp://HOST:PORT"},
                {"{\"kind\": \"pager\", \"target\": \"x\"}", "webhook or syslog"}}) {
            HttpResponse<String> r = call("POST", "/alert-channels", admin, bad[0]);
            assertThat(r.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(json(r).path("error").asText()).contains(bad[1]);
        }
        HttpResponse<String> added = call("POST", "/alert-channels", admin, hook);
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        long id = json(added).path("id").asLong();
        assertThat(call("POST", "/alert-channels", admin, "{\"kind\": \"syslog\", \"target\":"
                + " \"tcp://127.0.0.1:5514\"}").statusCode()).isEqualTo(201);
        HttpResponse<String> list = call("GET", "/alert-channels", admin, "");
        assertThat(json(list)).hasSize(2);
        assertThat(list.body()).doesNotContain("sixteen-characters");
        assertThat(json(call("GET", "/alerts", viewer, "")).isArray()).isTrue();
        assertThat(call("DELETE", "/alert-channels/" + id, admin, "").statusCode()).isEqualTo(204);
        assertThat(call("DELETE", "/alert-channels/" + id, admin, "").statusCode()).isEqualTo(404);
        assertThat(json(call("GET", "/alert-channels", admin, ""))).hasSize(1);
    }

    private static AgentClient client() {
        return new AgentClient(URI.create("https://127.0.0.1:" + server.port()), server
                .certificate().fingerprint());
    }

    private static HttpResponse<String> call(String method, String path, String token,
            String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server
                .port() + ApiServer.BASE + path)).timeout(Duration.ofSeconds(30)).method(method,
                        body.isEmpty()
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body));
        b.header("Authorization", "Bearer " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return BatchJson.MAPPER.readTree(r.body());
    }
}
