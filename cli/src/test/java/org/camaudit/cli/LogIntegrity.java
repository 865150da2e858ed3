package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** SQLite's own check of a data directory's log, after a kill or a failed write. */
final class LogIntegrity {
    private LogIntegrity() {
    }

    static void assertIntact(Path dataDir) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(
                "camaudit.db"));
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "PRAGMA integrity_check")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).as("SQLite integrity check of " + dataDir).isEqualTo("ok");
        }
    }
}
