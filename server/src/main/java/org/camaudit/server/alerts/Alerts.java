package org.camaudit.server.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.camaudit.server.db.CentralStore;
import org.camaudit.server.wire.BatchJson;

/**
 * Alerts on what is new. After a scan's last batch is stored, the scan is compared with the
 * site's scans looked at before: a device never seen before with a policy (ban) finding is a
 * {@code new-covered-device} (one alert carrying all its findings); on other devices, a critical
 * finding not seen before on that device is a {@code new-critical-finding}, and a vendor-cloud
 * behaviour finding not seen before is a {@code new-vendor-cloud}. A site's first scan is its
 * baseline and raises nothing. Each alert has a dedup key naming its fact, so it is raised once.
 * Each alert goes to each channel through the outbox (alert_delivery), retried with exponential
 * backoff; scans not yet looked at and deliveries not yet made are picked up after a restart.
 */
public final class Alerts implements AutoCloseable {
    /** The outbox's pace. */
    public record Settings(Duration poll, Duration backoffBase, Duration backoffMax,
            int maxAttempts, Duration sendTimeout) {
        /** Poll each second; retry after 5 s, doubling up to 1 h; give up after 20 attempts. */
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(1), Duration
                .ofSeconds(5), Duration.ofHours(1), 20, Duration.ofSeconds(10));

        public Settings {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts is at least 1");
            }
        }
    }

    /** The header carrying the body's HMAC-SHA256, {@code sha256=<hex>}. */
    public static final String SIGNATURE = "X-Camaudit-Signature";
    /** The header repeating the body's {@code sent_at} (Unix seconds). */
    public static final String TIMESTAMP = "X-Camaudit-Timestamp";

    private final CentralStore store;
    private final Settings settings;
    private final HttpClient http;
    private final Object wake = new Object();
    private final Thread worker;
    private volatile boolean running = true;
    private boolean nudged;

    public Alerts(CentralStore store, Settings settings) {
        this.store = store;
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.sendTimeout()).followRedirects(
                HttpClient.Redirect.NEVER).build();
        this.worker = new Thread(this::work, "camaudit-alerts");
        this.worker.setDaemon(true);
    }

    /** Starts the background worker: it evaluates stored scans and empties the outbox. */
    public Alerts start() {
        worker.start();
        return this;
    }

    /** Called once a scan's last batch is stored: the worker looks at it now. */
    public void afterScanStored(long siteId) {
        synchronized (wake) {
            nudged = true;
            wake.notifyAll();
        }
    }

    @Override
    public void close() {
        running = false;
        worker.interrupt();
        try {
            worker.join(Duration.ofSeconds(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void work() {
        while (running) {
            try {
                while (running && evaluateNext().isPresent()) {
                    // each scan in its own transaction
                }
                while (running && deliverNext()) {
                    // each delivery in its own transaction
                }
            } catch (RuntimeException e) {
                // the store is away: try again at the next poll
            }
            synchronized (wake) {
                if (!nudged) {
                    try {
                        wake.wait(settings.poll().toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                nudged = false;
            }
        }
    }

    // --- channels ---------------------------------------------------------------------------

    public AlertChannel addChannel(AlertChannel c, String actor, String source) {
        return store.transaction(conn -> {
            long id;
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO alert_channel (kind,"
                    + " target, secret, created_by) VALUES (?, ?, ?, ?) RETURNING id")) {
                ps.setString(1, c.kind().label());
                ps.setString(2, c.target().toString());
                ps.setString(3, c.secret().orElse(null));
                ps.setString(4, actor);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            CentralStore.audit(conn, actor, "alert-channel.add", Optional.empty(), source,
                    BatchJson.MAPPER.createObjectNode().put("id", id).put("kind", c.kind()
                            .label()).put("target", c.target().toString()));
            return new AlertChannel(id, c.kind(), c.target(), c.secret());
        });
    }

    /** The channels in use; secrets are not returned. */
    public List<AlertChannel> channels() {
        return store.withConnection(conn -> {
            List<AlertChannel> out = new ArrayList<>();
            try (PreparedStatement ps = conn.prepareStatement("SELECT id, kind, target, secret"
                    + " FROM alert_channel WHERE removed IS NULL ORDER BY id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AlertChannel(rs.getLong(1), AlertChannel.Kind.of(rs.getString(2)),
                            AlertChannel.target(rs.getString(3)), Optional.ofNullable(rs
                                    .getString(4))));
                }
            }
            return out;
        });
    }

    public boolean removeChannel(long id, String actor, String source) {
        return store.transaction(conn -> {
            int n;
            try (PreparedStatement ps = conn.prepareStatement("UPDATE alert_channel SET removed ="
                    + " now() WHERE id = ? AND removed IS NULL")) {
                ps.setLong(1, id);
                n = ps.executeUpdate();
            }
            if (n > 0) {
                CentralStore.audit(conn, actor, "alert-channel.remove", Optional.empty(), source,
                        BatchJson.MAPPER.createObjectNode().put("id", id));
            }
            return n > 0;
        });
    }

    // --- evaluation -------------------------------------------------------------------------

    /**
     * Looks at the oldest complete scan not looked at yet and raises its alerts.
     *
     * @return the number of alerts raised, or empty when no scan was waiting
     */
    public Optional<Integer> evaluateNext() {
        return store.transaction(conn -> {
            long siteId;
            long scanId;
            String site;
            try (PreparedStatement ps = conn.prepareStatement("SELECT s.site_id, s.id, t.name"
                    + " FROM scan s JOIN site t ON t.id = s.site_id WHERE s.complete AND NOT"
                    + " EXISTS (SELECT 1 FROM alert_evaluation e WHERE e.site_id = s.site_id AND"
                    + " e.scan_id = s.id) ORDER BY s.id LIMIT 1 FOR UPDATE OF s SKIP LOCKED");
                    ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.<Integer>empty();
                }
                siteId = rs.getLong(1);
                scanId = rs.getLong(2);
                site = rs.getString(3);
            }
            try (PreparedStatement ps = conn.prepareStatement(
                    "SELECT pg_advisory_xact_lock(1633, ?)")) {
                ps.setInt(1, (int) siteId);
                ps.executeQuery().close();
            }
            int raised = 0;
            boolean baseline = longs(conn, "SELECT count(*) FROM alert_evaluation WHERE site_id"
                    + " = ?", siteId).iterator().next() == 0;
            if (!baseline) {
                raised = raise(conn, siteId, scanId, site);
            }
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO alert_evaluation"
                    + " (site_id, scan_id, alerts) VALUES (?, ?, ?)")) {
                ps.setLong(1, siteId);
                ps.setLong(2, scanId);
                ps.setInt(3, raised);
                ps.executeUpdate();
            }
            return Optional.of(raised);
        });
    }

    private record Fact(String deviceKey, String id, String kind, String severity,
            String address, String title, Optional<String> citation) {
    }

    private static int raise(Connection conn, long siteId, long scanId, String site)
            throws SQLException {
        Set<String> earlierDevices = strings(conn, "SELECT i.device_key FROM identification i"
                + " JOIN alert_evaluation e ON e.site_id = i.site_id AND e.scan_id = i.scan_id"
                + " WHERE i.site_id = ? UNION SELECT f.device_key FROM finding f JOIN"
                + " alert_evaluation e ON e.site_id = f.site_id AND e.scan_id = f.scan_id WHERE"
                + " f.site_id = ?", siteId, siteId);
        Set<String> earlierFacts = strings(conn, "SELECT DISTINCT f.device_key || '|' ||"
                + " f.finding_id FROM finding f JOIN alert_evaluation e ON e.site_id = f.site_id"
                + " AND e.scan_id = f.scan_id WHERE f.site_id = ?", siteId);
        Map<String, List<Fact>> byDevice = new LinkedHashMap<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT device_key, finding_id, kind,"
                + " severity, address, title, citation FROM finding WHERE site_id = ? AND scan_id"
                + " = ? ORDER BY ordinal")) {
            ps.setLong(1, siteId);
            ps.setLong(2, scanId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byDevice.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(
                            new Fact(rs.getString(1), rs.getString(2), rs.getString(3), rs
                                    .getString(4), rs.getString(5), rs.getString(6),
                                    Optional
                                            .ofNullable(rs.getString(7))));
                }
            }
        }
        Map<String, ObjectNode> devices = identifications(conn, siteId, scanId);
        int raised = 0;
        for (Map.Entry<String, List<Fact>> e : byDevice.entrySet()) {
            String key = e.getKey();
            List<Fact> facts = e.getValue();
            ObjectNode device = devices.getOrDefault(key, BatchJson.MAPPER.createObjectNode()
                    .put("key", key).put("address", facts.getFirst().address()));
            if (!earlierDevices.contains(key) && facts.stream().anyMatch(f -> f.kind().equals(
                    "policy"))) {
                String worst = facts.stream().map(Fact::severity).min((a, b) -> rank(a) - rank(b))
                        .orElseThrow();
                List<String> policies = facts.stream().filter(f -> f.kind().equals("policy"))
                        .map(Fact::id).toList();
                String title = "New covered device " + describe(device) + " at " + device.path(
                        "address").asText() + " (" + String.join(", ", policies) + ")";
                raised += insert(conn, "new-covered-device|" + siteId + "|" + key,
                        "new-covered-device", siteId, scanId, site, worst, device, title, facts);
                continue;
            }
            for (Fact f : facts) {
                if (earlierFacts.contains(key + "|" + f.id())) {
                    continue;
                }
                if (f.severity().equals("critical")) {
                    raised += insert(conn, "new-critical-finding|" + siteId + "|" + key + "|" + f
                            .id(), "new-critical-finding", siteId, scanId, site, f.severity(),
                            device, "New critical finding on " + describe(device) + " at " + f
                                    .address() + ": " + f.title(),
                            List.of(f));
                } else if (f.kind().equals("behaviour") && f.id().startsWith("vendor-cloud-")) {
                    raised += insert(conn, "new-vendor-cloud|" + siteId + "|" + key + "|" + f
                            .id(), "new-vendor-cloud", siteId, scanId, site, f.severity(), device,
                            describe(device) + " at " + f.address() + " started calling a vendor"
                                    + " cloud: " + f.title(),
                            List.of(f));
                }
            }
        }
        return raised;
    }

    private static int insert(Connection conn, String dedup, String rule, long siteId,
            long scanId, String site, String severity, ObjectNode device, String title,
            List<Fact> facts) throws SQLException {
        ObjectNode detail = BatchJson.MAPPER.createObjectNode().put("site", site);
        detail.set("device", device);
        ArrayNode fs = detail.putArray("findings");
        for (Fact f : facts) {
            ObjectNode n = fs.addObject().put("id", f.id()).put("kind", f.kind()).put("severity",
                    f.severity()).put("title", f.title());
            f.citation().ifPresent(c -> n.put("citation", c));
        }
        long id;
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO alert (dedup_key, site_id,"
                + " scan_id, rule, severity, device_key, address, title, detail) VALUES (?, ?, ?,"
                + " ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (dedup_key) DO NOTHING RETURNING id")) {
            ps.setString(1, dedup);
            ps.setLong(2, siteId);
            ps.setLong(3, scanId);
            ps.setString(4, rule);
            ps.setString(5, severity);
            ps.setString(6, device.path("key").asText());
            ps.setString(7, device.path("address").asText());
            ps.setString(8, title);
            ps.setString(9, Schedules.json(detail));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return 0;
                }
                id = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO alert_delivery (alert_id,"
                + " channel_id) SELECT ?, id FROM alert_channel WHERE removed IS NULL")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
        return 1;
    }

    private static Map<String, ObjectNode> identifications(Connection conn, long siteId,
            long scanId) throws SQLException {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT device_key, address, mac, brand,"
                + " platform, model, firmware, type FROM identification WHERE site_id = ? AND"
                + " scan_id = ?")) {
            ps.setLong(1, siteId);
            ps.setLong(2, scanId);
            try (ResultSet rs = ps.executeQuery()) {
                String[] names = {"key", "address", "mac", "brand", "platform", "model",
                        "firmware", "type"};
                while (rs.next()) {
                    ObjectNode n = BatchJson.MAPPER.createObjectNode();
                    for (int i = 0; i < names.length; i++) {
                        String v = rs.getString(i + 1);
                        if (v != null) {
                            n.put(names[i], v);
                        }
                    }
                    out.put(rs.getString(1), n);
                }
            }
        }
        return out;
    }

    private static String describe(JsonNode device) {
        List<String> parts = new ArrayList<>();
        for (String k : new String[]{"brand", "model"}) {
            if (device.hasNonNull(k)) {
                parts.add(device.get(k).asText());
            }
        }
        if (device.hasNonNull("platform") && !device.get("platform").asText().equals(device.path(
                "brand").asText())) {
            parts.add("(" + device.get("platform").asText() + " platform)");
        }
        return parts.isEmpty()
                ? "device " + device.path("key").asText()
                : String.join(" ",
                        parts);
    }

    private static int rank(String severity) {
        return List.of("critical", "high", "medium", "low", "info").indexOf(severity);
    }

    private static Set<String> strings(Connection conn, String sql, long... args)
            throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setLong(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static List<Long> longs(Connection conn, String sql, long arg) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setLong(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    // --- the outbox -------------------------------------------------------------------------

    /** One alert as its channels receive it. */
    public record Message(long alertId, String rule, String severity, String title, long scanId,
            Instant created, String deviceKey, String address, JsonNode detail) {
    }

    /**
     * Makes the oldest due delivery: sends it, then records the outcome (delivered, or the
     * next attempt after a backoff, or given up after {@link Settings#maxAttempts()}).
     *
     * @return false when nothing was due
     */
    public boolean deliverNext() {
        return store.transaction(conn -> {
            AlertChannel channel;
            Message m;
            int attempt;
            try (PreparedStatement ps = conn.prepareStatement("SELECT d.alert_id, d.channel_id,"
                    + " d.attempts, c.kind, c.target, c.secret, a.rule, a.severity, a.title,"
                    + " a.scan_id, a.created, a.device_key, a.address, a.detail::text FROM"
                    + " alert_delivery d JOIN alert_channel c ON c.id = d.channel_id JOIN alert a"
                    + " ON a.id = d.alert_id WHERE d.state = 'pending' AND d.next_attempt <= now()"
                    + " AND c.removed IS NULL ORDER BY d.next_attempt, d.alert_id LIMIT 1 FOR"
                    + " UPDATE OF d SKIP LOCKED"); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                channel = new AlertChannel(rs.getLong(2), AlertChannel.Kind.of(rs.getString(4)),
                        AlertChannel.target(rs.getString(5)), Optional.ofNullable(rs.getString(
                                6)));
                attempt = rs.getInt(3) + 1;
                m = new Message(rs.getLong(1), rs.getString(7), rs.getString(8), rs.getString(9),
                        rs.getLong(10), rs.getTimestamp(11).toInstant(), rs.getString(12), rs
                                .getString(13),
                        Schedules.tree(rs.getString(14)));
            }
            String outcome;
            String detail;
            try {
                detail = send(channel, m, attempt);
                outcome = "delivered";
            } catch (IOException | RuntimeException e) {
                outcome = "failed";
                detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                conn.rollback();
                return false;
            }
            boolean done = outcome.equals("delivered");
            boolean givenUp = !done && attempt >= settings.maxAttempts();
            long backoff = Math.min(settings.backoffMax().toMillis(), settings.backoffBase()
                    .toMillis() << Math.min(30, attempt - 1));
            try (PreparedStatement ps = conn.prepareStatement("UPDATE alert_delivery SET state ="
                    + " ?, attempts = ?, last_error = ?, delivered = CASE WHEN ? THEN now() END,"
                    + " next_attempt = now() + make_interval(secs => ?) WHERE alert_id = ? AND"
                    + " channel_id = ?")) {
                ps.setString(1, done ? "delivered" : givenUp ? "failed" : "pending");
                ps.setInt(2, attempt);
                ps.setString(3, done ? null : cut(detail));
                ps.setBoolean(4, done);
                ps.setDouble(5, backoff / 1000.0);
                ps.setLong(6, m.alertId());
                ps.setLong(7, channel.id());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO alert_attempt (alert_id,"
                    + " channel_id, attempt, outcome, detail) VALUES (?, ?, ?, ?, ?)")) {
                ps.setLong(1, m.alertId());
                ps.setLong(2, channel.id());
                ps.setInt(3, attempt);
                ps.setString(4, outcome);
                ps.setString(5, cut(detail));
                ps.executeUpdate();
            }
            return true;
        });
    }

    private static String cut(String s) {
        return s.length() <= 1000 ? s : s.substring(0, 1000);
    }

    private String send(AlertChannel c, Message m, int attempt) throws IOException,
            InterruptedException {
        Instant now = Instant.now();
        if (c.kind() == AlertChannel.Kind.WEBHOOK) {
            byte[] body = Schedules.json(payload(m, now, attempt)).getBytes(StandardCharsets.UTF_8);
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(c.target()).timeout(settings
                    .sendTimeout()).header("Content-Type", "application/json").header(SIGNATURE,
                            "sha256=" + hmac(c.secret().orElseThrow(), body))
                    .header(TIMESTAMP,
                            Long.toString(now.getEpochSecond()))
                    .header(
                            "X-Camaudit-Alert", Long.toString(m.alertId()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() / 100 != 2) {
                throw new IOException("the webhook answered " + r.statusCode());
            }
            return "answered " + r.statusCode();
        }
        byte[] msg = Cef.syslog(now, hostName(), m.severity(), cef(m));
        InetSocketAddress to = new InetSocketAddress(c.target().getHost(), c.target().getPort());
        if (c.target().getScheme().equalsIgnoreCase("udp")) {
            try (DatagramSocket s = new DatagramSocket()) {
                s.send(new DatagramPacket(msg, msg.length, to));
            }
            return "sent " + msg.length + " bytes over UDP";
        }
        try (Socket s = new Socket()) {
            s.connect(to, (int) settings.sendTimeout().toMillis());
            s.setSoTimeout((int) settings.sendTimeout().toMillis());
            OutputStream out = s.getOutputStream();
            // RFC 6587 octet counting: the length, a space, the message
            out.write((msg.length + " ").getBytes(StandardCharsets.US_ASCII));
            out.write(msg);
            out.flush();
        }
        return "sent " + msg.length + " bytes over TCP";
    }

    /** The webhook body: the alert, when it was sent and which attempt this is. */
    public static ObjectNode payload(Message m, Instant sentAt, int attempt) {
        ObjectNode n = BatchJson.MAPPER.createObjectNode().put("id", m.alertId()).put("rule", m
                .rule()).put("severity", m.severity()).put("title", m.title()).put("site", m
                        .detail().path("site").asText())
                .put("scan", m.scanId()).put("created", m
                        .created().toString());
        n.set("device", m.detail().path("device"));
        n.set("findings", m.detail().path("findings"));
        return n.put("sent_at", sentAt.getEpochSecond()).put("attempt", attempt);
    }

    static String cef(Message m) {
        Map<String, String> ext = new LinkedHashMap<>();
        ext.put("rt", Long.toString(m.created().toEpochMilli()));
        ext.put("externalId", Long.toString(m.alertId()));
        ext.put("cat", m.rule());
        ext.put("dst", m.address());
        ext.put("cs1Label", "site");
        ext.put("cs1", m.detail().path("site").asText());
        ext.put("cs2Label", "deviceKey");
        ext.put("cs2", m.deviceKey());
        List<String> ids = new ArrayList<>();
        m.detail().path("findings").forEach(f -> ids.add(f.path("id").asText()));
        ext.put("cs3Label", "findings");
        ext.put("cs3", String.join(",", ids));
        ext.put("msg", m.title().length() > 1000 ? m.title().substring(0, 1000) : m.title());
        String name = switch (m.rule()) {
            case "new-covered-device" -> "New covered device";
            case "new-critical-finding" -> "New critical finding";
            default -> "Device started calling a vendor cloud";
        };
        String version = Optional.ofNullable(Alerts.class.getPackage().getImplementationVersion())
                .orElse("0.1.0");
        return Cef.event(version, m.rule(), name, m.severity(), ext);
    }

    /** HMAC-SHA256 of the body with the secret, in lower-case hex. */
    public static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "-";
        }
    }

    /** The newest alerts (of a site, if given), with their deliveries' states. */
    public ArrayNode recent(Optional<Long> siteId, int limit) {
        return store.withConnection(conn -> {
            ArrayNode out = BatchJson.MAPPER.createArrayNode();
            try (PreparedStatement ps = conn.prepareStatement("SELECT a.id, a.rule, a.severity,"
                    + " a.title, a.scan_id, a.created, a.detail::text, (SELECT"
                    + " coalesce(jsonb_agg(jsonb_build_object('channel', d.channel_id, 'state',"
                    + " d.state, 'attempts', d.attempts) ORDER BY d.channel_id), '[]') FROM"
                    + " alert_delivery d WHERE d.alert_id = a.id)::text FROM alert a WHERE"
                    + " (?::bigint IS NULL OR a.site_id = ?) ORDER BY a.id DESC LIMIT ?")) {
                if (siteId.isPresent()) {
                    ps.setLong(1, siteId.get());
                    ps.setLong(2, siteId.get());
                } else {
                    ps.setNull(1, java.sql.Types.BIGINT);
                    ps.setNull(2, java.sql.Types.BIGINT);
                }
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        JsonNode detail = Schedules.tree(rs.getString(7));
                        ObjectNode n = out.addObject().put("id", rs.getLong(1)).put("rule", rs
                                .getString(2)).put("severity", rs.getString(3)).put("title", rs
                                        .getString(4))
                                .put("site", detail.path("site").asText())
                                .put("scan", rs.getLong(5)).put("created", rs.getTimestamp(6)
                                        .toInstant().toString());
                        n.set("device", detail.path("device"));
                        n.set("findings", detail.path("findings"));
                        n.set("deliveries", Schedules.tree(rs.getString(8)));
                    }
                }
            }
            return out;
        });
    }
}
