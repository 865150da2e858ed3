package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 2026 lists from the command line (issue 11): a quote with Uniview, Megvii and TP-Link lines
 * reports the new lists with their citations; jurisdiction groups and --as-of choose what
 * applies; findings --explain prints the chain from device to citation.
 */
class PolicyListsCliTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    Path quote() throws Exception {
        Path bom = data.resolve("quote.csv");
        Files.writeString(bom, "Brand,Model,Qty,Supplier\n"
                + "Uniview,IPC2124LB-SF28KM-G,10,ACME\n"
                + "Megvii,MegEye-C3S,2,ACME\n"
                + "TP-LINK,Tapo C200,4,Online\n"
                + "TP-Vision,55PUS8808,1,Online\n");
        return bom;
    }

    static List<JsonNode> lines(CliRun run) {
        return run.out().lines().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).toList();
    }

    static JsonNode ban(JsonNode line, String policy) {
        for (JsonNode b : line.get("bans")) {
            if (b.get("policy").asText().equals(policy)) {
                return b;
            }
        }
        throw new AssertionError(line + " has no ban by " + policy);
    }

    @Test
    void quoteWithUniviewMegviiAndTpLinkReportsTheNewListsWithCitations() throws Exception {
        CliRun table = CliRun.of("check-bom", quote().toString(), "--as-of", "2026-12-01",
                "--data-dir", data.toString());
        assertThat(table.exit()).as(table.err()).isEqualTo(ExitCode.BANNED_IN_BOM);
        assertThat(table.out()).contains("entity-list", "texas2026", "dod-1260h", "ndaa2024-805",
                "15 CFR Part 744", "BIS final rule of 2024-12-10", "NDAA FY2021 §1260H",
                "NDAA FY2024 §805", "Texas Governor", "entry \"Zhejiang Uniview Technologies Co.,"
                        + " Ltd.\" since 2024-12-10",
                "entry \"Beijing Megvii Technology\" since 2026-06-30",
                "entry \"TP-Link\" since 2026-01-26", "4 lines, 3 banned", "as on 2026-12-01");

        List<JsonNode> json = lines(CliRun.of("check-bom", quote().toString(), "--as-of",
                "2026-12-01", "--format", "json", "--data-dir", data.toString()));
        assertThat(json).hasSize(4);
        JsonNode uniview = json.get(0);
        assertThat(ban(uniview, "entity-list").get("since").asText()).isEqualTo("2024-12-10");
        assertThat(ban(uniview, "texas2026").get("citation").asText()).contains("2026-01-26");
        JsonNode megvii = json.get(1);
        assertThat(ban(megvii, "dod-1260h").get("since").asText()).isEqualTo("2024-01-31");
        assertThat(ban(megvii, "ndaa2024-805").get("citation").asText()).contains("§805");
        assertThat(ban(megvii, "entity-list").get("citation").asText()).contains(
                "FR doc 2019-22210");
        JsonNode tplink = json.get(2);
        assertThat(tplink.get("policies").toString()).contains("texas2026", "uk2022")
                .doesNotContain("entity-list", "dod-1260h");
        // a similar-sounding company on the same quote is not taken for TP-Link
        assertThat(json.get(3).get("vendor").isNull()).isTrue();
        assertThat(json.get(3).get("policies")).isEmpty();
    }

    @Test
    void groupsAndTheDayChooseWhatApplies() throws Exception {
        List<JsonNode> federal = lines(CliRun.of("check-bom", quote().toString(), "--policy",
                "us-federal", "--as-of", "2026-12-01", "--format", "json", "--data-dir", data
                        .toString()));
        assertThat(federal.get(2).get("policies")).as("TP-Link is on no federal list here")
                .isEmpty();
        assertThat(federal.get(1).get("policies").toString()).contains("ndaa2024-805");
        List<JsonNode> both = lines(CliRun.of("check-bom", quote().toString(), "--policy",
                "us-federal,texas", "--as-of", "2026-12-01", "--format", "json", "--data-dir",
                data.toString()));
        assertThat(both.get(2).get("policies").toString()).isEqualTo("[\"texas2026\"]");
        // before the Texas update and before §805 is in force
        List<JsonNode> before = lines(CliRun.of("check-bom", quote().toString(), "--policy",
                "us-federal,texas", "--as-of", "2026-01-25", "--format", "json", "--data-dir",
                data.toString()));
        assertThat(before.get(2).get("policies")).isEmpty();
        assertThat(before.get(1).get("policies").toString()).contains("dod-1260h", "entity-list")
                .doesNotContain("ndaa2024-805", "texas2026");
        // and before Uniview was put on the Entity List, Uniview is on none of these
        List<JsonNode> earlier = lines(CliRun.of("check-bom", quote().toString(), "--policy",
                "us-federal,texas", "--as-of", "2024-12-09", "--format", "json", "--data-dir",
                data.toString()));
        assertThat(earlier.get(0).get("policies")).isEmpty();
        CliRun unknown = CliRun.of("check-bom", quote().toString(), "--policy", "us-fedral",
                "--data-dir", data.toString());
        assertThat(unknown.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(unknown.err()).contains("unknown policy 'us-fedral'", "us-federal", "texas");
    }

    @Test
    void explainPrintsTheChainFromDeviceToCitation() throws Exception {
        CliRun demo = CliRun.of("demo", "--devices", "12", "--range", "127.88.0.0/26", "--seed",
                "5", "--quiet", "--data-dir", data.toString());
        assertThat(demo.exit()).as(demo.err()).isZero();
        CliRun explain = CliRun.of("findings", "--scan", "1", "--explain", "ndaa-2024-805",
                "--data-dir", data.toString());
        assertThat(explain.exit()).as(explain.err()).isZero();
        assertThat(explain.out()).contains("ndaa-2024-805 on 127.88.0.", "device:", "evidence:",
                "rule ", "platform maker: ", "covered as:", "on the list:    NDAA FY2024 §805",
                "entry:", "in force since 2026-06-30", "citation:       NDAA FY2024 §805");
        String first = explain.out().lines().filter(l -> l.startsWith("ndaa-2024-805 on "))
                .findFirst().orElseThrow();
        String address = first.substring("ndaa-2024-805 on ".length(), first.indexOf(' ',
                "ndaa-2024-805 on ".length()));
        CliRun one = CliRun.of("findings", "--scan", "1", "--explain", "ndaa-2024-805@"
                + address, "--data-dir", data.toString());
        assertThat(one.out().lines().filter(l -> l.startsWith("ndaa-2024-805 on "))).hasSize(1);
        CliRun none = CliRun.of("findings", "--scan", "1", "--explain", "texas-nothing",
                "--data-dir", data.toString());
        assertThat(none.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(none.err()).contains("has no finding texas-nothing", "ndaa-2024-805");
        // the same scan judged as on a day before §805 was in force has none of its findings
        CliRun before = CliRun.of("findings", "--scan", "1", "--as-of", "2026-06-29", "--json",
                "--data-dir", data.toString());
        assertThat(before.exit()).as(before.err()).isZero();
        assertThat(before.out()).contains("\"dod-1260h\"").doesNotContain("ndaa-2024-805");
    }
}
