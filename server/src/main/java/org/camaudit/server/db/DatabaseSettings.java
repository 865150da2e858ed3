package org.camaudit.server.db;

import java.util.Objects;

/**
 * How to reach PostgreSQL.
 *
 * @param url a JDBC URL, {@code jdbc:postgresql://127.0.0.1:5432/camaudit}
 */
public record DatabaseSettings(String url, String user, String password) {
    public DatabaseSettings {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(
                    "the database URL must start with jdbc:postgresql:, got " + url);
        }
        Objects.requireNonNull(user, "user");
        password = password == null ? "" : password;
    }

    @Override
    public String toString() {
        return url + " as " + user;
    }
}
