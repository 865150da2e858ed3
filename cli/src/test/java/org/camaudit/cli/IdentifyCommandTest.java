package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.camaudit.model.Identification;
import org.camaudit.model.Observation;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;
import org.camaudit.rules.IdentificationEngine;
import org.camaudit.store.ObservationLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code camaudit identify} on JSONL and Nmap XML files and on a stored scan. */
class IdentifyCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    private Path fixture(String name) throws Exception {
        Path out = data.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/org/camaudit/cli/imports/"
                + name)) {
            Files.copy(in, out);
        }
        return out;
    }

    static List<JsonNode> lines(String text) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    @Test
    void jsonlInputGivesOneLinePerDeviceWithUnknownsKept() throws Exception {
        Path in = data.resolve("obs.jsonl");
        Files.writeString(in, String.join("\n",
                "{\"address\":\"192.0.2.5\",\"mac\":\"BC-AD-28-11-22-33\",\"port\":37020,\"transport\":\"udp\",\"protocol\":\"sadp\",\"fields\":{\"sadp.OEMInfo\":\"ANNKE\",\"sadp.DeviceDescription\":\"DS-7608NI-K2\",\"sadp.SoftwareVersion\":\"V4.30.005 build 200916\"}}",
                "{\"address\":\"192.0.2.5\",\"port\":80,\"protocol\":\"http\",\"fields\":{\"http.server\":\"DNVRS-Webs\",\"http.title\":\"ANNKE\"}}",
                "",
                "{\"address\":\"192.0.2.9\",\"port\":22,\"protocol\":\"ssh\",\"fields\":{\"ssh.banner\":\"SSH-2.0-OpenSSH_9.2\"}}",
                ""));
        CliRun run = CliRun.of("identify", "--input", in.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        List<JsonNode> devices = lines(run.out());
        assertThat(devices).hasSize(2);
        JsonNode annke = devices.get(0);
        assertThat(annke.get("address").asText()).isEqualTo("192.0.2.5");
        assertThat(annke.get("mac").asText()).isEqualTo("bc:ad:28:11:22:33");
        assertThat(annke.get("brand").asText()).isEqualTo("Annke");
        assertThat(annke.get("platform").asText()).isEqualTo("Hikvision");
        assertThat(annke.get("model").asText()).isEqualTo("DS-7608NI-K2");
        assertThat(annke.get("firmware").asText()).isEqualTo("V4.30.005 build 200916");
        assertThat(annke.get("type").asText()).isEqualTo("nvr");
        assertThat(annke.get("oem_rebrand").asBoolean()).isTrue();
        assertThat(annke.get("confidence").asDouble()).isGreaterThan(0.9);
        assertThat(annke.get("evidence").toString()).contains("sadp-answered").contains(
                "brand-annke");
        JsonNode other = devices.get(1);
        assertThat(other.get("brand").isNull()).isTrue();
        assertThat(other.get("platform").isNull()).isTrue();
        assertThat(other.get("oem_rebrand").asBoolean()).isFalse();
    }

    @Test
    void nmapXmlInputWithOut() throws Exception {
        Path out = data.resolve("devices.jsonl");
        CliRun run = CliRun.of("identify", "--input", fixture("nmap-with-mac.xml").toString(),
                "--format", "nmap", "--out", out.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        List<JsonNode> devices = lines(Files.readString(out));
        assertThat(devices).anySatisfy(d -> {
            assertThat(d.get("address").asText()).isEqualTo("127.46.0.2");
            assertThat(d.get("platform").asText()).isEqualTo("Hikvision");
        });
        assertThat(run.err()).contains("identified");
    }

    @Test
    void formatIsSniffedWhenNotGiven() throws Exception {
        CliRun run = CliRun.of("identify", "--input", fixture("nmap-with-mac.xml").toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"platform\":\"Hikvision\"");
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        assertThat(CliRun.of("identify").exit()).isEqualTo(2);
        assertThat(CliRun.of("identify", "--input", data.resolve("missing.jsonl").toString())
                .exit()).isEqualTo(2);
        Path bad = data.resolve("bad.jsonl");
        Files.writeString(bad, "{\"address\":\"192.0.2.1\"}\n");
        CliRun run = CliRun.of("identify", "--input", bad.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("bad.jsonl:1");
        assertThat(CliRun.of("identify", "--input", bad.toString(), "--format", "csv").exit())
                .isEqualTo(2);
        assertThat(CliRun.of("identify", "--scan", "9", "--data-dir", data.toString()).exit())
                .isEqualTo(2);
    }

    @Test
    void storedScanIsReidentifiedAndStored() throws Exception {
        CliRun imported = CliRun.of("import", fixture("nmap-with-mac.xml").toString(),
                "--data-dir", data.toString());
        assertThat(imported.exit()).as(imported.err()).isZero();
        CliRun run = CliRun.of("identify", "--scan", "1", "--data-dir", data.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("ADDRESS").contains("PLATFORM").contains("127.46.0.2")
                .contains("Hikvision");
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            assertThat(log.identifications(1)).anySatisfy(i -> assertThat(i.platform()).contains(
                    "Hikvision"));
            assertThat(log.identificationRulesVersion(1)).isPresent();
        }
    }

    /** A device named only by its MAC registrant: brand with "~", no platform, and the legend. */
    @Test
    void theTableMarksAMakerNamedOnlyByMac() {
        // 00:1b:21 is registered to Intel, a company outside the closed vendor list
        Observation ssh = Observation.builder(Source.ACTIVE, "192.0.2.40").protocol("ssh").port(22)
                .transport(Transport.TCP).mac("00:1b:21:00:00:40").field("ssh.banner",
                        "SSH-2.0-OpenSSH_9.2p1 Debian-2")
                .build();
        Observation hik = Observation.builder(Source.ACTIVE, "192.0.2.41").protocol("http").port(80)
                .transport(Transport.TCP).field("http.server", "App-webs/").build();
        List<Identification> found = IdentificationEngine.shipped().identify(List.of(ssh, hik));
        StringWriter text = new StringWriter();
        IdentifyCommand.printTable(new PrintWriter(text, true), found);
        String[] rows = text.toString().split("\n");
        assertThat(rows[1]).startsWith("192.0.2.40").contains(" Intel~ ").contains(" - ")
                .contains("0.30");
        assertThat(rows[2]).startsWith("192.0.2.41").contains(" Hikvision ").doesNotContain("~");
        assertThat(rows[rows.length - 1]).isEqualTo(
                "~ maker named by MAC only (the registrant of its prefix), low confidence");

        StringWriter none = new StringWriter();
        IdentifyCommand.printTable(new PrintWriter(none, true), found.subList(1, 2));
        assertThat(none.toString()).doesNotContain("maker named by MAC");
    }
}
