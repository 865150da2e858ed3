package org.camaudit.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.server.db.CentralStore;
import org.camaudit.server.db.LocalPostgres;
import org.camaudit.server.db.PostgresExtension;
import org.camaudit.server.db.Principal;
import org.camaudit.server.db.SampleScans;
import org.camaudit.server.db.Secrets;
import org.camaudit.server.wire.Batch;
import org.camaudit.server.wire.BatchJson;
import org.camaudit.server.wire.ScanHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Alerts end to end on a real PostgreSQL and real listeners on 127.0.0.1: a baseline scan raises
 * nothing; the next scan's new covered device, new critical finding and new vendor cloud raise one
 * alert each, once; a webhook that first answers 500 gets each alert signed, once more, and then
 * never again; UDP and TCP syslog receivers get CEF they can parse back to the same values.
 */
@ExtendWith(PostgresExtension.class)
class AlertsTest {
    private static final String SECRET = "a-webhook-secret-of-some-length";
    private static final Pattern SYSLOG = Pattern.compile("<(\\d+)>1 (\\S+) (\\S+) camaudit - alert"
            + " - CEF:0\\|camaudit\\|camaudit\\|([^|]+)\\|(new-[a-z-]+)\\|([^|]+)\\|(\\d+)\\|(.*)",
            Pattern.DOTALL);
    private static final String ODD_TITLE = "Phones home | to a cloud = yes \\ really\nsecond line";

    @Test
    void newFactsAlertOnceAndReachEveryChannel(LocalPostgres pg) throws Exception {
        Map<Long, List<Integer>> answered = new ConcurrentHashMap<>();
        List<String> badSignatures = new CopyOnWriteArrayList<>();
        List<JsonNode> bodies = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getByName(
                "127.0.0.1"), 0), 0);
        hook.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            String sig = ex.getRequestHeaders().getFirst(Alerts.SIGNATURE);
            JsonNode n = BatchJson.MAPPER.readTree(body);
            if (!("sha256=" + Alerts.hmac(SECRET, body)).equals(sig) || !ex.getRequestHeaders()
                    .getFirst(Alerts.TIMESTAMP).equals(n.path("sent_at").asText())) {
                badSignatures.add(sig);
            }
            List<Integer> seen = answered.computeIfAbsent(n.path("id").asLong(),
                    k -> new CopyOnWriteArrayList<>());
            int status = seen.isEmpty() ? 500 : 200;
            seen.add(status);
            if (status == 200) {
                bodies.add(n);
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        hook.start();
        try (CentralStore store = CentralStore.open(pg.settings());
                DatagramSocket udp = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
                ServerSocket tcp = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"))) {
            String credential = store.enrol(store.addSite("depot", "test", "test")
                    .enrolmentToken(), "depot-agent", "test").orElseThrow().credential();
            Principal agent = store.principal(credential).orElseThrow();
            Alerts.Settings fast = new Alerts.Settings(Duration.ofMillis(50), Duration.ofMillis(
                    50), Duration.ofMillis(200), 5, Duration.ofSeconds(10));
            Alerts first = new Alerts(store, fast);
            first.addChannel(new AlertChannel(0, AlertChannel.Kind.WEBHOOK, URI.create(
                    "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook"),
                    Optional.of(
                            SECRET)),
                    "test", "test");
            first.addChannel(new AlertChannel(0, AlertChannel.Kind.SYSLOG, URI.create(
                    "udp://127.0.0.1:" + udp.getLocalPort()), Optional.empty()), "test", "test");
            first.addChannel(new AlertChannel(0, AlertChannel.Kind.SYSLOG, URI.create(
                    "tcp://127.0.0.1:" + tcp.getLocalPort()), Optional.empty()), "test", "test");

            push(store, agent, 1, SampleScans.last(SampleScans.header(1), 0));
            assertThat(first.evaluateNext()).as("the first scan is the baseline").contains(0);
            assertThat(first.evaluateNext()).isEmpty();

            push(store, agent, 2, second(SampleScans.header(2)));
            assertThat(first.evaluateNext()).contains(3);
            push(store, agent, 3, second(SampleScans.header(3)));
            assertThat(first.evaluateNext()).as("the same facts again raise nothing").contains(0);

            JsonNode alerts = first.recent(Optional.empty(), 10);
            Map<String, String> byRule = new HashMap<>();
            alerts.forEach(a -> byRule.put(a.path("rule").asText(), a.path("device").path(
                    "address").asText()));
            assertThat(byRule).containsExactlyInAnyOrderEntriesOf(Map.of("new-covered-device",
                    "127.0.0.4", "new-critical-finding", "127.0.0.3", "new-vendor-cloud",
                    "127.0.0.2"));
            JsonNode covered = find(alerts, "new-covered-device");
            assertThat(covered.path("device").path("platform").asText()).isEqualTo("Dahua");
            assertThat(covered.path("findings")).hasSize(2);

            // the webhook's first attempt of each alert fails; the syslog channels take them all
            // (a second Alerts instance on the same store finishes, as after a restart)
            List<String> tcpFrames = new CopyOnWriteArrayList<>();
            Thread tcpReader = Thread.ofVirtual().start(() -> readFrames(tcp, tcpFrames, 3));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int made = 0;
            while (made < 6 && first.deliverNext()) {
                made++;
            }
            Alerts second = new Alerts(store, fast);
            while (pending(store) > 0 && System.nanoTime() < deadline) {
                if (!second.deliverNext()) {
                    Thread.sleep(20);
                }
            }
            assertThat(pending(store)).isZero();
            assertThat(second.deliverNext()).as("nothing is sent again").isFalse();

            assertThat(badSignatures).isEmpty();
            assertThat(answered).hasSize(3);
            answered.values().forEach(v -> assertThat(v).containsExactly(500, 200));
            assertThat(bodies).allSatisfy(b -> assertThat(b.path("attempt").asInt()).isEqualTo(2));
            assertThat(store.column("SELECT count(*) FROM alert_attempt WHERE outcome = 'failed'"))
                    .containsExactly("3");
            assertThat(store.column("SELECT count(*) FROM alert_delivery WHERE state ="
                    + " 'delivered'")).containsExactly("9");

            List<Map<String, String>> udpEvents = new ArrayList<>();
            udp.setSoTimeout(10_000);
            for (int i = 0; i < 3; i++) {
                DatagramPacket p = new DatagramPacket(new byte[9000], 9000);
                udp.receive(p);
                udpEvents.add(parse(new String(p.getData(), 0, p.getLength(),
                        StandardCharsets.UTF_8)));
            }
            tcpReader.join(Duration.ofSeconds(30));
            assertThat(tcpFrames).hasSize(3);
            List<Map<String, String>> tcpEvents = tcpFrames.stream().map(AlertsTest::parse)
                    .toList();
            for (List<Map<String, String>> events : List.of(udpEvents, tcpEvents)) {
                assertThat(events).extracting(e -> e.get("signature")).containsExactlyInAnyOrder(
                        "new-covered-device", "new-critical-finding", "new-vendor-cloud");
                assertThat(events).allSatisfy(e -> assertThat(e.get("cs1")).isEqualTo("depot"));
                Map<String, String> cloud = events.stream().filter(e -> e.get("signature").equals(
                        "new-vendor-cloud")).findFirst().orElseThrow();
                assertThat(cloud.get("msg")).as("escaped and read back").endsWith(ODD_TITLE);
                assertThat(cloud.get("dst")).isEqualTo("127.0.0.2");
                Map<String, String> dev = events.stream().filter(e -> e.get("signature").equals(
                        "new-covered-device")).findFirst().orElseThrow();
                assertThat(dev.get("pri")).isEqualTo(Integer.toString(13 * 8 + 2));
                assertThat(dev.get("severity")).isEqualTo("10");
                assertThat(dev.get("cs3")).isEqualTo("ndaa-889,vendor-cloud-dahua-p2p");
            }
        } finally {
            hook.stop(0);
        }
    }

    private static JsonNode find(JsonNode alerts, String rule) {
        for (JsonNode a : alerts) {
            if (a.path("rule").asText().equals(rule)) {
                return a;
            }
        }
        throw new AssertionError("no " + rule + " alert in " + alerts);
    }

    private static long pending(CentralStore store) {
        return Long.parseLong(store.column("SELECT count(*) FROM alert_delivery WHERE state ="
                + " 'pending'").getFirst());
    }

    private static void push(CentralStore store, Principal agent, long scan, Batch last) {
        byte[] body = BatchJson.write(last);
        store.ingest(agent, last, Secrets.sha256(body), "test");
    }

    /** The sample scan again, plus a Dahua camera, a critical CVE on the Axis, a cloud on the Hikvision. */
    private static Batch second(ScanHeader h) {
        Batch base = SampleScans.last(h, 0);
        List<Identification> ids = new ArrayList<>(base.identifications());
        ids.add(new Identification("127.0.0.4", Optional.empty(), Optional.of("Dahua"), Optional
                .of("Dahua"), Optional.of("IPC-HFW2431S"), Optional.of("2.800"),
                Optional.of(
                        "ip-camera"),
                0.9, false, List.of(), List.of()));
        List<Finding> findings = new ArrayList<>(base.findings());
        findings.add(new Finding("ndaa-889", Finding.Kind.POLICY, Finding.Severity.CRITICAL,
                "127.0.0.4", "127.0.0.4", "Dahua equipment is covered by NDAA §889", List.of(
                        "platform=Dahua"),
                Optional.of("Pub. L. 115-232 §889"),
                Finding.Remediation.REPLACE, Map.of()));
        findings.add(new Finding("vendor-cloud-dahua-p2p", Finding.Kind.BEHAVIOUR,
                Finding.Severity.HIGH, "127.0.0.4", "127.0.0.4", "Phones home to Dahua P2P",
                List.of(), Optional.empty(), Finding.Remediation.ISOLATE, Map.of()));
        findings.add(new Finding("CVE-2018-10088", Finding.Kind.VULNERABILITY,
                Finding.Severity.CRITICAL, "127.0.0.3", "127.0.0.3", "A critical CVE", List.of(),
                Optional.of("KEV"), Finding.Remediation.PATCH, Map.of()));
        findings.add(new Finding("vendor-cloud-hik-connect", Finding.Kind.BEHAVIOUR,
                Finding.Severity.HIGH, "127.0.0.2", "127.0.0.2", ODD_TITLE, List.of(), Optional
                        .empty(),
                Finding.Remediation.ISOLATE, Map.of()));
        return new Batch(h, 0, List.of(), true, ids, findings);
    }

    private static void readFrames(ServerSocket server, List<String> frames, int count) {
        try {
            server.setSoTimeout(30_000);
            while (frames.size() < count) {
                try (Socket s = server.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    StringBuilder len = new StringBuilder();
                    for (int c = in.read(); c != ' '; c = in.read()) {
                        len.append((char) c);
                    }
                    byte[] msg = new byte[Integer.parseInt(len.toString())];
                    in.readFully(msg);
                    frames.add(new String(msg, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Parses an RFC 5424 line with a CEF event, undoing CEF's escapes. */
    static Map<String, String> parse(String line) {
        Matcher m = SYSLOG.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        Map<String, String> out = new LinkedHashMap<>();
        out.put("pri", m.group(1));
        out.put("signature", m.group(5));
        out.put("name", m.group(6));
        out.put("severity", m.group(7));
        String ext = m.group(8);
        // keys are the words before an unescaped '='; a value runs to the space before the next key
        Matcher k = Pattern.compile("(?:^| )([A-Za-z0-9]+)=").matcher(ext);
        List<int[]> keys = new ArrayList<>();
        while (k.find()) {
            if (k.start(1) > 0 && ext.charAt(k.start(1) - 1) != ' ') {
                continue;
            }
            int bs = 0;
            for (int i = k.end() - 2; i >= 0 && ext.charAt(i) == '\\'; i--) {
                bs++;
            }
            if (bs % 2 == 0) {
                keys.add(new int[]{k.start(1), k.end(1), k.end()});
            }
        }
        for (int i = 0; i < keys.size(); i++) {
            int end = i + 1 < keys.size() ? keys.get(i + 1)[0] - 1 : ext.length();
            out.put(ext.substring(keys.get(i)[0], keys.get(i)[1]), unescape(ext.substring(keys
                    .get(i)[2], end)));
        }
        return out;
    }

    private static String unescape(String v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length()) {
                char n = v.charAt(++i);
                sb.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
