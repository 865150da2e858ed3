package org.camaudit.server.faults;

import java.nio.file.Path;
import org.camaudit.server.db.CentralStore;
import org.camaudit.server.db.DatabaseSettings;
import org.camaudit.server.db.LocalPostgres;
import org.camaudit.server.http.ApiServer;

/**
 * The server as a process of its own, for tests that kill it: {@code DB_URL DATA_DIR}. Prints
 * {@code port N} once it listens on 127.0.0.1, then serves until killed.
 */
public final class ServerProcess {
    private ServerProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        CentralStore store = CentralStore.open(new DatabaseSettings(args[0], LocalPostgres.USER,
                ""));
        ApiServer server = ApiServer.start(store, ApiServer.Settings.of("127.0.0.1", 0, Path.of(
                args[1])));
        System.out.println("port " + server.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
