package org.camaudit.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The generated OUI table against the hand-checked extract of protocol-facts.md §4. */
class OuiTableTest {
    static final OuiTable OUI = RulePacks.shipped().oui();

    /** The extract's vendor_group names → canonical names of vendors.yaml. */
    static final Map<String, String> CANONICAL = Map.ofEntries(Map.entry(
            "Aditya Infotech (CP PLUS parent)", "CP PLUS"), Map.entry("CP PLUS", "CP PLUS"),
            Map
                    .entry("EZVIZ (Hikvision subsidiary)", "EZVIZ"),
            Map.entry(
                    "Hikrobot (Hikvision subsidiary)", "Hikrobot"),
            Map.entry(
                    "Hanwha/Samsung Techwin", "Hanwha"),
            Map.entry(
                    "Kedacom (Suzhou Keda)", "Kedacom"),
            Map.entry(
                    "Megvii (Kuangshi)", "Megvii"),
            Map.entry(
                    "Bosch Security", "Bosch"));

    @Test
    void everyExtractRowNamesTheSameVendor() throws Exception {
        List<String> failures = new ArrayList<>();
        int rows = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(getClass()
                .getResourceAsStream("/oui-extract.tsv"), StandardCharsets.UTF_8))) {
            String line = r.readLine();
            while ((line = r.readLine()) != null) {
                String[] c = line.split("\t");
                String expected = CANONICAL.getOrDefault(c[0], c[0]);
                String hex = (c[2] + "000000000000").substring(0, 12);
                Optional<OuiTable.Entry> e = OUI.lookup(hex);
                rows++;
                if (e.isEmpty()) {
                    failures.add(c[2] + " (" + c[3] + "): not in the table");
                } else if (!e.get().prefix().equals(c[2]) || !e.get().registry().equals(c[1])) {
                    failures.add(c[2] + ": found as " + e.get().registry() + " " + e.get()
                            .prefix());
                } else if (!e.get().vendor().equals(Optional.of(expected))) {
                    failures.add(c[2] + " (" + c[3] + "): vendor " + e.get().vendor().orElse(
                            "(none)") + ", expected " + expected);
                }
            }
        }
        assertThat(rows).isGreaterThan(180);
        assertThat(failures).isEmpty();
    }

    @Test
    void longestPrefixFirst() {
        // 34:46:63:2 is an Amcrest MA-M block inside an IEEE-RA MA-L
        assertThat(OUI.lookup("34:46:63:2a:bb:cc").flatMap(OuiTable.Entry::vendor)).contains(
                "Amcrest");
        assertThat(OUI.lookup("34:46:63:2a:bb:cc").get().registry()).isEqualTo("MA-M");
        assertThat(OUI.lookup("B0-B3-53-6F-00-01").flatMap(OuiTable.Entry::vendor)).contains(
                "Hikrobot");
        assertThat(OUI.lookup("70:B3:D5:F2:F0:01").get().registry()).isEqualTo("MA-S");
        assertThat(OUI.lookup("bc:ad:28:11:22:33").flatMap(OuiTable.Entry::vendor)).contains(
                "Hikvision");
    }

    @Test
    void locallyAdministeredMacsNameNoVendor() {
        // BE:AD:28 is BC:AD:28 (Hikvision) with the locally-administered bit set
        assertThat(OUI.lookup("be:ad:28:11:22:33")).isEmpty();
        assertThat(OUI.lookup("02:00:00:00:00:01")).isEmpty();
        assertThat(OUI.lookup("not a mac")).isEmpty();
    }

    @Test
    void coveredVendorsAreAllThere() {
        assertThat(OUI.size()).isGreaterThan(40_000);
        assertThat(OUI.lookup("00:1E:10:00:00:01").flatMap(OuiTable.Entry::vendor)).contains(
                "Huawei");
    }
}
