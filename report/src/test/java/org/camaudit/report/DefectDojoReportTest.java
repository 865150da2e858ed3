package org.camaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.camaudit.model.Finding;
import org.junit.jupiter.api.Test;

/**
 * The DefectDojo export against the Generic Findings Import parser's rules (its JSON parser
 * requires title, severity and description on every finding and refuses any key outside its
 * list): one finding per camaudit finding, each with a stable unique id.
 */
class DefectDojoReportTest {
    /** The finding keys DefectDojo's generic JSON parser accepts (endpoints and tags are taken apart). */
    private static final Set<String> ALLOWED = Set.of("title", "severity", "description", "date",
            "cwe", "cve", "epss_score", "epss_percentile", "cvssv3", "cvssv3_score", "cvssv4",
            "cvssv4_score", "mitigation", "impact", "steps_to_reproduce",
            "severity_justification", "references", "active", "verified", "false_p",
            "out_of_scope", "risk_accepted", "under_review", "is_mitigated", "thread_id",
            "mitigated", "numerical_severity", "param", "payload", "line", "file_path",
            "component_name", "component_version", "static_finding", "dynamic_finding",
            "scanner_confidence", "unique_id_from_tool", "vuln_id_from_tool", "sast_source_object",
            "sast_sink_object", "sast_source_line", "sast_source_file_path", "nb_occurences",
            "publish_date", "service", "planned_remediation_date", "planned_remediation_version",
            "effort_for_fixing", "tags", "kev_date", "known_exploited", "ransomware_used",
            "fix_available", "fix_version", "endpoints", "files", "vulnerability_ids", "cwes");

    @Test
    void oneAcceptedFindingPerCamauditFinding() throws Exception {
        ReportData data = Fixtures.data();
        JsonNode doc = new ObjectMapper().readTree(Fixtures.bytes(data, Format.DEFECTDOJO));
        assertThat(doc.path("type").asText()).isEqualTo("camaudit");
        JsonNode findings = doc.get("findings");
        assertThat(findings).hasSize(data.findings().size());
        Set<String> unique = new HashSet<>();
        List<String> ids = new ArrayList<>();
        for (JsonNode f : findings) {
            assertThat(f.path("title").asText()).isNotBlank();
            assertThat(f.path("description").asText()).isNotBlank();
            assertThat(f.path("severity").asText()).isIn("Critical", "High", "Medium", "Low",
                    "Info");
            List<String> keys = new ArrayList<>();
            f.fieldNames().forEachRemaining(keys::add);
            assertThat(ALLOWED).as("keys the importer accepts").containsAll(keys);
            assertThat(f.path("endpoints").get(0).path("host").asText()).isNotBlank();
            unique.add(f.path("unique_id_from_tool").asText());
            ids.add(f.path("vuln_id_from_tool").asText());
        }
        assertThat(unique).hasSize(findings.size());
        assertThat(ids).containsExactlyInAnyOrderElementsOf(data.findings().stream().map(
                Finding::id).toList());
        // the same finding gets the same id in the next report, so a re-import updates it
        JsonNode again = new ObjectMapper().readTree(Fixtures.bytes(data, Format.DEFECTDOJO));
        assertThat(again.at("/findings/0/unique_id_from_tool")).isEqualTo(findings.get(0).get(
                "unique_id_from_tool"));
        for (JsonNode f : findings) {
            if (f.path("vuln_id_from_tool").asText().startsWith("CVE-")) {
                assertThat(f.path("cve").asText()).isEqualTo(f.path("vuln_id_from_tool")
                        .asText());
            }
        }
        assertThat(findings.toString()).contains("\"severity\":\"Critical\"", "ndaa-889");
    }
}
