package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.camaudit.model.IpRange;
import org.camaudit.server.alerts.Alerts;
import org.camaudit.server.db.LocalPostgres;
import org.camaudit.server.wire.BatchJson;
import org.camaudit.testbed.DeviceSpec;
import org.camaudit.testbed.Fleet;
import org.camaudit.testbed.FleetPlan;
import org.camaudit.testbed.Personalities;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "done when", from the command line: an agent with a schedule scans a loopback
 * fleet and pushes (the site's baseline); a new covered device joins the fleet on a new address in
 * scope; the next scheduled scan runs; the webhook receiver gets exactly one signed alert, naming
 * that device.
 */
class ContinuousAuditTest {
    private static final String FLEET = "127.98.0.0/29";
    private static final String SCOPE = "127.98.0.0/27";
    private static final String NEW_DEVICE = "127.98.0.20";
    private static final String SECRET = "continuous-audit-test-secret";

    @TempDir
    Path agentDir;
    @TempDir
    Path serverDir;

    @Test
    void aNewCoveredDeviceInScopeGivesExactlyOneSignedWebhookAlertAfterTheNextScheduledScan()
            throws Exception {
        LocalPostgres.unavailableReason().ifPresent(reason -> {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(reason);
            }
            Assumptions.abort(reason);
        });
        Personalities catalog = Personalities.standard();
        Map<String, Integer> mix = new LinkedHashMap<>();
        mix.put("hikvision-camera", 1);
        mix.put("axis-camera", 1);
        mix.put("bosch-camera", 1);
        List<DeviceSpec> first = FleetPlan.generate(4, IpRange.parse(FLEET), mix, 11, catalog);
        DeviceSpec added = FleetPlan.generate(1, IpRange.parse(NEW_DEVICE + "/32"), Map.of(
                "dahua-camera", 1), 12, catalog).getFirst();
        assertThat(added.findings()).as("the new device is covered by a ban").contains(
                "ndaa-889");

        List<JsonNode> received = new CopyOnWriteArrayList<>();
        List<String> refused = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getByName(
                "127.0.0.1"), 0), 0);
        hook.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            String sig = ex.getRequestHeaders().getFirst(Alerts.SIGNATURE);
            if (("sha256=" + Alerts.hmac(SECRET, body)).equals(sig)) {
                received.add(BatchJson.MAPPER.readTree(body));
            } else {
                refused.add(sig);
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hook.start();
        Path secret = serverDir.resolve("hook.secret");
        Files.writeString(secret, SECRET + "\n");
        try (LocalPostgres pg = LocalPostgres.start();
                Fleet fleet = Fleet.start(first,
                        catalog)) {
            String db = pg.url();
            CliRun site = CliRun.of("server", "site", "add", "plant-9", "--db", db);
            assertThat(site.exit()).as(site.err()).isZero();
            String[] lines = site.out().strip().split("\n");
            String token = lines[lines.length - 1].strip();
            CliRun schedule = CliRun.of("server", "schedule", "set", "plant-9", "--every", "1h",
                    "--scope", SCOPE, "--ports", "80,554,8000,37777", "--authorized-by",
                    "ContinuousAuditTest, loopback fleet", "--db", db);
            assertThat(schedule.exit()).as(schedule.err()).isZero();
            CliRun channel = CliRun.of("server", "alert", "add", "webhook", "http://127.0.0.1:"
                    + hook.getAddress().getPort() + "/hook", "--secret-file", secret.toString(),
                    "--db", db);
            assertThat(channel.exit()).as(channel.err()).isZero();

            ServerAgentTest.ServerProcess server = ServerAgentTest.ServerProcess.start("--db", db,
                    "--listen", "127.0.0.1:0", "--data-dir", serverDir.toString());
            try {
                CliRun enrol = CliRun.of("agent", "enrol", "https://127.0.0.1:" + server.port,
                        token, "--fingerprint", server.fingerprint, "--data-dir", agentDir
                                .toString());
                assertThat(enrol.exit()).as(enrol.err()).isZero();

                // a schedule reaching outside what the agent's operator allows is refused
                CliRun outside = CliRun.of("agent", "run", "--within", "127.98.0.0/28", "--once",
                        "--quiet", "--data-dir", agentDir.toString());
                assertThat(outside.exit()).isEqualTo(ExitCode.SCOPE_REFUSED);
                assertThat(outside.err()).contains("outside --within", "nothing sent");

                CliRun baseline = CliRun.of("agent", "run", "--within", "127.98.0.0/16",
                        "--once", "--quiet", "--data-dir", agentDir.toString());
                assertThat(baseline.exit()).as(baseline.out() + baseline.err()).isZero();
                assertThat(baseline.out()).contains("schedule of site plant-9", "scan 1",
                        "pushed to");

                try (Fleet joined = Fleet.start(List.of(added), catalog)) {
                    CliRun next = CliRun.of("agent", "run", "--within", "127.98.0.0/16",
                            "--once", "--quiet", "--data-dir", agentDir.toString());
                    assertThat(next.exit()).as(next.out() + next.err()).isZero();
                    assertThat(next.out()).contains("scan 2");
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (received.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(received).as("signed webhook alerts").hasSize(1);
            } finally {
                assertThat(server.stop()).as(server.err.toString()).isZero();
            }
            // the server is stopped: nothing more can arrive
            assertThat(refused).isEmpty();
            assertThat(received).hasSize(1);
            JsonNode alert = received.getFirst();
            assertThat(alert.path("rule").asText()).isEqualTo("new-covered-device");
            assertThat(alert.path("site").asText()).isEqualTo("plant-9");
            assertThat(alert.path("device").path("address").asText()).isEqualTo(NEW_DEVICE);
            assertThat(alert.path("device").path("platform").asText()).isEqualTo("Dahua");
            assertThat(alert.path("title").asText()).contains(NEW_DEVICE);
            assertThat(alert.path("findings").toString()).contains("ndaa-889");
        } finally {
            hook.stop(0);
        }
    }
}
