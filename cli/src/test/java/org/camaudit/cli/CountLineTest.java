package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The summary's count lines at the scale of a /16 of real sites (issue 15). */
class CountLineTest {
    @Test
    void aHundredAndThirtySitesShowTheTenWorstAndHowManyMoreOnEightyColumns() {
        Map<String, Integer> bySite = new LinkedHashMap<>();
        for (int i = 0; i < 130; i++) {
            // site 10.1.<i>.0/24 has (i * 7) % 130 + 1 devices: the worst are not in key order
            bySite.put("10.1." + i + ".0/24", (i * 7) % 130 + 1);
        }
        List<String> lines = CountLine.of("  devices with findings by site:", bySite);
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
        assertThat(lines.get(0)).startsWith("  devices with findings by site: ");
        String all = String.join("\n", lines);
        // 130, 129, ... 121 devices: sites i with (i * 7) % 130 = 129 ... 120
        assertThat(all).contains("and 120 more");
        assertThat(all.split(", |,\n *")).hasSize(11);
        int firstCount = Integer.parseInt(all.substring(all.indexOf("/24 ") + 4).split(",")[0]);
        assertThat(firstCount).isEqualTo(130);
        assertThat(all).doesNotContain(" 120,").doesNotContain(" 1,");
        lines.stream().skip(1).forEach(l -> assertThat(l).startsWith(" ".repeat(32) + " "));
    }

    @Test
    void aFewCountsStayOnOneLineLargestFirstTiesByName() {
        assertThat(CountLine.of("  by kind:", Map.of("policy", 3, "exposure", 7, "behaviour", 3)))
                .containsExactly("  by kind: exposure 7, behaviour 3, policy 3");
        assertThat(CountLine.of("  facts:", Map.of("dns.query", 54_335L))).containsExactly(
                "  facts: dns.query 54,335");
    }
}
