package org.camaudit.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.camaudit.model.Evidence;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.model.Observation;
import org.camaudit.model.Scan;
import org.camaudit.model.ScanSummary;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** The observation log in one SQLite file, WAL-journalled, one connection per instance. */
final class SqliteObservationLog implements ObservationLog {
    static final String FILE_NAME = "camaudit.db";
    private static final int BATCH = 1000;
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;
    /** Fixed width so that text order is time order in SQL. */
    private static final DateTimeFormatter TIME = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String SCAN_COLUMNS = "id, kind, started, finished, authorized_by, scope_json, status,"
            + " addresses_probed, hosts_up, open_ports, observation_count, duration_millis";

    private final Path file;
    private final Connection connection;
    private final int schemaVersion;
    private final ScanOwners owners;
    private boolean closed;

    private SqliteObservationLog(Path file, Connection connection, int schemaVersion) {
        this.file = file;
        this.connection = connection;
        this.schemaVersion = schemaVersion;
        this.owners = new ScanOwners(file.getParent().resolve("running"));
    }

    static SqliteObservationLog open(Path dataDir) {
        Objects.requireNonNull(dataDir, "dataDir");
        Path file = dataDir.toAbsolutePath().resolve(FILE_NAME);
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new StoreException(
                    "cannot open " + file + ": cannot create directory " + file.getParent()
                            + " (" + describe(e) + ")",
                    e);
        }
        if (Files.isDirectory(file)) {
            throw new StoreException("cannot open " + file + ": it is a directory");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.enforceForeignKeys(true);
        // Our transactions all write: take the write lock at BEGIN rather than fail on upgrade.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        Connection connection;
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
        } catch (SQLException e) {
            throw new StoreException(explain("cannot open " + file, file, e).orElse("cannot open "
                    + file + ": " + e.getMessage()), e);
        }
        try {
            SQLiteDataSource migrator = new SQLiteDataSource(config);
            migrator.setUrl("jdbc:sqlite:" + file);
            int version = Migrations.apply(migrator, connection, file.toString());
            SqliteObservationLog log = new SqliteObservationLog(file, connection, version);
            log.markAbandoned();
            return log;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            if (e instanceof StoreException se) {
                throw se;
            }
            if (e instanceof SQLException sql) {
                throw new StoreException(explain("cannot open " + file, file, sql).orElse(
                        "cannot open " + file + ": " + e.getMessage()), e);
            }
            throw new StoreException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized long startScan(String kind, String authorizedBy, String scopeJson,
            Instant started) {
        requireText(kind, "kind");
        Objects.requireNonNull(authorizedBy, "authorizedBy");
        Objects.requireNonNull(scopeJson, "scopeJson");
        Objects.requireNonNull(started, "started");
        ensureOpen();
        // the lock first: a scan is never 'running' in the log without a live owner
        String owner = owners.take("cannot start a scan in " + file);
        String sql = "INSERT INTO scans (kind, started, authorized_by, scope_json, status, owner)"
                + " VALUES (?, ?, ?, ?, 'running', ?) RETURNING id";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, kind);
            ps.setString(2, TIME.format(started));
            ps.setString(3, authorizedBy);
            ps.setString(4, scopeJson);
            ps.setString(5, owner);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException("cannot start a scan in " + file + ": no id returned");
                }
                return rs.getLong(1);
            }
        } catch (SQLException | RuntimeException e) {
            owners.release(owner);
            if (e instanceof SQLException sql2) {
                throw failure("cannot start a scan", sql2);
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * Every scan left 'running' whose owner's lock nobody holds: its process is gone. The owner
     * marks its scan finished before it lets go of the lock, so a free lock on a scan still
     * 'running' can only mean a process that died.
     */
    private void markAbandoned() {
        List<Long> abandoned = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT id, owner FROM scans WHERE status = 'running'");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (!owners.alive(rs.getString(2))) {
                    abandoned.add(rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw failure("cannot read the running scans", e);
        }
        for (long id : abandoned) {
            try (PreparedStatement ps = connection.prepareStatement("UPDATE scans SET status ="
                    + " 'interrupted', finished = ? WHERE id = ? AND status = 'running'")) {
                ps.setString(1, TIME.format(Instant.now()));
                ps.setLong(2, id);
                ps.executeUpdate();
            } catch (SQLException e) {
                // a read-only log cannot be marked; it still reads
                return;
            }
        }
    }

    @Override
    public synchronized void resumeScan(long scanId) {
        ensureOpen();
        Scan scan = scan(scanId).orElseThrow(() -> new StoreException("cannot resume scan "
                + scanId + ": no such scan in " + file));
        if (!resumable(scan.status())) {
            throw new StoreException("cannot resume scan " + scanId + ": it is " + scan.status()
                    + (scan.status().equals("running") ? " in another process" : "")
                    + "; only an interrupted or failed scan can be resumed");
        }
        String owner = owners.take("cannot resume scan " + scanId + " in " + file);
        try (PreparedStatement ps = connection.prepareStatement("UPDATE scans SET status ="
                + " 'running', finished = NULL, owner = ? WHERE id = ? AND status IN"
                + " ('interrupted', 'failed')")) {
            ps.setString(1, owner);
            ps.setLong(2, scanId);
            if (ps.executeUpdate() == 0) {
                owners.release(owner);
                throw new StoreException("cannot resume scan " + scanId
                        + ": another process resumed it first");
            }
        } catch (SQLException e) {
            owners.release(owner);
            throw failure("cannot resume scan " + scanId, e);
        }
    }

    /** Cut short (killed, stopped, or a store write failed): what it stored is a prefix. */
    static boolean resumable(String status) {
        return status.equals("interrupted") || status.equals("failed");
    }

    @Override
    public synchronized Optional<String> checkpoint(long scanId) {
        ensureOpen();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT state_json FROM scan_checkpoints WHERE scan_id = ?")) {
            ps.setLong(1, scanId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("cannot read the checkpoint of scan " + scanId, e);
        }
    }

    @Override
    public synchronized void append(long scanId, List<Observation> batch) {
        Objects.requireNonNull(batch, "batch");
        if (!batch.isEmpty()) {
            append(scanId, batch, null);
        }
    }

    @Override
    public synchronized void append(long scanId, List<Observation> batch, String checkpointJson) {
        Objects.requireNonNull(batch, "batch");
        ensureOpen();
        requireScan(scanId, "cannot append to scan " + scanId);
        String sql = "INSERT INTO observations (scan_id, time, source, address, mac, port, transport, protocol,"
                + " fields_json, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try {
            connection.setAutoCommit(false);
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                int pending = 0;
                for (Observation o : batch) {
                    ps.setLong(1, scanId);
                    ps.setString(2, TIME.format(o.time()));
                    ps.setString(3, o.source().label());
                    ps.setString(4, o.address());
                    ps.setString(5, o.mac().orElse(null));
                    ps.setInt(6, o.port());
                    ps.setString(7, o.transport().label());
                    ps.setString(8, o.protocol());
                    ps.setString(9, ObservationJson.fieldsToJson(o.fields()));
                    ps.setString(10, o.raw());
                    ps.addBatch();
                    if (++pending == BATCH) {
                        ps.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    ps.executeBatch();
                }
                if (checkpointJson != null) {
                    writeCheckpoint(scanId, checkpointJson);
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException gone) {
                    e.addSuppressed(gone); // SQLite rolled back itself (a full disk does that)
                }
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("cannot append " + batch.size() + " observations to scan " + scanId, e);
        }
    }

    @Override
    public synchronized void finishScan(long scanId, String status, ScanSummary summary,
            Instant finished) {
        requireText(status, "status");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(finished, "finished");
        ensureOpen();
        String sql = "UPDATE scans SET status = ?, finished = ?, addresses_probed = ?, hosts_up = ?,"
                + " open_ports = ?, observation_count = ?, duration_millis = ? WHERE id = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, status);
            ps.setString(2, TIME.format(finished));
            ps.setLong(3, summary.addressesProbed());
            ps.setLong(4, summary.hostsUp());
            ps.setLong(5, summary.openPorts());
            ps.setLong(6, summary.observations());
            ps.setLong(7, summary.millis());
            ps.setLong(8, scanId);
            if (ps.executeUpdate() == 0) {
                throw new StoreException(
                        "cannot finish scan " + scanId + ": no such scan in " + file);
            }
        } catch (SQLException e) {
            throw failure("cannot finish scan " + scanId, e);
        }
        // only now, with the scan no longer 'running', may its lock go
        owners.release(ownerOf(scanId));
    }

    private String ownerOf(long scanId) {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT owner FROM scans WHERE id = ?")) {
            ps.setLong(1, scanId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw failure("cannot read scan " + scanId, e);
        }
    }

    private void writeCheckpoint(long scanId, String stateJson) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO scan_checkpoints"
                + " (scan_id, state_json, updated) VALUES (?, ?, ?) ON CONFLICT (scan_id) DO UPDATE"
                + " SET state_json = excluded.state_json, updated = excluded.updated")) {
            ps.setLong(1, scanId);
            ps.setString(2, stateJson);
            ps.setString(3, TIME.format(Instant.now()));
            ps.executeUpdate();
        }
    }

    @Override
    public synchronized List<Scan> scans() {
        ensureOpen();
        String sql = "SELECT " + SCAN_COLUMNS + " FROM scans ORDER BY started DESC, id DESC";
        try (PreparedStatement ps = connection.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            List<Scan> scans = new ArrayList<>();
            while (rs.next()) {
                scans.add(scanFrom(rs));
            }
            return List.copyOf(scans);
        } catch (SQLException e) {
            throw failure("cannot list scans", e);
        }
    }

    @Override
    public synchronized Optional<Scan> scan(long id) {
        ensureOpen();
        try (PreparedStatement ps = connection.prepareStatement("SELECT " + SCAN_COLUMNS
                + " FROM scans WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(scanFrom(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("cannot read scan " + id, e);
        }
    }

    @Override
    public synchronized long countObservations(long scanId) {
        ensureOpen();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT COUNT(*) FROM observations WHERE scan_id = ?")) {
            ps.setLong(1, scanId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw failure("cannot count the observations of scan " + scanId, e);
        }
    }

    /**
     * Rows are stepped one at a time by SQLite, so memory stays bounded. The consumer runs while this
     * log's lock is held: it may call this log from the same thread, not wait on another that does.
     */
    @Override
    public synchronized void forEachObservation(long scanId, Consumer<Observation> consumer) {
        Objects.requireNonNull(consumer, "consumer");
        ensureOpen();
        String sql = "SELECT id, time, source, address, mac, port, transport, protocol, fields_json, raw"
                + " FROM observations WHERE scan_id = ? ORDER BY id";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, scanId);
            ps.setFetchSize(512);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    consumer.accept(observationFrom(rs));
                }
            }
        } catch (SQLException e) {
            throw failure("cannot read the observations of scan " + scanId, e);
        }
    }

    @Override
    public synchronized void replaceIdentifications(long scanId,
            List<Identification> identifications, String rulesVersion) {
        Objects.requireNonNull(identifications, "identifications");
        requireText(rulesVersion, "rulesVersion");
        replaceDerived(scanId, "identifications", "INSERT INTO identifications (scan_id,"
                + " device_key, address, mac, brand, platform, model, firmware, type, confidence,"
                + " oem_rebrand, evidence_json, conflicts_json, rules_version) VALUES (?, ?, ?, ?,"
                + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scan_id, device_key) DO NOTHING",
                identifications, (ps, i) -> {
                    ps.setString(2, i.deviceKey());
                    ps.setString(3, i.address());
                    ps.setString(4, i.mac().orElse(null));
                    ps.setString(5, i.brand().orElse(null));
                    ps.setString(6, i.platform().orElse(null));
                    ps.setString(7, i.model().orElse(null));
                    ps.setString(8, i.firmware().orElse(null));
                    ps.setString(9, i.type().orElse(null));
                    ps.setDouble(10, i.confidence());
                    ps.setInt(11, i.oemRebrand() ? 1 : 0);
                    ps.setString(12, evidenceJson(i.evidence()));
                    ps.setString(13, ObservationJson.MAPPER.writeValueAsString(i.conflicts()));
                    ps.setString(14, rulesVersion);
                });
    }

    /** Binds one derived row's columns after the scan id (parameter 1). */
    @FunctionalInterface
    private interface RowBinder<T> {
        void bind(PreparedStatement ps, T row) throws SQLException, java.io.IOException;
    }

    /**
     * Replaces a scan's derived rows (identifications, findings) in one transaction: delete the
     * old ones, insert the new ones in batches. Observations are never touched.
     */
    private <T> void replaceDerived(long scanId, String table, String insertSql, List<T> rows,
            RowBinder<T> binder) {
        ensureOpen();
        requireScan(scanId, "cannot store " + table + " of scan " + scanId);
        try {
            connection.setAutoCommit(false);
            try (PreparedStatement del = connection.prepareStatement("DELETE FROM " + table
                    + " WHERE scan_id = ?");
                    PreparedStatement ps = connection.prepareStatement(insertSql)) {
                del.setLong(1, scanId);
                del.executeUpdate();
                int pending = 0;
                for (T row : rows) {
                    ps.setLong(1, scanId);
                    binder.bind(ps, row);
                    ps.addBatch();
                    if (++pending == BATCH) {
                        ps.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    ps.executeBatch();
                }
                connection.commit();
            } catch (SQLException | RuntimeException | java.io.IOException e) {
                connection.rollback();
                if (e instanceof SQLException se) {
                    throw se;
                }
                if (e instanceof RuntimeException re) {
                    throw re;
                }
                throw new StoreException("cannot encode " + table + ": " + e.getMessage(), e);
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("cannot store the " + table + " of scan " + scanId, e);
        }
    }

    @Override
    public synchronized List<Identification> identifications(long scanId) {
        ensureOpen();
        String sql = "SELECT address, mac, brand, platform, model, firmware, type, confidence,"
                + " oem_rebrand, evidence_json, conflicts_json FROM identifications"
                + " WHERE scan_id = ? ORDER BY id";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, scanId);
            try (ResultSet rs = ps.executeQuery()) {
                List<Identification> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(identificationFrom(rs));
                }
                return List.copyOf(out);
            }
        } catch (SQLException e) {
            throw failure("cannot read the identifications of scan " + scanId, e);
        }
    }

    @Override
    public synchronized Optional<String> identificationRulesVersion(long scanId) {
        ensureOpen();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT rules_version FROM identifications WHERE scan_id = ? LIMIT 1")) {
            ps.setLong(1, scanId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("cannot read the identifications of scan " + scanId, e);
        }
    }

    private static String evidenceJson(List<Evidence> evidence) throws java.io.IOException {
        ArrayNode a = ObservationJson.MAPPER.createArrayNode();
        for (Evidence e : evidence) {
            ObjectNode o = a.addObject();
            o.put("rule", e.ruleId());
            o.put("field", e.field());
            o.put("excerpt", e.excerpt());
            o.put("said", e.said());
            o.put("confidence", e.confidence());
        }
        return ObservationJson.MAPPER.writeValueAsString(a);
    }

    private Identification identificationFrom(ResultSet rs) throws SQLException {
        try {
            List<Evidence> evidence = new ArrayList<>();
            for (JsonNode n : ObservationJson.MAPPER.readTree(rs.getString("evidence_json"))) {
                evidence.add(new Evidence(n.path("rule").asText(), n.path("field").asText(), n
                        .path("excerpt").asText(), n.path("said").asText(),
                        n.path("confidence")
                                .asDouble()));
            }
            List<String> conflicts = new ArrayList<>();
            ObservationJson.MAPPER.readTree(rs.getString("conflicts_json")).forEach(n -> conflicts
                    .add(n.asText()));
            return new Identification(rs.getString("address"), Optional.ofNullable(rs.getString(
                    "mac")), Optional.ofNullable(rs.getString("brand")), Optional.ofNullable(
                            rs
                                    .getString("platform")),
                    Optional.ofNullable(rs.getString("model")),
                    Optional.ofNullable(rs.getString("firmware")), Optional.ofNullable(rs
                            .getString("type")),
                    rs.getDouble("confidence"), rs.getInt(
                            "oem_rebrand") == 1,
                    evidence, conflicts);
        } catch (java.io.IOException | RuntimeException e) {
            throw new StoreException("an identification in " + file + " is unreadable: " + e
                    .getMessage(), e);
        }
    }

    @Override
    public synchronized void replaceFindings(long scanId, List<Finding> findings) {
        Objects.requireNonNull(findings, "findings");
        replaceDerived(scanId, "findings", "INSERT INTO findings (scan_id, finding_id, kind,"
                + " severity, device_key, address, title, evidence_json, citation, remediation,"
                + " details_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (scan_id, device_key, finding_id) DO NOTHING", findings,
                (ps, f) -> {
                    ps.setString(2, f.id());
                    ps.setString(3, f.kind().name());
                    ps.setString(4, f.severity().name());
                    ps.setString(5, f.deviceKey());
                    ps.setString(6, f.address());
                    ps.setString(7, f.title());
                    ps.setString(8, ObservationJson.MAPPER.writeValueAsString(f.evidence()));
                    ps.setString(9, f.citation().orElse(null));
                    ps.setString(10, f.remediation().name());
                    ps.setString(11, ObservationJson.MAPPER.writeValueAsString(f.details()));
                });
    }

    @Override
    public synchronized List<Finding> findings(long scanId) {
        ensureOpen();
        String sql = "SELECT finding_id, kind, severity, device_key, address, title, evidence_json,"
                + " citation, remediation, details_json FROM findings WHERE scan_id = ? ORDER BY id";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, scanId);
            try (ResultSet rs = ps.executeQuery()) {
                List<Finding> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(findingFrom(rs));
                }
                return List.copyOf(out);
            }
        } catch (SQLException e) {
            throw failure("cannot read the findings of scan " + scanId, e);
        }
    }

    private Finding findingFrom(ResultSet rs) throws SQLException {
        try {
            List<String> evidence = new ArrayList<>();
            ObservationJson.MAPPER.readTree(rs.getString("evidence_json")).forEach(n -> evidence
                    .add(n.asText()));
            java.util.Map<String, String> details = new java.util.TreeMap<>();
            ObservationJson.MAPPER.readTree(rs.getString("details_json")).properties().forEach(
                    e -> details.put(e.getKey(), e.getValue().asText()));
            return new Finding(rs.getString("finding_id"), Finding.Kind.valueOf(rs.getString(
                    "kind")), Finding.Severity.valueOf(rs.getString("severity")), rs.getString(
                            "device_key"),
                    rs.getString("address"), rs.getString("title"), evidence, Optional
                            .ofNullable(rs.getString("citation")),
                    Finding.Remediation.valueOf(rs
                            .getString("remediation")),
                    details);
        } catch (java.io.IOException | RuntimeException e) {
            throw new StoreException("a finding in " + file + " is unreadable: " + e.getMessage(),
                    e);
        }
    }

    @Override
    public int schemaVersion() {
        return schemaVersion;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        owners.releaseAll();
        try {
            connection.close();
        } catch (SQLException e) {
            throw failure("cannot close", e);
        }
    }

    private Observation observationFrom(ResultSet rs) throws SQLException {
        long id = rs.getLong("id");
        try {
            return new Observation(Instant.parse(rs.getString("time")),
                    Source.fromLabel(rs.getString("source")),
                    rs.getString("address"),
                    Optional.ofNullable(rs.getString("mac")),
                    rs.getInt("port"),
                    Transport.fromLabel(rs.getString("transport")),
                    rs.getString("protocol"),
                    ObservationJson.fieldsFromJson(rs.getString("fields_json")),
                    rs.getString("raw"));
        } catch (RuntimeException e) {
            throw new StoreException(
                    "observation " + id + " in " + file + " is unreadable: " + e.getMessage(), e);
        }
    }

    private static Scan scanFrom(ResultSet rs) throws SQLException {
        String finished = rs.getString("finished");
        ScanSummary summary = new ScanSummary(rs.getLong("addresses_probed"),
                rs.getLong("hosts_up"),
                rs.getLong("open_ports"), rs.getLong("observation_count"),
                rs.getLong("duration_millis"));
        return new Scan(rs.getLong("id"), Instant.parse(rs.getString("started")),
                Optional.ofNullable(finished).map(Instant::parse), rs.getString("kind"),
                rs.getString("authorized_by"), rs.getString("scope_json"), rs.getString("status"),
                summary);
    }

    private void requireScan(long scanId, String what) {
        try (PreparedStatement ps = connection
                .prepareStatement("SELECT 1 FROM scans WHERE id = ?")) {
            ps.setLong(1, scanId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException(what + ": no such scan in " + file);
                }
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StoreException("the observation log " + file + " is closed");
        }
    }

    private StoreException failure(String what, SQLException e) {
        return new StoreException(explain(what, file, e).orElse(what + " in " + file + ": " + e
                .getMessage()), e);
    }

    /**
     * One line for a failed statement, a full disk and a read-only file system said plainly:
     * SQLite rolls the statement's transaction back, so what was committed before is kept.
     */
    static Optional<String> explain(String what, Path file, SQLException e) {
        String m = String.valueOf(e.getMessage());
        int code = e.getErrorCode() & 0xff;
        if (code == 13 || m.contains("SQLITE_FULL") || m.contains("no transaction is active")
                && nearlyFull(file)) {
            return Optional.of(what + ": the disk holding " + file + " is full (everything stored"
                    + " before is kept; free some space and run the command again)");
        }
        if (code == 8 || m.contains("SQLITE_READONLY") || m.contains("Read-only file system")
                || code == 14 && !Files.isWritable(file.getParent())) {
            return Optional.of(what + ": " + file + " is on a read-only file system or cannot be"
                    + " written (everything stored before is kept)");
        }
        return Optional.empty();
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    static String describe(IOException e) {
        String kind = e.getClass().getSimpleName().replace("Exception", "");
        return e.getMessage() == null ? kind : kind + ": " + e.getMessage();
    }

    /**
     * Less than a megabyte left where the log lives: after a full disk SQLite has rolled the
     * transaction back on its own, and the commit that follows only says none is active.
     */
    private static boolean nearlyFull(Path file) {
        try {
            return Files.getFileStore(file.getParent()).getUsableSpace() < 1 << 20;
        } catch (IOException e) {
            return false;
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the open failure is the one worth reporting
        }
    }
}
