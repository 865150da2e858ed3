package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.camaudit.model.Identification;
import org.camaudit.store.ObservationLog;
import org.camaudit.testbed.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identification on the testbed, against its manifest: every camera personality's brand and
 * platform maker right, OEM rebrands flagged, and the honeypot, ordinary hosts and misbehaving
 * devices not called anything.
 */
class IdentifyFleetTest {
    @TempDir
    Path data;

    @Test
    void everyPersonalityIsIdentifiedAsItsManifestSays() throws Exception {
        // 80 devices: every personality of the default mix at least once, the rest by weight
        CliRun run = CliRun.of("demo", "--devices", "80", "--range", "127.79.0.0/24", "--seed",
                "5", "--quiet", "--data-dir", data.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        List<Map<String, Object>> manifest = Manifest.read(data.resolve("demo-manifest.jsonl"));
        Map<String, Identification> byAddress = new HashMap<>();
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            for (Identification i : log.identifications(1)) {
                byAddress.put(i.address(), i);
            }
        }
        SoftAssertions soft = new SoftAssertions();
        for (Map<String, Object> device : manifest) {
            String address = (String) device.get("address");
            String personality = (String) device.get("personality");
            String platform = (String) device.get("platform");
            String brand = (String) device.get("brand");
            @SuppressWarnings("unchecked")
            List<String> findings = (List<String>) device.get("findings");
            Identification id = byAddress.get(address);
            String what = address + " " + personality;
            if (platform == null || platform.isEmpty()) {
                // honeypot, ordinary hosts, misbehaving devices: not a camera of anyone. A host
                // whose manifest names its maker (the printers: HP, Brother) may be named by it,
                // and by nothing else; one with no maker is named by nobody.
                if (id != null) {
                    List<String> allowed = brand == null || brand.isEmpty()
                            ? List.of()
                            : List.of(norm(brand));
                    soft.assertThat(id.platform().map(IdentifyFleetTest::norm)).as(what
                            + " platform").satisfiesAnyOf(p -> assertThat(p).isEmpty(),
                                    p -> assertThat(p).get().isIn(allowed));
                    soft.assertThat(id.brand().map(IdentifyFleetTest::norm)).as(what
                            + " brand").satisfiesAnyOf(b -> assertThat(b).isEmpty(),
                                    b -> assertThat(b).get().isIn(allowed));
                    soft.assertThat(id.oemRebrand()).as(what + " OEM rebrand").isFalse();
                }
                continue;
            }
            soft.assertThat(id).as(what + " identified").isNotNull();
            if (id == null) {
                continue;
            }
            soft.assertThat(id.platform().map(IdentifyFleetTest::norm)).as(what + " platform")
                    .contains(norm(platform));
            @SuppressWarnings("unchecked")
            Map<String, String> attributes = (Map<String, String>) device.get("attributes");
            if (!"false".equals(attributes.get("brand_on_wire"))) {
                soft.assertThat(id.brand().map(IdentifyFleetTest::norm)).as(what + " brand")
                        .contains(norm(brand));
            }
            boolean rebrand = "true".equals(attributes.get("oem_rebrand"));
            soft.assertThat(id.oemRebrand()).as(what + " OEM rebrand").isEqualTo(rebrand);
        }
        soft.assertAll();
    }

    private static String norm(String s) {
        return s.toLowerCase(Locale.ROOT).replace(" ", "");
    }
}
