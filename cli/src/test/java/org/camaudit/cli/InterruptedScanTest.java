package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.camaudit.model.Scan;
import org.camaudit.store.ObservationLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scan stopped by a signal keeps what it gathered, says so, and exits 130. */
class InterruptedScanTest {
    @TempDir
    Path data;

    @Test
    void terminatedScanIsStoredAsInterrupted() throws Exception {
        try (ServerSocket early = new ServerSocket()) {
            early.bind(new InetSocketAddress("127.57.0.1", 18083));
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "scan",
                    "127.57.0.0/16", "--ports", "18083", "--rate", "2000", "--no-udp", "--data-dir",
                    data.toString(), "--authorized-by", "interrupt test"));
            Path log = data.resolve("output.txt");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log
                    .toFile()).start();
            // 65,536 connects at 2,000/s take 30 s; stop it once the sweep has reached the first
            // host (its connect arrives in the listener's backlog), however slow the JVM start
            early.setSoTimeout(60_000);
            early.accept().close();
            Thread.sleep(500);
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String output = Files.readString(log);
            assertThat(p.exitValue()).as(output).isEqualTo(130);
            assertThat(output).contains("scan 1 interrupted").contains("127.57.0.1");
            try (ObservationLog store = ObservationLog.openSqlite(data)) {
                Scan scan = store.scan(1).orElseThrow();
                assertThat(scan.status()).isEqualTo("interrupted");
                assertThat(scan.finished()).isPresent();
                assertThat(store.countObservations(1)).isPositive();
                assertThat(scan.summary().addressesProbed()).isBetween(1L, 65_535L);
            }
        }
    }
}
