package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.camaudit.model.Scan;
import org.camaudit.store.ObservationLog;
import org.camaudit.testbed.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code camaudit demo} end to end on a small fleet: all found, stored, and nothing left running. */
class DemoCommandTest {
    @TempDir
    Path data;

    @Test
    void demoScansTheWholeFleetAndStopsIt() throws Exception {
        CliRun run = CliRun.of("demo", "--devices", "25", "--range", "127.78.0.0/24", "--seed",
                "3", "--quiet", "--data-dir", data.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        List<Map<String, Object>> manifest = Manifest.read(data.resolve("demo-manifest.jsonl"));
        assertThat(manifest).hasSize(25);
        assertThat(run.out()).contains("25 hosts up").contains("fleet stopped");
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            Scan scan = log.scan(1).orElseThrow();
            assertThat(scan.status()).isEqualTo("complete");
            assertThat(scan.summary().hostsUp()).isEqualTo(25);
            assertThat(scan.authorizedBy()).startsWith("camaudit demo");
        }
        for (Map<String, Object> device : manifest) {
            @SuppressWarnings("unchecked")
            List<Integer> ports = (List<Integer>) device.get("tcp_ports");
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress((String) device.get("address"), ports.get(0)), 500);
                throw new AssertionError(
                        "the fleet is still listening on " + device.get("address"));
            } catch (java.io.IOException expected) {
                // refused: the demo stopped its fleet
            }
        }
    }

    @Test
    void testbedRefusesAddressesOutsideLoopback() {
        CliRun run = CliRun.of("testbed", "--range", "10.0.0.0/24", "--duration", "1"); // refused: nothing sent
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("127.0.0.0/8");
    }
}
