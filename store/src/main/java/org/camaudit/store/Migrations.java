package org.camaudit.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.sqlite.SQLiteDataSource;

/**
 * The log's schema history, kept by Flyway as the central store's is: the migrations are the
 * files {@code migrations/V<n>__<what>.sql} beside this class, found by Flyway on the class path
 * (a new file is picked up without a code change), each applied once in its own transaction and
 * recorded in {@code flyway_schema_history}.
 *
 * <p>A log made before Flyway kept its history in {@code schema_migrations}; Flyway adopts it by
 * a baseline at that version, so the migrations it had are not run again.
 */
final class Migrations {
    /** Where Flyway finds the migrations. */
    static final String LOCATION = "classpath:org/camaudit/store/migrations";
    /** The history table of the hand-written migrations before Flyway. */
    static final String OLD_HISTORY = "schema_migrations";
    static final String HISTORY = "flyway_schema_history";

    private Migrations() {
    }

    private static Flyway flyway(DataSource db, int baseline) {
        var c = Flyway.configure(Migrations.class.getClassLoader()).dataSource(db).locations(
                LOCATION).table(HISTORY).loggers("slf4j").validateMigrationNaming(true);
        if (baseline > 0) {
            c = c.baselineOnMigrate(true).baselineVersion(Integer.toString(baseline))
                    .baselineDescription("adopted from " + OLD_HISTORY);
        }
        return c.load();
    }

    private static volatile List<MigrationInfo> shipped;

    /**
     * The migrations this build carries, in order: what Flyway finds on the class path (read
     * once, against an empty in-memory database).
     */
    static List<MigrationInfo> shipped() {
        List<MigrationInfo> s = shipped;
        if (s == null) {
            SQLiteDataSource empty = new SQLiteDataSource();
            empty.setUrl("jdbc:sqlite::memory:");
            List<MigrationInfo> out = new ArrayList<>();
            for (MigrationInfo m : flyway(empty, 0).info().all()) {
                if (m.isVersioned()) {
                    out.add(m);
                }
            }
            s = List.copyOf(out);
            shipped = s;
        }
        return s;
    }

    /** The newest shipped version. */
    static int latestVersion() {
        return shipped().stream().mapToInt(Migrations::version).max().orElse(0);
    }

    /** The shipped migrations' file names. */
    static List<String> scripts() {
        return shipped().stream().map(MigrationInfo::getScript).toList();
    }

    /**
     * Brings the database up to the newest shipped migration; refuses one already newer.
     *
     * @param where the database file, for messages
     * @return the schema version afterwards
     */
    static int apply(DataSource db, Connection connection, String where) throws SQLException {
        boolean flywayHistory = tableExists(connection, HISTORY);
        int adopted = !flywayHistory && tableExists(connection, OLD_HISTORY)
                ? oldVersion(connection)
                : 0;
        int latest = latestVersion();
        refuseNewer(Math.max(adopted, current(connection)), latest, where);
        try {
            flyway(db, adopted).migrate();
        } catch (FlywayException e) {
            throw new StoreException("cannot migrate " + where + ": " + e.getMessage(), e);
        }
        int now = current(connection);
        refuseNewer(now, latest, where);
        return now;
    }

    /** The highest version recorded as applied (a baseline counts), 0 for a new database. */
    static int current(Connection connection) throws SQLException {
        if (!tableExists(connection, HISTORY)) {
            return 0;
        }
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT COALESCE(MAX(CAST(version AS INTEGER)), 0) FROM " + HISTORY
                                + " WHERE success = 1 AND version IS NOT NULL")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static int oldVersion(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT COALESCE(MAX(version), 0) FROM " + OLD_HISTORY)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static boolean tableExists(Connection connection, String table) throws SQLException {
        DatabaseMetaData md = connection.getMetaData();
        try (ResultSet rs = md.getTables(null, null, table, new String[]{"TABLE"})) {
            return rs.next();
        }
    }

    static int version(MigrationInfo m) {
        return Integer.parseInt(m.getVersion().getVersion());
    }

    private static void refuseNewer(int version, int latest, String where) {
        if (version > latest) {
            throw new StoreException("cannot open " + where + ": its schema is version " + version
                    + ", newer than this camaudit understands (" + latest
                    + "); use the camaudit that wrote it or a newer one");
        }
    }
}
