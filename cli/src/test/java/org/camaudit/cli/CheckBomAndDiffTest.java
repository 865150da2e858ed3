package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** check-bom (tolerant headers and brand spelling, exit 10 on a banned line) and diff. */
class CheckBomAndDiffTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @Test
    void checkBomNamesPlatformPoliciesAndVulnsAndGates() throws Exception {
        Path bom = data.resolve("quote.csv");
        Files.writeString(bom, "\uFEFFItem;Manufacturer;Model No.;Qty;Distributor\n"
                + "1;HIK VISION;DS-2CD2132F-IS;12;ACME\n"
                + "2;\"Dahua Technology Co., Ltd\";IPC-HFW2431S;4;ACME\n"
                + "3;Annke;C500;2;Online\n"
                + "4;Axis Communications;P3245-LVE;6;ACME\n"
                + "5;hikvision digital;DS-7608NI-K2;1;ACME\n");
        CliRun json = CliRun.of("check-bom", bom.toString(), "--format", "json", "--data-dir", data
                .toString());
        assertThat(json.exit()).as(json.err()).isEqualTo(ExitCode.BANNED_IN_BOM);
        List<JsonNode> lines = json.out().lines().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0).get("line").asInt()).isEqualTo(2);
        assertThat(lines.get(0).get("platform").asText()).isEqualTo("Hikvision");
        assertThat(lines.get(0).get("policies").toString()).contains("ndaa889", "fcc-covered",
                "uk2022", "au2023", "entity-list");
        assertThat(lines.get(0).get("vulns").toString()).contains("CVE-2017-7921",
                "CVE-2021-36260");
        assertThat(lines.get(1).get("platform").asText()).isEqualTo("Dahua");
        assertThat(lines.get(1).get("vulns").toString()).contains("CVE-2021-33044");
        assertThat(lines.get(2).get("platform").asText()).isEqualTo("Hikvision");
        assertThat(lines.get(2).get("policies").toString()).contains("ndaa889");
        assertThat(lines.get(3).get("platform").asText()).isEqualTo("Axis");
        assertThat(lines.get(3).get("policies")).isEmpty();
        assertThat(lines.get(4).get("vulns").toString()).doesNotContain("CVE-2017-7921");

        Path clean = data.resolve("clean.csv");
        Files.writeString(clean,
                "Brand name,Model,Quantity\nAxis,P3245-LVE,3\nBosch,FLEXIDOME,1\n");
        CliRun table = CliRun.of("check-bom", clean.toString(), "--data-dir", data.toString());
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out()).contains("Axis", "2 lines, 0 banned");

        CliRun policyOnly = CliRun.of("check-bom", bom.toString(), "--policy", "au2023",
                "--format", "json", "--data-dir", data.toString());
        assertThat(policyOnly.out()).doesNotContain("ndaa889");
        CliRun bad = CliRun.of("check-bom", bom.toString(), "--policy", "nope", "--data-dir", data
                .toString());
        assertThat(bad.exit()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void diffAndFindingsOfTwoDemoScans() throws Exception {
        for (String seed : List.of("5", "6")) {
            CliRun demo = CliRun.of("demo", "--devices", "12", "--range", "127.86.0.0/26",
                    "--seed", seed, "--quiet", "--data-dir", data.toString());
            assertThat(demo.exit()).as(demo.err()).isZero();
        }
        CliRun findings = CliRun.of("findings", "--scan", "1", "--data-dir", data.toString());
        assertThat(findings.exit()).as(findings.err()).isZero();
        assertThat(findings.out()).contains("SEVERITY", "remediation plan", "ndaa-889");
        CliRun fjson = CliRun.of("findings", "--scan", "1", "--json", "--data-dir",
                data.toString());
        assertThat(JSON.readTree(fjson.out().lines().findFirst().orElseThrow()).has("remediation"))
                .isTrue();
        CliRun diff = CliRun.of("diff", "1", "2", "--data-dir", data.toString());
        assertThat(diff.exit()).as(diff.err()).isZero();
        assertThat(diff.out()).contains("scan 1 → scan 2");
        CliRun json = CliRun.of("diff", "1", "2", "--json", "--data-dir", data.toString());
        JsonNode root = JSON.readTree(json.out());
        assertThat(root.has("devices_added")).isTrue();
        assertThat(root.get("findings_new").size() + root.get("findings_fixed").size()
                + root.get("devices_changed").size()).isPositive();
        CliRun same = CliRun.of("diff", "1", "1", "--json", "--data-dir", data.toString());
        JsonNode s = JSON.readTree(same.out());
        assertThat(s.get("findings_new")).isEmpty();
        assertThat(s.get("devices_changed")).isEmpty();
        assertThat(CliRun.of("diff", "1", "9", "--data-dir", data.toString()).exit()).isEqualTo(
                ExitCode.USAGE);
    }

    @Test
    void updateKevValidatesStoresAndReports() throws Exception {
        Path bad = data.resolve("bad.json");
        Files.writeString(bad, "{\"hello\":1}");
        CliRun refused = CliRun.of("update", "--kev", bad.toString(), "--data-dir", data
                .toString());
        assertThat(refused.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(refused.err()).contains("not a KEV catalog");
        Path newer = data.resolve("kev.json");
        Files.writeString(newer, "{\"catalogVersion\":\"2026.03.06\",\"dateReleased\":"
                + "\"2026-03-06T00:00:00.000Z\",\"count\":2,\"vulnerabilities\":["
                + "{\"cveID\":\"CVE-2017-7921\",\"vendorProject\":\"Hikvision\",\"product\":"
                + "\"Multiple Products\",\"vulnerabilityName\":\"Hikvision Improper Authentication\","
                + "\"dateAdded\":\"2026-03-05\",\"dueDate\":\"2026-03-26\"},"
                + "{\"cveID\":\"CVE-2099-0001\",\"vendorProject\":\"Dahua\",\"product\":\"NVR\","
                + "\"vulnerabilityName\":\"Dahua NVR test entry\",\"dateAdded\":\"2026-03-01\","
                + "\"dueDate\":\"2026-03-22\"}]}");
        CliRun ok = CliRun.of("update", "--kev", newer.toString(), "--data-dir", data.toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("2026.03.06", "new       CVE-2099-0001");
        assertThat(data.resolve(PolicyOptions.KEV_FILE)).exists();
        Path bom = data.resolve("q.csv");
        Files.writeString(bom, "Make,Model\nDahua,NVR4108HS\n");
        CliRun check = CliRun.of("check-bom", bom.toString(), "--format", "json", "--data-dir",
                data.toString());
        assertThat(check.out()).contains("CVE-2099-0001");
    }
}
