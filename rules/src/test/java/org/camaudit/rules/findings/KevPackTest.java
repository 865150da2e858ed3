package org.camaudit.rules.findings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The generator of {@code vulns/kev-cameras.yaml}: the committed file is exactly what the
 * generator makes from the KEV snapshot in knowledge/data/kev. Regenerate with
 * {@code -Dcamaudit.regenerate=true}.
 */
class KevPackTest {
    static final Path SNAPSHOT = Path.of("..", "knowledge", "data", "kev",
            "known_exploited_vulnerabilities-2025.08.25.json");
    static final Path PACK = Path.of("..", "knowledge", "src", "main", "resources", "org",
            "camaudit", "knowledge", "vulns", "kev-cameras.yaml");

    @Test
    void committedPackIsWhatTheGeneratorMakes() throws Exception {
        KevCatalog catalog;
        try (InputStream in = Files.newInputStream(SNAPSHOT)) {
            catalog = KevCatalog.read(in);
        }
        assertThat(catalog.entries()).hasSize(1404);
        String yaml = catalog.cameraPackYaml();
        if (Boolean.getBoolean("camaudit.regenerate")) {
            Files.writeString(PACK, yaml);
        }
        assertThat(Files.readString(PACK)).as("run with -Dcamaudit.regenerate=true").isEqualTo(
                yaml);
        assertThat(catalog.cameraEntries()).extracting(KevCatalog.Entry::cve).contains(
                "CVE-2021-36260", "CVE-2021-33044", "CVE-2021-33045", "CVE-2020-5735",
                "CVE-2019-20085", "CVE-2021-40407", "CVE-2019-11001", "CVE-2022-23227",
                "CVE-2023-47565", "CVE-2024-8956", "CVE-2025-1316", "CVE-2016-11021")
                .doesNotContain("CVE-2025-48384");
    }

    @Test
    void refusesWhatIsNotACatalog() {
        assertThatThrownBy(() -> KevCatalog.read(stream("[]"))).hasMessageContaining(
                "not a KEV catalog");
        assertThatThrownBy(() -> KevCatalog.read(stream("{\"catalogVersion\":\"x\","
                + "\"dateReleased\":\"x\",\"count\":2,\"vulnerabilities\":[]}")))
                .hasMessageContaining("count");
        assertThatThrownBy(() -> KevCatalog.read(stream("{\"catalogVersion\":\"x\","
                + "\"dateReleased\":\"x\",\"count\":1,\"vulnerabilities\":[{\"cveID\":\"CVE-1\"}]}")))
                .hasMessageContaining("bad cveID");
        assertThatThrownBy(() -> KevCatalog.read(stream("{oops"))).hasMessageContaining(
                "not JSON");
    }

    static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
