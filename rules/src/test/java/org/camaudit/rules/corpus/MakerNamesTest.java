package org.camaudit.rules.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.camaudit.model.Identification;
import org.camaudit.rules.IdentificationEngine;
import org.camaudit.rules.findings.FindingEngine;
import org.junit.jupiter.api.Test;

class MakerNamesTest {
    static final MakerNames NAMES = new MakerNames(IdentificationEngine.shipped().packs(),
            FindingEngine.shipped());

    static CorpusRecord label(String maker, String platform) {
        return new CorpusRecord("t", maker, Optional.ofNullable(platform), "camera", Map.of(
                "http.server", "x"), OptionalInt.empty(), Optional.empty(), "s", "l",
                CorpusRecord.LabelFrom.OUTSIDE, "", "test", "test:1");
    }

    static Identification named(String brand, String platform) {
        return new Identification("127.0.0.1", Optional.empty(), Optional.ofNullable(brand),
                Optional.ofNullable(platform), Optional.empty(), Optional.empty(), Optional
                        .empty(),
                0.9, false, List.of(), List.of());
    }

    @Test
    void legalNamesAndSpellingsMeanTheVendor() {
        assertThat(NAMES.canonical("Zhejiang Dahua Technology Co., Ltd.")).isEqualTo("Dahua");
        assertThat(NAMES.canonical("hikvision")).isEqualTo("Hikvision");
        assertThat(NAMES.canonical("D-Link Corporation")).isEqualTo(NAMES.canonical("D-Link"));
        assertThat(NAMES.canonical("Some Unlisted Maker Ltd")).startsWith("key:");
    }

    @Test
    void anOwnershipGroupMatchesButAnOemLinkDoesNot() {
        assertThat(NAMES.correct(label("EZVIZ", null), named("Hikvision", "Hikvision"))).isTrue();
        assertThat(NAMES.correct(label("Hikvision", null), named("EZVIZ", null))).isTrue();
        assertThat(NAMES.correct(label("Annke", null), named("Hikvision", "Hikvision")))
                .isFalse();
        assertThat(NAMES.correct(label("Annke", "Hikvision"), named("Hikvision", null)))
                .isTrue();
        assertThat(NAMES.correct(label("Axis", null), named("Hikvision", null))).isFalse();
    }

    @Test
    void corpusAliasesAndTrailingWordsJoinNamesOutsideTheVendorList() {
        MakerNames withAliases = new MakerNames(IdentificationEngine.shipped().packs(),
                FindingEngine.shipped(), Map.of("Routerboard.com", "MikroTik"));
        assertThat(withAliases.correct(label("MikroTik", null), named("Routerboard.com", null)))
                .isTrue();
        assertThat(NAMES.correct(label("MikroTik", null), named("Routerboard.com", null)))
                .isFalse();
        assertThat(NAMES.correct(label("SiliconDust", null), named("Silicondust Engineering",
                null))).isTrue();
        assertThat(MakerNames.samePrefix("key:hp", "key:hpinc")).isFalse();
        assertThat(MakerNames.samePrefix("key:dahua", "key:dahuatech")).isTrue();
        assertThat(MakerNames.samePrefix("Dahua", "key:dahuatech")).isFalse();
    }

    @Test
    void theCoveredFamiliesIncludeStrongAndMediumOemBrands() {
        assertThat(NAMES.coveredFamily(label("Dahua", null))).isTrue();
        assertThat(NAMES.coveredFamily(label("EZVIZ", null))).isTrue();
        assertThat(NAMES.coveredFamily(label("Annke", null))).isTrue();
        assertThat(NAMES.coveredFamily(label("Axis", null))).isFalse();
    }

    @Test
    void aNonCoveredLabelIsOneNoPolicyConcerns() {
        assertThat(NAMES.nonCoveredLabel(label("Hikvision", null))).isFalse();
        assertThat(NAMES.nonCoveredLabel(label("Annke", null))).isFalse();
        assertThat(NAMES.nonCoveredLabel(label("Axis", null))).isTrue();
        assertThat(NAMES.nonCoveredLabel(label("Some Unlisted Maker Ltd", null))).isTrue();
    }
}
