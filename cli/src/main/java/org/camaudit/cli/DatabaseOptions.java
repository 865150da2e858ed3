package org.camaudit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.camaudit.server.db.CentralStore;
import org.camaudit.server.db.DatabaseSettings;
import picocli.CommandLine.Option;

/** {@code --db} and its credentials: the server's PostgreSQL. */
final class DatabaseOptions {
    @Option(names = "--db", paramLabel = "JDBC-URL", required = true, description = "The server's PostgreSQL, jdbc:postgresql://HOST:PORT/DATABASE.")
    String url;

    @Option(names = "--db-user", paramLabel = "USER", defaultValue = "camaudit", description = "PostgreSQL user (default ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--db-password-file", paramLabel = "FILE", description = "A file holding the user's password (default: $CAMAUDIT_DB_PASSWORD, else none).")
    Path passwordFile;

    CentralStore open() {
        String password = System.getenv().getOrDefault("CAMAUDIT_DB_PASSWORD", "");
        if (passwordFile != null) {
            try {
                password = Files.readString(passwordFile).strip();
            } catch (IOException e) {
                throw new UsageException("cannot read --db-password-file " + passwordFile + ": "
                        + e.getMessage());
            }
        }
        DatabaseSettings settings;
        try {
            settings = new DatabaseSettings(url, user, password);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return CentralStore.open(settings);
    }
}
