package org.camaudit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camaudit.model.Finding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** V3: findings are stored per scan and replaced on re-evaluation. */
class FindingStoreTest {
    @TempDir
    Path dir;

    static Finding ndaa() {
        return new Finding("ndaa-889", Finding.Kind.POLICY, Finding.Severity.CRITICAL,
                "bc:ad:28:11:22:33", "192.0.2.6", "NDAA §889", List.of("policy ndaa889",
                        "platform=Hikvision"),
                Optional.of("Pub. L. 115-232 §889"), Finding.Remediation.REPLACE, Map.of(
                        "policy", "ndaa889", "effective", "2019-08-13"));
    }

    static Finding telnet() {
        return new Finding("telnet-open", Finding.Kind.EXPOSURE, Finding.Severity.HIGH,
                "bc:ad:28:11:22:33", "192.0.2.6", "Telnet open", List.of("tcp/23 open"),
                Optional.empty(), Finding.Remediation.DISABLE_SERVICE, Map.of("port", "23"));
    }

    @Test
    void storesReadsAndReplaces() {
        try (ObservationLog log = ObservationLog.openSqlite(dir)) {
            long scan = log.startScan("active", "me", "{}", Instant.now());
            assertThat(log.findings(scan)).isEmpty();
            log.replaceFindings(scan, List.of(ndaa(), telnet(), ndaa()));
            assertThat(log.findings(scan)).containsExactly(ndaa(), telnet());
            log.replaceFindings(scan, List.of(telnet()));
            assertThat(log.findings(scan)).containsExactly(telnet());
            assertThat(log.schemaVersion()).isEqualTo(Migrations.latestVersion());
        }
    }

    @Test
    void refusesAnUnknownScan() {
        try (ObservationLog log = ObservationLog.openSqlite(dir)) {
            assertThatThrownBy(() -> log.replaceFindings(42, List.of(ndaa())))
                    .isInstanceOf(StoreException.class).hasMessageContaining("no such scan");
        }
    }
}
