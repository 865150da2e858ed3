package org.camaudit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.camaudit.model.Evidence;
import org.camaudit.model.Identification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** V2: identifications are stored per scan and replaced on re-identification. */
class IdentificationStoreTest {
    @TempDir
    Path dir;

    static Identification annke() {
        return new Identification("192.0.2.6", Optional.of("BC-AD-28-11-22-33"), Optional.of(
                "Annke"), Optional.of("Hikvision"), Optional.of("DS-7608NI-K2"),
                Optional.of(
                        "V4.30.005 build 200916"),
                Optional.of("nvr"), 0.97, true, List.of(
                        new Evidence("sadp-answered", "sadp.OEMInfo", "ANNKE",
                                "platform=Hikvision", 0.95)),
                List.of("a conflict"));
    }

    @Test
    void storesReadsAndReplaces() {
        try (ObservationLog log = ObservationLog.openSqlite(dir)) {
            long scan = log.startScan("active", "me", "{}", Instant.now());
            assertThat(log.identifications(scan)).isEmpty();
            assertThat(log.identificationRulesVersion(scan)).isEmpty();
            Identification unknown = Identification.unknown("192.0.2.7", Optional.empty());
            log.replaceIdentifications(scan, List.of(annke(), unknown), "v1");
            assertThat(log.identifications(scan)).containsExactly(annke(), unknown);
            assertThat(log.identificationRulesVersion(scan)).contains("v1");
            log.replaceIdentifications(scan, List.of(unknown), "v2");
            assertThat(log.identifications(scan)).containsExactly(unknown);
            assertThat(log.identificationRulesVersion(scan)).contains("v2");
        }
    }

    @Test
    void refusesAnUnknownScan() {
        try (ObservationLog log = ObservationLog.openSqlite(dir)) {
            assertThatThrownBy(() -> log.replaceIdentifications(42, List.of(annke()), "v1"))
                    .isInstanceOf(StoreException.class).hasMessageContaining("no such scan");
        }
    }
}
