package org.camaudit.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The build-time proof of the packs: examples, shadowing, closed lists, sources, coverage. */
class RulePacksTest {
    static final RulePacks PACKS = RulePacks.shipped();
    static final RuleIndex INDEX = new RuleIndex(PACKS.rules());

    static String concreteKey(String field) {
        return Rule.isWildcard(field) ? field.substring(0, field.length() - 1) + "Example" : field;
    }

    static Yield apply(Rule r, String value) {
        return r.match(value, value.toLowerCase(Locale.ROOT));
    }

    @Test
    void everyExampleMatchesItsRuleAndYieldsItsValues() {
        List<String> failures = new ArrayList<>();
        for (Rule r : PACKS.rules()) {
            for (Rule.Example e : r.examples) {
                Yield y = apply(r, e.value());
                if (y == null) {
                    failures.add(r + ": example does not match: " + e.value());
                    continue;
                }
                Map<String, Optional<String>> got = Map.of("brand", y.brand(), "platform", y
                        .platform(), "model", y.model(), "firmware", y.firmware(), "type",
                        y
                                .type());
                e.expect().forEach((k, v) -> {
                    if (!got.get(k).equals(Optional.of(v))) {
                        failures.add(r + ": example " + e.value() + " yields " + k + "=" + got
                                .get(k).orElse("(nothing)") + ", expected " + v);
                    }
                });
                if (r.capturesModel && !e.expect().containsKey("model")) {
                    failures.add(r + ": captures a model but example " + e.value()
                            + " does not say which");
                }
                if (r.capturesFirmware && !e.expect().containsKey("firmware")) {
                    failures.add(r + ": captures firmware but example " + e.value()
                            + " does not say which");
                }
            }
            for (String counter : r.counterExamples) {
                if (apply(r, counter) != null) {
                    failures.add(r + ": counter-example matches: " + counter);
                }
            }
        }
        assertThat(failures).as("rule examples").isEmpty();
    }

    /** recog's check: in a pack file, no earlier (broader) rule may capture a later rule's example. */
    @Test
    void noRuleIsShadowedByAnEarlierOneInItsFile() {
        List<String> failures = new ArrayList<>();
        for (Rule r : PACKS.rules()) {
            for (String field : r.fields) {
                String key = concreteKey(field);
                for (Rule.Example e : r.examples) {
                    for (Rule candidate : INDEX.rulesFor(key)) {
                        if (candidate.fileIndex != r.fileIndex) {
                            continue;
                        }
                        if (apply(candidate, e.value()) != null) {
                            if (candidate != r) {
                                failures.add(r + " example '" + e.value() + "' on " + key
                                        + " is captured first by " + candidate);
                            }
                            break;
                        }
                    }
                }
            }
        }
        assertThat(failures).as("shadowed rules").isEmpty();
    }

    @Test
    void everyNameIsInTheClosedListsAndEveryEntryHasASource() {
        for (Rule r : PACKS.rules()) {
            r.fixed.brand().ifPresent(b -> assertThat(PACKS.vendors()).as(r.id).containsKey(b));
            r.fixed.platform().ifPresent(b -> assertThat(PACKS.vendors()).as(r.id).containsKey(
                    b));
            r.fixed.type().ifPresent(t -> assertThat(PACKS.types()).as(r.id).contains(t));
            assertThat(r.source).as(r.id).isNotBlank();
        }
        PACKS.vendors().values().forEach(v -> assertThat(v.source()).as(v.name()).isNotBlank());
        PACKS.oemLinks().forEach(l -> {
            assertThat(l.source()).isNotBlank();
            assertThat(PACKS.vendors()).containsKeys(l.brand(), l.platform());
        });
    }

    @Test
    void closedListRefusesUnknownNames() {
        assertThat(PACKS.vendor("Hikvison")).isEmpty();
        assertThat(PACKS.group("EZVIZ")).isEqualTo("Hikvision");
        assertThat(PACKS.group("Imou")).isEqualTo("Dahua");
        assertThat(PACKS.group("Lorex")).isEqualTo("Lorex");
    }

    @Test
    void coversTheVendorsIssue4Names() {
        Set<String> required = Set.of("Hikvision", "Dahua", "Xiongmai", "Uniview", "Tiandy",
                "Huawei", "ZTE", "Hytera", "EZVIZ", "Imou", "Axis", "Hanwha", "Bosch", "Reolink",
                "TP-Link", "Amcrest", "Lorex", "Annke", "LTS", "Swann", "Honeywell", "Panasonic",
                "Vivotek", "Milesight", "Avigilon", "HiSilicon SDK");
        assertThat(PACKS.vendors().keySet()).containsAll(required);
        for (String v : required) {
            boolean ruled = PACKS.rules().stream().anyMatch(r -> r.fixed.brand().equals(Optional
                    .of(v)) || r.fixed.platform().equals(Optional.of(v)));
            assertThat(ruled).as("a rule names " + v).isTrue();
        }
        assertThat(PACKS.ruleCount()).isGreaterThan(100);
    }

    @Test
    void anExtraPackIsCheckedAndItsRulesJoinAfterTheShippedOnes() {
        String site = """
                rules:
                  - id: site-qorvex-nvr-title
                    field: http.title
                    match: regex
                    value: '^Qorvex (?<model>QX-[0-9]{3})\\b'
                    type: nvr
                    confidence: 0.6
                    source: a site's own recorder, seen on its network
                    examples:
                      - {value: "Qorvex QX-816 login", model: QX-816}
                    counter_examples: ["Qorvex"]
                """;
        RulePacks more = PACKS.plus("site.yaml", site);
        assertThat(more.ruleCount()).isEqualTo(PACKS.ruleCount() + 1);
        Rule added = more.rules().get(more.ruleCount() - 1);
        assertThat(added.fileIndex).isGreaterThan(PACKS.rules().stream().mapToInt(r -> r.fileIndex)
                .max().orElseThrow());
        var id = new IdentificationEngine(more).identify(Devices.at("192.0.2.40").obs("http", 80,
                "http.title", "Qorvex QX-816 login").list()).get(0);
        assertThat(id.model()).contains("QX-816");
        assertThat(id.type()).contains("nvr");

        assertThatThrownBy(() -> PACKS.plus("site.yaml", site.replace("QX-816 login",
                "QX-8 login"))).isInstanceOf(RulePackException.class).hasMessageContaining(
                        "site-qorvex-nvr-title: example does not match");
        assertThatThrownBy(() -> PACKS.plus("site.yaml", site.replace("site-qorvex-nvr-title",
                PACKS.rules().get(0).id))).isInstanceOf(RulePackException.class)
                .hasMessageContaining("duplicate rule id");
    }
}
