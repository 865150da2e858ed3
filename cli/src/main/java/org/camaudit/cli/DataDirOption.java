package org.camaudit.cli;

import java.nio.file.Path;
import org.camaudit.store.ObservationLog;
import picocli.CommandLine.Option;

/** {@code --data-dir}: where the observation log lives. */
final class DataDirOption {
    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where camaudit keeps its observation log (default: $CAMAUDIT_DATA, else"
            + " ~/.local/share/camaudit).")
    Path dataDir;

    Path resolve() {
        if (dataDir != null) {
            return dataDir;
        }
        String env = System.getenv("CAMAUDIT_DATA");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".local", "share", "camaudit");
    }

    ObservationLog open() {
        return ObservationLog.openSqlite(resolve());
    }
}
