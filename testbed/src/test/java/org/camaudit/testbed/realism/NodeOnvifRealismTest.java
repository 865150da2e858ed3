package org.camaudit.testbed.realism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.camaudit.testbed.DeviceSpec;
import org.camaudit.testbed.Fleet;
import org.camaudit.testbed.Personalities;
import org.junit.jupiter.api.Test;

/**
 * The npm ONVIF client library {@code onvif} (pinned in src/test/node/package.json), run by node,
 * reads device information by unicast from the Xiongmai personality's ONVIF service on 8899, which
 * answers GetDeviceInformation without credentials as these devices do. Skipped when node or the
 * installed package is absent.
 */
class NodeOnvifRealismTest {
    static final Path CLIENT = Path.of("src", "test", "node");

    @Test
    void onvifLibraryReadsDeviceInformation() throws Exception {
        Optional<Path> node = Tools.onPath("node");
        assumeTrue(node.isPresent(), "node is not installed: skipping the ONVIF client realism"
                + " check");
        assumeTrue(Files.isDirectory(CLIENT.resolve("node_modules").resolve("onvif")),
                "the npm package onvif is not installed (cd testbed/src/test/node && npm ci):"
                        + " skipping the ONVIF client realism check");
        Personalities catalog = Personalities.standard();
        DeviceSpec d = catalog.get("xiongmai-dvr").create("127.65.0.10", new SplittableRandom(5));
        try (Fleet fleet = Fleet.start(List.of(d), catalog)) {
            Tools.Run run = Tools.run(List.of(node.get().toString(), "device-info.js", d.address(),
                    "8899"), CLIENT, Duration.ofSeconds(30));
            assertThat(run.timedOut()).as(run.stderr()).isFalse();
            assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
            System.out.println("node device-info.js " + d.address() + " 8899: " + run.stdout()
                    .strip());
            JsonNode json = new ObjectMapper().readTree(run.stdout());
            JsonNode info = json.get("deviceInformation");
            assertThat(info.get("manufacturer").asText()).isEqualTo("XM");
            assertThat(info.get("model").asText()).isEqualTo(d.model());
            assertThat(info.get("firmwareVersion").asText()).isEqualTo(d.firmware());
            assertThat(info.get("serialNumber").asText()).isEqualTo(d.serial());
            assertThat(json.get("systemDateAndTime").asText()).isNotBlank();
        }
    }
}
