package org.camaudit.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Numbered schema migrations, {@code migrations/V<n>__<what>.sql} beside this class, applied in
 * order, each in its own transaction together with its row in {@code schema_migrations}.
 */
final class Migrations {
    /** Every migration, in order. A new one is added here and as a file; numbers never change. */
    static final List<String> SCRIPTS = List.of("V1__observation_log.sql",
            "V2__identifications.sql", "V3__findings.sql", "V4__scan_checkpoints.sql");

    private static final Pattern NAME = Pattern.compile("V(\\d+)__([a-z0-9_]+)\\.sql");

    record Migration(int version, String script, String sql) {
    }

    private Migrations() {
    }

    static int latestVersion() {
        return SCRIPTS.size();
    }

    /** The migrations, checked to be numbered 1, 2, 3... with no gap. */
    static List<Migration> load() {
        List<Migration> all = new ArrayList<>();
        for (String script : SCRIPTS) {
            Matcher m = NAME.matcher(script);
            if (!m.matches()) {
                throw new IllegalStateException("migration name not V<n>__<what>.sql: " + script);
            }
            int version = Integer.parseInt(m.group(1));
            if (version != all.size() + 1) {
                throw new IllegalStateException(
                        "migration " + script + " out of sequence: expected V"
                                + (all.size() + 1));
            }
            all.add(new Migration(version, script, read(script)));
        }
        return all;
    }

    private static String read(String script) {
        String resource = "migrations/" + script;
        try (InputStream in = Migrations.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(
                        "migration " + resource + " missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read migration " + resource, e);
        }
    }

    /**
     * Brings the database up to {@link #latestVersion()}; refuses one already newer than that.
     *
     * @param where the database file, for messages
     * @return the schema version afterwards
     */
    static int apply(Connection connection, String where) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.executeUpdate("CREATE TABLE IF NOT EXISTS schema_migrations ("
                    + "version INTEGER PRIMARY KEY, script TEXT NOT NULL, applied TEXT NOT NULL)");
        }
        refuseNewer(current(connection), where);
        for (Migration migration : load()) {
            connection.setAutoCommit(false);
            try {
                // Re-read inside the transaction: another process may have migrated meanwhile.
                int current = current(connection);
                refuseNewer(current, where);
                if (migration.version() <= current) {
                    connection.commit();
                    continue;
                }
                try (Statement st = connection.createStatement()) {
                    // sqlite-jdbc runs a multi-statement script through sqlite3_exec here.
                    st.executeUpdate(migration.sql());
                }
                try (PreparedStatement ps = connection.prepareStatement(
                        "INSERT INTO schema_migrations (version, script, applied) VALUES (?, ?, ?)")) {
                    ps.setInt(1, migration.version());
                    ps.setString(2, migration.script());
                    ps.setString(3, Instant.now().toString());
                    ps.executeUpdate();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                if (e instanceof StoreException se) {
                    throw se;
                }
                throw new StoreException(
                        "cannot migrate " + where + " with " + migration.script() + ": "
                                + e.getMessage(),
                        e);
            } finally {
                connection.setAutoCommit(true);
            }
        }
        return current(connection);
    }

    static int current(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st
                        .executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static void refuseNewer(int version, String where) {
        if (version > latestVersion()) {
            throw new StoreException("cannot open " + where + ": its schema is version " + version
                    + ", newer than this camaudit understands (" + latestVersion()
                    + "); use the camaudit that wrote it or a newer one");
        }
    }
}
