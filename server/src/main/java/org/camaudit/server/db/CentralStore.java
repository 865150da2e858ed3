package org.camaudit.server.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.model.Observation;
import org.camaudit.model.ScanSummary;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;
import org.camaudit.report.ScanDiff;
import org.camaudit.server.db.Views.AuditEntry;
import org.camaudit.server.db.Views.DeviceView;
import org.camaudit.server.db.Views.EnrolledAgent;
import org.camaudit.server.db.Views.FindingFilter;
import org.camaudit.server.db.Views.Ingest;
import org.camaudit.server.db.Views.ScanInfo;
import org.camaudit.server.db.Views.SiteEnrolment;
import org.camaudit.server.db.Views.SiteFinding;
import org.camaudit.server.db.Views.SiteInfo;
import org.camaudit.server.db.Views.SiteScan;
import org.camaudit.server.wire.Batch;
import org.camaudit.server.wire.BatchJson;
import org.camaudit.server.wire.ScanHeader;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The central store on PostgreSQL. Opening it applies pending migrations. Every change is written
 * with its audit-log line in the same transaction, so the log never misses a change that stuck.
 */
public final class CentralStore implements AutoCloseable {
    /** How long a site's enrolment token may wait to be used. */
    public static final Duration ENROLMENT_VALIDITY = Duration.ofDays(7);
    /** What a site may be named (the schema checks the same). */
    public static final String SITE_NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,62}";
    /** Says what {@link #SITE_NAME} allows, for a refusal. */
    public static final String SITE_NAME_RULE = "a site name is 1 to 63 letters, digits, '.', '_'"
            + " or '-', starting with a letter or digit";

    private final HikariDataSource pool;

    private CentralStore(HikariDataSource pool) {
        this.pool = pool;
    }

    /** Connects, applies pending migrations ({@code db/server}), and returns the store. */
    public static CentralStore open(DatabaseSettings db) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(db.url());
        c.setUsername(db.user());
        c.setPassword(db.password());
        c.setMaximumPoolSize(8);
        c.setConnectionTimeout(5_000);
        c.setPoolName("camaudit-central");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(c);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("cannot connect to PostgreSQL at " + db + ": "
                    + rootMessage(e), e);
        }
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/server")
                    .loggers("slf4j").load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new StoreUnavailableException("cannot migrate the central store: "
                    + rootMessage(e), e);
        }
        return new CentralStore(pool);
    }

    /** The highest migration applied. */
    public int schemaVersion() {
        return query("SELECT max(version::int) FROM flyway_schema_history WHERE success", ps -> {
        }, rs -> rs.getInt(1)).getFirst();
    }

    // --- sites, users, agents ---------------------------------------------------------------

    /** Adds a site and its one-time enrolment token. */
    public SiteEnrolment addSite(String name, String actor, String source) {
        return transaction(conn -> {
            long id;
            try (PreparedStatement ps = conn.prepareStatement(
                    "INSERT INTO site (name) VALUES (?) ON CONFLICT (name) DO NOTHING RETURNING id")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("a site named " + name
                                + " exists already");
                    }
                    id = rs.getLong(1);
                }
            }
            audit(conn, actor, "site.add", Optional.of(id), source, detail("name", name));
            return enrolment(conn, id);
        });
    }

    /**
     * A new one-time enrolment token for a site that exists (say after its agents were revoked).
     *
     * @throws IllegalArgumentException when there is no such site
     */
    public SiteEnrolment newEnrolment(String site, String actor, String source) {
        return transaction(conn -> {
            long id = siteId(conn, site);
            audit(conn, actor, "site.enrolment", Optional.of(id), source, detail(
                    "name", site));
            return enrolment(conn, id);
        });
    }

    private static long siteId(Connection conn, String site) throws SQLException {
        List<Long> ids = query(conn, "SELECT id FROM site WHERE name = ?", ps -> ps.setString(1,
                site), rs -> rs.getLong(1));
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("no site named " + site);
        }
        return ids.getFirst();
    }

    private static SiteEnrolment enrolment(Connection conn, long siteId) throws SQLException {
        String token = Secrets.newToken(Secrets.ENROLMENT_TOKEN);
        Instant expires = Instant.now().plus(ENROLMENT_VALIDITY);
        try (PreparedStatement ps = conn.prepareStatement(
                "INSERT INTO enrolment_token (token_hash, site_id, expires) VALUES (?, ?, ?)")) {
            ps.setBytes(1, Secrets.sha256(token));
            ps.setLong(2, siteId);
            ps.setTimestamp(3, Timestamp.from(expires));
            ps.executeUpdate();
        }
        return new SiteEnrolment(site(conn, siteId).orElseThrow(), token, expires);
    }

    /** Adds a user with a role and returns the user's first API token (shown once). */
    public String addUser(String name, Role role, String actor, String source) {
        return transaction(conn -> {
            long id;
            try (PreparedStatement ps = conn.prepareStatement(
                    "INSERT INTO app_user (name, role) VALUES (?, ?) ON CONFLICT (name) DO NOTHING"
                            + " RETURNING id")) {
                ps.setString(1, name);
                ps.setString(2, role.label());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("a user named " + name
                                + " exists already");
                    }
                    id = rs.getLong(1);
                }
            }
            String token = Secrets.newToken(Secrets.USER_TOKEN);
            try (PreparedStatement ps = conn.prepareStatement(
                    "INSERT INTO api_token (token_hash, user_id) VALUES (?, ?)")) {
                ps.setBytes(1, Secrets.sha256(token));
                ps.setLong(2, id);
                ps.executeUpdate();
            }
            audit(conn, actor, "user.add", Optional.empty(), source, detail("name", name)
                    .put("role", role.label()));
            return token;
        });
    }

    /** Who holds this token (a user's API token or an agent's credential), if anyone. */
    public Optional<Principal> principal(String token) {
        if (token == null || token.length() > 200) {
            return Optional.empty();
        }
        byte[] hash = Secrets.sha256(token);
        if (token.startsWith(Secrets.AGENT_CREDENTIAL)) {
            return query("UPDATE agent SET last_seen = now() WHERE credential_hash = ? AND revoked"
                    + " IS NULL RETURNING id, name, site_id", ps -> ps.setBytes(1, hash),
                    rs -> new Principal(Principal.Kind.AGENT, rs.getLong(1), rs.getString(2),
                            Optional.empty(), Optional.of(rs.getLong(3))))
                    .stream().findFirst();
        }
        return query("SELECT u.id, u.name, u.role FROM api_token t JOIN app_user u ON u.id ="
                + " t.user_id WHERE t.token_hash = ? AND t.revoked IS NULL",
                ps -> ps.setBytes(1,
                        hash),
                rs -> new Principal(Principal.Kind.USER, rs.getLong(1), rs
                        .getString(2), Optional.of(Role.of(rs.getString(3))),
                        Optional
                                .empty()))
                .stream().findFirst();
    }

    /**
     * Trades a one-time enrolment token for an agent credential. Empty when the token is unknown,
     * used or expired (the caller cannot tell which: no oracle for guessing).
     */
    public Optional<EnrolledAgent> enrol(String enrolmentToken, String agentName, String source) {
        if (enrolmentToken == null || enrolmentToken.length() > 200) {
            return Optional.empty();
        }
        return transaction(conn -> {
            long siteId;
            try (PreparedStatement ps = conn.prepareStatement(
                    "UPDATE enrolment_token SET used = now() WHERE token_hash = ? AND used IS NULL"
                            + " AND expires > now() RETURNING site_id")) {
                ps.setBytes(1, Secrets.sha256(enrolmentToken));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<EnrolledAgent>empty();
                    }
                    siteId = rs.getLong(1);
                }
            }
            String credential = Secrets.newToken(Secrets.AGENT_CREDENTIAL);
            long agentId;
            try (PreparedStatement ps = conn.prepareStatement(
                    "INSERT INTO agent (site_id, name, credential_hash) VALUES (?, ?, ?) RETURNING id")) {
                ps.setLong(1, siteId);
                ps.setString(2, agentName);
                ps.setBytes(3, Secrets.sha256(credential));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    agentId = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = conn.prepareStatement(
                    "UPDATE enrolment_token SET agent_id = ? WHERE token_hash = ?")) {
                ps.setLong(1, agentId);
                ps.setBytes(2, Secrets.sha256(enrolmentToken));
                ps.executeUpdate();
            }
            audit(conn, "agent:" + agentId, "agent.enrol", Optional.of(siteId), source, detail(
                    "name", agentName));
            SiteInfo site = site(conn, siteId).orElseThrow();
            return Optional.of(new EnrolledAgent(agentId, siteId, site.name(), credential));
        });
    }

    public List<SiteInfo> sites() {
        return withConnection(conn -> {
            List<SiteInfo> out = new ArrayList<>();
            for (long id : ids(conn, "SELECT id FROM site ORDER BY name")) {
                site(conn, id).ifPresent(out::add);
            }
            return out;
        });
    }

    public Optional<SiteInfo> site(String name) {
        return withConnection(conn -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = conn
                    .prepareStatement("SELECT id FROM site WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            return ids.isEmpty() ? Optional.<SiteInfo>empty() : site(conn, ids.getFirst());
        });
    }

    // --- ingest ---------------------------------------------------------------------------

    /**
     * Stores one batch of an agent's scan, once: the key (site, scan, seq) of a stored batch is
     * kept, and a batch sent again with that key and the same content changes nothing. One
     * transaction: a batch is stored whole or not at all. Observations go in with PostgreSQL's
     * {@code COPY} inside that transaction.
     *
     * <p>
     * The last batch of a closed scan may come again as a newer {@link Batch#revision()} (the
     * agent re-ran identify or findings): then the scan's identifications and findings are
     * replaced by the batch's in the same transaction, and the result is {@link Ingest#REVISED}.
     *
     * @param bodySha256 the SHA-256 of the batch as sent, to tell a resend from a clash
     * @throws BatchRejectedException when the key was stored with other content (and the batch is
     *     not a newer revision of the last one), or the last batch arrives before all earlier ones
     */
    public Ingest ingest(Principal agent, Batch batch, byte[] bodySha256, String source) {
        if (agent.kind() != Principal.Kind.AGENT) {
            throw new IllegalArgumentException("only an agent pushes batches");
        }
        long siteId = agent.siteId().orElseThrow();
        return transaction(conn -> {
            long scanId = upsertScan(conn, siteId, agent.id(), batch.scan());
            try (PreparedStatement ps = conn.prepareStatement(
                    "INSERT INTO ingested_batch (site_id, scan_id, seq, body_sha256, observations,"
                            + " revision) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setLong(1, siteId);
                ps.setLong(2, scanId);
                ps.setInt(3, batch.seq());
                ps.setBytes(4, bodySha256);
                ps.setInt(5, batch.observations().size());
                ps.setInt(6, batch.revision());
                if (ps.executeUpdate() == 0) {
                    return storedBefore(conn, agent, siteId, scanId, batch, bodySha256, source);
                }
            }
            if (batch.last()) {
                requireEarlierBatches(conn, siteId, scanId, batch);
            }
            insertObservations(conn, siteId, scanId, batch);
            if (batch.last()) {
                closeScan(conn, siteId, scanId, batch);
            }
            audit(conn, agent.actor(), "batch.ingest", Optional.of(siteId), source, batchDetail(
                    scanId, batch));
            return Ingest.STORED;
        });
    }

    /** The batch's key is stored: a resend, a newer revision of the last batch, or a clash. */
    private static Ingest storedBefore(Connection conn, Principal agent, long siteId, long scanId,
            Batch batch, byte[] bodySha256, String source) throws SQLException {
        record Stored(byte[] sha, int revision) {
        }
        Stored stored = query(conn, "SELECT body_sha256, revision FROM ingested_batch WHERE"
                + " site_id = ? AND scan_id = ? AND seq = ? FOR UPDATE", p -> {
                    p.setLong(1, siteId);
                    p.setLong(2, scanId);
                    p.setInt(3, batch.seq());
                }, rs -> new Stored(rs.getBytes(1), rs.getInt(2))).getFirst();
        String which = "batch " + batch.seq() + " of scan " + batch.scan().agentScan();
        if (MessageDigest.isEqual(stored.sha(), bodySha256)) {
            conn.rollback();
            return Ingest.DUPLICATE;
        }
        if (!batch.last() || batch.revision() <= stored.revision()) {
            throw new BatchRejectedException(which + " was stored before with other content"
                    + (batch.last()
                            ? " at revision " + stored.revision() + " (this is revision "
                                    + batch.revision() + "; a changed last batch needs a higher"
                                    + " revision)"
                            : "; a batch's key is stored once"));
        }
        boolean closes = query(conn, "SELECT s.complete AND (SELECT max(seq) FROM ingested_batch b"
                + " WHERE b.site_id = s.site_id AND b.scan_id = s.id) = ? FROM scan s WHERE"
                + " s.site_id = ? AND s.id = ?", p -> {
                    p.setInt(1, batch.seq());
                    p.setLong(2, siteId);
                    p.setLong(3, scanId);
                }, rs -> rs.getBoolean(1)).getFirst();
        if (!closes) {
            throw new BatchRejectedException(which + " is not the stored last batch of a closed"
                    + " scan, so it has no revisions");
        }
        for (String table : List.of("finding", "identification")) {
            try (PreparedStatement ps = conn.prepareStatement("DELETE FROM " + table
                    + " WHERE site_id = ? AND scan_id = ?")) {
                ps.setLong(1, siteId);
                ps.setLong(2, scanId);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = conn.prepareStatement("UPDATE ingested_batch SET body_sha256"
                + " = ?, revision = ?, received = now() WHERE site_id = ? AND scan_id = ? AND seq"
                + " = ?")) {
            ps.setBytes(1, bodySha256);
            ps.setInt(2, batch.revision());
            ps.setLong(3, siteId);
            ps.setLong(4, scanId);
            ps.setInt(5, batch.seq());
            ps.executeUpdate();
        }
        closeScan(conn, siteId, scanId, batch);
        audit(conn, agent.actor(), "batch.revise", Optional.of(siteId), source, batchDetail(
                scanId, batch).put("replaced_revision", stored.revision()));
        return Ingest.REVISED;
    }

    private static void requireEarlierBatches(Connection conn, long siteId, long scanId,
            Batch batch) throws SQLException {
        long before = query(conn, "SELECT count(*) FROM ingested_batch WHERE site_id = ?"
                + " AND scan_id = ? AND seq < ?", p -> {
                    p.setLong(1, siteId);
                    p.setLong(2, scanId);
                    p.setInt(3, batch.seq());
                }, rs -> rs.getLong(1)).getFirst();
        if (before != batch.seq()) {
            throw new BatchRejectedException("the last batch of scan " + batch.scan()
                    .agentScan() + " is " + batch.seq() + " but only " + before
                    + " earlier batches are stored: send them first");
        }
    }

    private static ObjectNode batchDetail(long scanId, Batch batch) {
        return detail("scan", Long.toString(scanId)).put("agent_scan", batch.scan().agentScan())
                .put("seq", batch.seq()).put("observations", batch.observations().size()).put(
                        "last", batch.last())
                .put("revision", batch.revision());
    }

    /**
     * The scan's id, made when its first batch arrives. Looked up first without a lock, and made
     * with {@code ON CONFLICT DO NOTHING}: an upsert that updates would lock the scan's row until
     * the batch commits, and batches of one scan could not be stored in parallel.
     */
    private static long upsertScan(Connection conn, long siteId, long agentId, ScanHeader s)
            throws SQLException {
        String find = "SELECT id FROM scan WHERE site_id = ? AND agent_id = ? AND agent_scan = ?";
        Binder key = p -> {
            p.setLong(1, siteId);
            p.setLong(2, agentId);
            p.setLong(3, s.agentScan());
        };
        List<Long> known = query(conn, find, key, rs -> rs.getLong(1));
        if (!known.isEmpty()) {
            return known.getFirst();
        }
        try (PreparedStatement ps = conn.prepareStatement(
                "INSERT INTO scan (site_id, agent_id, agent_scan, kind, authorized_by, scope,"
                        + " status, started, finished, addresses_probed, hosts_up, open_ports,"
                        + " observations, millis) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (site_id, agent_id, agent_scan) DO NOTHING RETURNING id")) {
            ps.setLong(1, siteId);
            ps.setLong(2, agentId);
            ps.setLong(3, s.agentScan());
            ps.setString(4, s.kind());
            ps.setString(5, s.authorizedBy());
            ps.setString(6, s.scope());
            ps.setString(7, s.status());
            ps.setTimestamp(8, Timestamp.from(s.started()));
            setInstant(ps, 9, s.finished());
            ps.setLong(10, s.summary().addressesProbed());
            ps.setLong(11, s.summary().hostsUp());
            ps.setLong(12, s.summary().openPorts());
            ps.setLong(13, s.summary().observations());
            ps.setLong(14, s.summary().millis());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return rs.getLong(1);
                }
            }
        }
        return query(conn, find, key, rs -> rs.getLong(1)).getFirst(); // made by a parallel batch
    }

    /** The columns {@link #insertObservations} fills, in the order of its COPY rows. */
    private static final String COPY_OBSERVATIONS = "COPY observation (site_id, scan_id,"
            + " batch_seq, ordinal, time, source, address, mac, port, transport, protocol, fields,"
            + " raw) FROM STDIN";

    /**
     * Writes the batch's observations with {@code COPY ... FROM STDIN} (text format) on the
     * batch's connection, inside its transaction: one round trip and no per-row statement, the
     * way PostgreSQL loads rows fastest.
     */
    private static void insertObservations(Connection conn, long siteId, long scanId, Batch b)
            throws SQLException {
        if (b.observations().isEmpty()) {
            return;
        }
        StringBuilder rows = new StringBuilder(b.observations().size() * 512);
        String prefix = siteId + "\t" + scanId + "\t" + b.seq() + "\t";
        int ordinal = 0;
        for (Observation o : b.observations()) {
            rows.append(prefix).append(ordinal++).append('\t').append(o.time()).append('\t');
            copyText(rows, o.source().label()).append('\t');
            copyText(rows, o.address()).append('\t');
            if (o.mac().isPresent()) {
                copyText(rows, o.mac().get());
            } else {
                rows.append("\\N");
            }
            rows.append('\t').append(o.port()).append('\t');
            copyText(rows, o.transport().label()).append('\t');
            copyText(rows, o.protocol()).append('\t');
            copyText(rows, fieldsJson(o.fields())).append('\t');
            copyText(rows, noNul(o.raw())).append('\n');
        }
        byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
        try {
            CopyManager copy = conn.unwrap(PGConnection.class).getCopyAPI();
            copy.copyIn(COPY_OBSERVATIONS, new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new SQLException("cannot stream the batch to COPY: " + e.getMessage(), e);
        }
    }

    /** Appends a value escaped for COPY's text format (backslash, tab, newline, return). */
    private static StringBuilder copyText(StringBuilder out, String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out;
    }

    private static String fieldsJson(Map<String, String> fields) {
        try {
            return noNul(BatchJson.MAPPER.writeValueAsString(fields));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static void closeScan(Connection conn, long siteId, long scanId, Batch b)
            throws SQLException {
        Instant seen = b.scan().finished().orElse(b.scan().started());
        Map<String, String> addresses = new LinkedHashMap<>();
        Map<String, Optional<String>> macs = new LinkedHashMap<>();
        for (Identification i : b.identifications()) {
            addresses.putIfAbsent(i.deviceKey(), i.address());
            macs.putIfAbsent(i.deviceKey(), i.mac());
        }
        for (Finding f : b.findings()) {
            addresses.putIfAbsent(f.deviceKey(), f.address());
            macs.putIfAbsent(f.deviceKey(), Optional.of(f.deviceKey()).filter(k -> !k.equals(f
                    .address())));
        }
        try (PreparedStatement ps = conn.prepareStatement(
                "INSERT INTO device (site_id, device_key, address, mac, first_seen, last_seen,"
                        + " last_scan_id) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site_id,"
                        + " device_key) DO UPDATE SET address = CASE WHEN EXCLUDED.last_seen >="
                        + " device.last_seen THEN EXCLUDED.address ELSE device.address END,"
                        + " last_scan_id = CASE WHEN EXCLUDED.last_seen >= device.last_seen THEN"
                        + " EXCLUDED.last_scan_id ELSE device.last_scan_id END, mac ="
                        + " coalesce(EXCLUDED.mac, device.mac), first_seen = least(device.first_seen,"
                        + " EXCLUDED.first_seen), last_seen = greatest(device.last_seen,"
                        + " EXCLUDED.last_seen)")) {
            for (Map.Entry<String, String> e : addresses.entrySet()) {
                ps.setLong(1, siteId);
                ps.setString(2, e.getKey());
                ps.setString(3, e.getValue());
                setText(ps, 4, macs.get(e.getKey()));
                ps.setTimestamp(5, Timestamp.from(seen));
                ps.setTimestamp(6, Timestamp.from(seen));
                ps.setLong(7, scanId);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = conn.prepareStatement(
                "INSERT INTO identification (site_id, scan_id, device_key, ordinal, address, mac,"
                        + " brand, platform, model, firmware, type, confidence, oem_rebrand,"
                        + " evidence, conflicts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                        + " ?::jsonb, ?::jsonb) ON CONFLICT DO NOTHING")) {
            int ordinal = 0;
            for (Identification i : b.identifications()) {
                ps.setLong(1, siteId);
                ps.setLong(2, scanId);
                ps.setString(3, i.deviceKey());
                ps.setInt(4, ordinal++);
                ps.setString(5, i.address());
                setText(ps, 6, i.mac());
                setText(ps, 7, i.brand());
                setText(ps, 8, i.platform());
                setText(ps, 9, i.model());
                setText(ps, 10, i.firmware());
                setText(ps, 11, i.type());
                ps.setDouble(12, i.confidence());
                ps.setBoolean(13, i.oemRebrand());
                ps.setString(14, json(BatchJson.evidence(i.evidence())));
                ps.setString(15, json(BatchJson.MAPPER.valueToTree(i.conflicts())));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = conn.prepareStatement(
                "INSERT INTO finding (site_id, scan_id, device_key, finding_id, ordinal, kind,"
                        + " severity, address, title, evidence, citation, remediation, details)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb) ON CONFLICT"
                        + " DO NOTHING")) {
            int ordinal = 0;
            for (Finding f : b.findings()) {
                ps.setLong(1, siteId);
                ps.setLong(2, scanId);
                ps.setString(3, f.deviceKey());
                ps.setString(4, f.id());
                ps.setInt(5, ordinal++);
                ps.setString(6, f.kind().label());
                ps.setString(7, f.severity().label());
                ps.setString(8, f.address());
                ps.setString(9, f.title());
                ps.setString(10, json(BatchJson.MAPPER.valueToTree(f.evidence())));
                setText(ps, 11, f.citation());
                ps.setString(12, f.remediation().label());
                ps.setString(13, json(BatchJson.MAPPER.valueToTree(f.details())));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = conn.prepareStatement(
                "UPDATE scan SET complete = true, status = ?, finished = ?, addresses_probed = ?,"
                        + " hosts_up = ?, open_ports = ?, observations = ?, millis = ? WHERE"
                        + " site_id = ? AND id = ?")) {
            ScanSummary s = b.scan().summary();
            ps.setString(1, b.scan().status());
            setInstant(ps, 2, b.scan().finished());
            ps.setLong(3, s.addressesProbed());
            ps.setLong(4, s.hostsUp());
            ps.setLong(5, s.openPorts());
            ps.setLong(6, s.observations());
            ps.setLong(7, s.millis());
            ps.setLong(8, siteId);
            ps.setLong(9, scanId);
            ps.executeUpdate();
        }
    }

    // --- reads ----------------------------------------------------------------------------

    public List<ScanInfo> scans(long siteId) {
        return query("SELECT s.id, s.agent_id, s.agent_scan, s.kind, s.authorized_by, s.status,"
                + " s.started, s.finished, s.addresses_probed, s.hosts_up, s.open_ports,"
                + " s.observations, s.millis, s.complete, (SELECT count(*) FROM observation o"
                + " WHERE o.site_id = s.site_id AND o.scan_id = s.id) FROM scan s WHERE"
                + " s.site_id = ? ORDER BY s.started DESC, s.id DESC", ps -> ps.setLong(1, siteId),
                rs -> new ScanInfo(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs
                        .getString(5), rs.getString(6), rs.getTimestamp(7).toInstant(),
                        instant(rs,
                                8),
                        new ScanSummary(rs.getLong(9), rs.getLong(10), rs.getLong(11),
                                rs.getLong(12), rs.getLong(13)),
                        rs.getBoolean(14), rs
                                .getLong(15)));
    }

    public long countObservations(long siteId) {
        return query("SELECT count(*) FROM observation WHERE site_id = ?", ps -> ps.setLong(1,
                siteId), rs -> rs.getLong(1)).getFirst();
    }

    /** A site's devices, each with its latest identification and that scan's findings. */
    public List<DeviceView> devices(long siteId) {
        Map<String, List<Finding>> findings = new LinkedHashMap<>();
        for (SiteFinding f : currentFindings(Optional.of(siteId), FindingFilter.ANY)) {
            findings.computeIfAbsent(f.finding().deviceKey(), k -> new ArrayList<>()).add(f
                    .finding());
        }
        return query("SELECT d.device_key, d.address, d.mac, d.first_seen, d.last_seen,"
                + " d.last_scan_id, i.address, i.mac, i.brand, i.platform, i.model, i.firmware,"
                + " i.type, i.confidence, i.oem_rebrand, i.evidence, i.conflicts FROM device d LEFT"
                + " JOIN identification i ON i.site_id = d.site_id AND i.scan_id = d.last_scan_id"
                + " AND i.device_key = d.device_key WHERE d.site_id = ? ORDER BY d.address,"
                + " d.device_key", ps -> ps.setLong(1, siteId), rs -> {
                    String key = rs.getString(1);
                    Optional<String> mac = Optional.ofNullable(rs.getString(3));
                    Identification id = rs.getString(7) == null
                            ? Identification.unknown(rs.getString(2), mac)
                            : identification(rs, 7);
                    return new DeviceView(key, rs.getString(2), mac, rs.getTimestamp(4)
                            .toInstant(), rs.getTimestamp(5).toInstant(), rs.getLong(6), id,
                            List.copyOf(findings.getOrDefault(key, List.of())));
                });
    }

    /**
     * The findings of each device's latest scan, worst first, filtered; {@code maker} matches
     * the platform maker or the brand of the device's identification, ignoring case.
     */
    public List<SiteFinding> findings(FindingFilter filter) {
        return currentFindings(Optional.empty(), filter);
    }

    private List<SiteFinding> currentFindings(Optional<Long> siteId, FindingFilter filter) {
        return query("SELECT s.name, f.scan_id, f.finding_id, f.kind, f.severity, f.device_key,"
                + " f.address, f.title, f.evidence, f.citation, f.remediation, f.details FROM"
                + " finding f JOIN device d ON d.site_id = f.site_id AND d.device_key ="
                + " f.device_key AND d.last_scan_id = f.scan_id JOIN site s ON s.id = f.site_id"
                + " LEFT JOIN identification i ON i.site_id = f.site_id AND i.scan_id = f.scan_id"
                + " AND i.device_key = f.device_key WHERE (?::bigint IS NULL OR f.site_id = ?)"
                + " AND (?::text IS NULL OR s.name = ?) AND (?::text IS NULL OR f.severity = ?)"
                + " AND (?::text IS NULL OR f.kind = ?) AND (?::text IS NULL OR lower(i.platform)"
                + " = lower(?) OR lower(i.brand) = lower(?)) AND (?::text IS NULL OR"
                + " lower(f.details->>'policy') = lower(?) OR lower(f.finding_id) = lower(?))"
                + " ORDER BY array_position(ARRAY['critical',"
                + " 'high', 'medium', 'low', 'info'], f.severity), s.name, f.address, f.finding_id",
                ps -> {
                    setLong(ps, 1, siteId);
                    setLong(ps, 2, siteId);
                    setText(ps, 3, filter.site());
                    setText(ps, 4, filter.site());
                    setText(ps, 5, filter.severity().map(Finding.Severity::label));
                    setText(ps, 6, filter.severity().map(Finding.Severity::label));
                    setText(ps, 7, filter.kind().map(Finding.Kind::label));
                    setText(ps, 8, filter.kind().map(Finding.Kind::label));
                    setText(ps, 9, filter.maker());
                    setText(ps, 10, filter.maker());
                    setText(ps, 11, filter.maker());
                    setText(ps, 12, filter.policy());
                    setText(ps, 13, filter.policy());
                    setText(ps, 14, filter.policy());
                }, rs -> new SiteFinding(rs.getString(1), rs.getLong(2), finding(rs, 3)));
    }

    private static final String SITE_SCAN = "SELECT s.id, s.agent_id, s.agent_scan, s.kind,"
            + " s.authorized_by, s.status, s.started, s.finished, s.addresses_probed, s.hosts_up,"
            + " s.open_ports, s.observations, s.millis, s.complete, (SELECT count(*) FROM"
            + " observation o WHERE o.site_id = s.site_id AND o.scan_id = s.id), t.name,"
            + " s.site_id, s.scope, (SELECT count(*) FROM identification i WHERE i.site_id ="
            + " s.site_id AND i.scan_id = s.id), (SELECT count(*) FROM finding f WHERE f.site_id"
            + " = s.site_id AND f.scan_id = s.id) FROM scan s JOIN site t ON t.id = s.site_id";

    /** The scans of one site (or of every site), newest first, with their counts. */
    public List<SiteScan> siteScans(Optional<Long> siteId) {
        return query(SITE_SCAN + " WHERE (?::bigint IS NULL OR s.site_id = ?) ORDER BY"
                + " s.started DESC, s.id DESC", ps -> {
                    setLong(ps, 1, siteId);
                    setLong(ps, 2, siteId);
                }, CentralStore::siteScan);
    }

    /** One scan by the server's id, whatever its site. */
    public Optional<SiteScan> siteScan(long scanId) {
        return query(SITE_SCAN + " WHERE s.id = ?", ps -> ps.setLong(1, scanId),
                CentralStore::siteScan).stream().findFirst();
    }

    private static SiteScan siteScan(ResultSet rs) throws SQLException {
        ScanInfo scan = new ScanInfo(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant(), instant(rs, 8),
                new ScanSummary(rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12), rs
                        .getLong(13)),
                rs.getBoolean(14), rs.getLong(15));
        return new SiteScan(rs.getString(16), rs.getLong(17), rs.getString(18), scan, rs.getLong(
                19), rs.getLong(20));
    }

    /**
     * The diff of two scans of a site: {@link ScanDiff} over their stored identifications and
     * findings (the one reading behind the API's diff and the dashboard's diff page).
     */
    public ScanDiff diff(long siteId, long fromScan, long toScan) {
        return ScanDiff.of(fromScan, identifications(siteId, fromScan), scanFindings(siteId,
                fromScan), toScan, identifications(siteId, toScan), scanFindings(siteId, toScan));
    }

    /** A scan's identifications, in the order its agent sent them. */
    public List<Identification> identifications(long siteId, long scanId) {
        return query("SELECT address, mac, brand, platform, model, firmware, type, confidence,"
                + " oem_rebrand, evidence, conflicts FROM identification WHERE site_id = ? AND"
                + " scan_id = ? ORDER BY ordinal", ps -> {
                    ps.setLong(1, siteId);
                    ps.setLong(2, scanId);
                }, rs -> identification(rs, 1));
    }

    /** A scan's findings, in the order its agent sent them. */
    public List<Finding> scanFindings(long siteId, long scanId) {
        return query("SELECT finding_id, kind, severity, device_key, address, title, evidence,"
                + " citation, remediation, details FROM finding WHERE site_id = ? AND scan_id = ?"
                + " ORDER BY ordinal", ps -> {
                    ps.setLong(1, siteId);
                    ps.setLong(2, scanId);
                }, rs -> finding(rs, 1));
    }

    /** Streams a scan's stored observations in the order they were sent, without holding all. */
    public void forEachObservation(long siteId, long scanId, Consumer<Observation> each) {
        transaction(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT time, source, address, mac,"
                    + " port, transport, protocol, fields, raw FROM observation WHERE site_id = ?"
                    + " AND scan_id = ? ORDER BY batch_seq, ordinal")) {
                ps.setFetchSize(2_000);
                ps.setLong(1, siteId);
                ps.setLong(2, scanId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, String> fields = new TreeMap<>();
                        tree(rs.getString(8)).properties().forEach(e -> fields.put(e.getKey(), e
                                .getValue().asText()));
                        each.accept(new Observation(rs.getTimestamp(1).toInstant(), Source
                                .fromLabel(rs.getString(2)), rs.getString(3),
                                Optional.ofNullable(
                                        rs.getString(4)),
                                rs.getInt(5), Transport.fromLabel(rs
                                        .getString(6)),
                                rs.getString(7), fields, rs
                                        .getString(9)));
                    }
                }
            }
            return null;
        });
    }

    /**
     * Revokes every API token of a user; a revoked token is refused from the next request on.
     *
     * @return how many tokens were revoked now (0 when all were already)
     * @throws IllegalArgumentException when there is no such user
     */
    public int revokeUserTokens(String name, String actor, String source) {
        return transaction(conn -> {
            List<Long> ids = query(conn, "SELECT id FROM app_user WHERE name = ?", ps -> ps
                    .setString(1, name), rs -> rs.getLong(1));
            if (ids.isEmpty()) {
                throw new IllegalArgumentException("no user named " + name);
            }
            int n;
            try (PreparedStatement ps = conn.prepareStatement("UPDATE api_token SET revoked ="
                    + " now() WHERE user_id = ? AND revoked IS NULL")) {
                ps.setLong(1, ids.getFirst());
                n = ps.executeUpdate();
            }
            audit(conn, actor, "user.revoke", Optional.empty(), source, detail("name", name).put(
                    "tokens", n));
            return n;
        });
    }

    /**
     * Revokes the credentials of a site's agents; a revoked agent is refused from the next
     * request on; the site enrols again with a token from {@link #newEnrolment}.
     *
     * @return how many agents were revoked now
     * @throws IllegalArgumentException when there is no such site
     */
    public int revokeAgents(String site, String actor, String source) {
        return transaction(conn -> {
            long id = siteId(conn, site);
            int n;
            try (PreparedStatement ps = conn.prepareStatement("UPDATE agent SET revoked = now()"
                    + " WHERE site_id = ? AND revoked IS NULL")) {
                ps.setLong(1, id);
                n = ps.executeUpdate();
            }
            audit(conn, actor, "agent.revoke", Optional.of(id), source, detail(
                    "site", site).put("agents", n));
            return n;
        });
    }

    /** The newest lines of the audit log, newest first. */
    public List<AuditEntry> auditLog(int limit) {
        return query("SELECT a.id, a.at, a.actor, a.action, s.name, a.source, a.detail::text FROM"
                + " audit_log a LEFT JOIN site s ON s.id = a.site_id ORDER BY a.id DESC LIMIT ?",
                ps -> ps.setInt(1, limit), rs -> new AuditEntry(rs.getLong(1), rs.getTimestamp(2)
                        .toInstant(), rs.getString(3), rs.getString(4),
                        Optional.ofNullable(rs
                                .getString(5)),
                        rs.getString(6), rs.getString(7)));
    }

    /** Runs one read-only SQL query for tests and diagnostics; the first column of each row. */
    public List<String> column(String sql) {
        return query(sql, ps -> {
        }, rs -> rs.getString(1));
    }

    /** The connection pool, for readers that keep their own queries (the dashboard's). */
    public DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }

    // --- plumbing -------------------------------------------------------------------------

    /**
     * Reads an identification from 11 columns starting at {@code c}: address, mac, brand,
     * platform, model, firmware, type, confidence, oem_rebrand, evidence, conflicts.
     */
    public static Identification identification(ResultSet rs, int c) throws SQLException {
        List<String> conflicts = new ArrayList<>();
        tree(rs.getString(c + 10)).forEach(n -> conflicts.add(n.asText()));
        return new Identification(rs.getString(c), Optional.ofNullable(rs.getString(c + 1)),
                Optional.ofNullable(rs.getString(c + 2)), Optional.ofNullable(rs.getString(c + 3)),
                Optional.ofNullable(rs.getString(c + 4)), Optional.ofNullable(rs.getString(c + 5)),
                Optional.ofNullable(rs.getString(c + 6)), rs.getDouble(c + 7), rs.getBoolean(c
                        + 8),
                BatchJson.readEvidence(tree(rs.getString(c + 9))), conflicts);
    }

    /**
     * Reads a finding from 10 columns starting at {@code c}: finding_id, kind, severity,
     * device_key, address, title, evidence, citation, remediation, details.
     */
    public static Finding finding(ResultSet rs, int c) throws SQLException {
        List<String> evidence = new ArrayList<>();
        tree(rs.getString(c + 6)).forEach(n -> evidence.add(n.asText()));
        Map<String, String> details = new TreeMap<>();
        tree(rs.getString(c + 9)).properties().forEach(e -> details.put(e.getKey(), e.getValue()
                .asText()));
        return new Finding(rs.getString(c), BatchJson.kind(rs.getString(c + 1)), BatchJson
                .severity(rs.getString(c + 2)), rs.getString(c + 3), rs.getString(c + 4),
                rs
                        .getString(c + 5),
                evidence, Optional.ofNullable(rs.getString(c + 7)),
                BatchJson.remediation(rs.getString(c + 8)), details);
    }

    private static Optional<SiteInfo> site(Connection conn, long id) throws SQLException {
        return query(conn, "SELECT s.id, s.name, s.created, (SELECT count(*) FROM agent a WHERE"
                + " a.site_id = s.id), (SELECT count(*) FROM scan c WHERE c.site_id = s.id),"
                + " (SELECT count(*) FROM device d WHERE d.site_id = s.id), (SELECT max(c.started)"
                + " FROM scan c WHERE c.site_id = s.id) FROM site s WHERE s.id = ?",
                ps -> ps
                        .setLong(1, id),
                rs -> new SiteInfo(rs.getLong(1), rs.getString(2), rs
                        .getTimestamp(3).toInstant(), rs.getLong(4), rs.getLong(5),
                        rs
                                .getLong(6),
                        instant(rs, 7)))
                .stream().findFirst();
    }

    private static Set<Long> ids(Connection conn, String sql) throws SQLException {
        Set<Long> ids = new LinkedHashSet<>();
        try (PreparedStatement ps = conn.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    /** Writes one audit-log line in the caller's transaction. */
    public static void audit(Connection conn, String actor, String action, Optional<Long> siteId,
            String source, ObjectNode detail) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "INSERT INTO audit_log (actor, action, site_id, source, detail) VALUES (?, ?, ?, ?,"
                        + " ?::jsonb)")) {
            ps.setString(1, actor);
            ps.setString(2, action);
            setLong(ps, 3, siteId);
            ps.setString(4, source);
            ps.setString(5, json(detail));
            ps.executeUpdate();
        }
    }

    private static ObjectNode detail(String key, String value) {
        return BatchJson.MAPPER.createObjectNode().put(key, value);
    }

    private static String json(JsonNode n) {
        try {
            return noNul(BatchJson.MAPPER.writeValueAsString(n));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** PostgreSQL text and jsonb cannot hold U+0000; it is kept as the two characters "\0". */
    private static String noNul(String s) {
        return s.indexOf('\0') < 0 ? s : s.replace("\0", "\\0");
    }

    private static JsonNode tree(String json) {
        try {
            return BatchJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable: " + e.getOriginalMessage(),
                    e);
        }
    }

    private static Optional<Instant> instant(ResultSet rs, int c) throws SQLException {
        Timestamp t = rs.getTimestamp(c);
        return t == null ? Optional.empty() : Optional.of(t.toInstant());
    }

    private static void setInstant(PreparedStatement ps, int i, Optional<Instant> v)
            throws SQLException {
        if (v.isPresent()) {
            ps.setTimestamp(i, Timestamp.from(v.get()));
        } else {
            ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        }
    }

    private static void setText(PreparedStatement ps, int i, Optional<String> v)
            throws SQLException {
        if (v.isPresent()) {
            ps.setString(i, noNul(v.get()));
        } else {
            ps.setNull(i, Types.VARCHAR);
        }
    }

    private static void setLong(PreparedStatement ps, int i, Optional<Long> v)
            throws SQLException {
        if (v.isPresent()) {
            ps.setLong(i, v.get());
        } else {
            ps.setNull(i, Types.BIGINT);
        }
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Work on one connection of the store's pool. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection conn) throws SQLException;
    }

    private <T> List<T> query(String sql, Binder binder, Row<T> row) {
        return withConnection(conn -> query(conn, sql, binder, row));
    }

    private static <T> List<T> query(Connection conn, String sql, Binder binder, Row<T> row)
            throws SQLException {
        List<T> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.read(rs));
                }
            }
        }
        return out;
    }

    /** Runs work on a connection of the pool (auto-commit). */
    public <T> T withConnection(Work<T> work) {
        try (Connection conn = pool.getConnection()) {
            return work.run(conn);
        } catch (SQLException e) {
            throw new StoreUnavailableException("the central store failed: " + e.getMessage(), e);
        }
    }

    /** Runs work in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T transaction(Work<T> work) {
        try (Connection conn = pool.getConnection()) {
            conn.setAutoCommit(false);
            try {
                T result = work.run(conn);
                if (!conn.getAutoCommit()) {
                    conn.commit();
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            } finally {
                conn.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("the central store failed: " + e.getMessage(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
