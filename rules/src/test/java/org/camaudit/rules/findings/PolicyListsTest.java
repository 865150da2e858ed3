package org.camaudit.rules.findings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shipped list, the way a quote line or a scanned device meets it: a device of a covered
 * entity (brand text as people write it, resolved like check-bom does) gets the finding with the
 * list's citation, entry and date; a similar-sounding company that is not on the list does not;
 * and on the day before the entry's date nothing is reported.
 */
class PolicyListsTest {
    static final FindingPacks PACKS = FindingPacks.shipped();
    static final BrandResolver BRANDS = new BrandResolver(PACKS.rules());

    /**
     * @param brand the brand as written on a quote
     * @param since the first day the entry applies
     * @param entry what the finding must name as the list's entry
     * @param cites what its citation must contain
     * @param similar a similar-sounding company that is not covered
     */
    record Case(String policy, String findingId, String brand, String type, LocalDate since,
            String entry, List<String> cites, String similar) {
        @Override
        public String toString() {
            return policy + " / " + brand;
        }
    }

    static Stream<Case> lists() {
        return Stream.of(
                new Case("entity-list", "entity-list", "Zhejiang Uniview Technologies Co., Ltd.",
                        "ip-camera", LocalDate.of(2024, 12, 10),
                        "Zhejiang Uniview Technologies Co., Ltd.", List.of("15 CFR Part 744",
                                "2024-12-10"),
                        "UniFi Protect"),
                new Case("dod-1260h", "dod-1260h", "Megvii", "ip-camera", LocalDate.of(2024, 1,
                        31), "Beijing Megvii Technology", List.of("§1260H"), "Megapixel Vision"),
                new Case("dod-1260h", "dod-1260h", "NetPosa Technologies", "nvr", LocalDate.of(
                        2024, 1, 31), "NetPosa", List.of("§1260H"), "Netatmo"),
                new Case("dod-1260h", "dod-1260h", "Cloudwalk", "ip-camera", LocalDate.of(2024, 1,
                        31), "CloudWalk Technology", List.of("§1260H"), "Cloud Walker Systems"),
                new Case("dod-1260h", "dod-1260h", "Dahua Technology", "nvr", LocalDate.of(2022,
                        10, 5), "Zhejiang Dahua Technology", List.of("§1260H"), "Daihatsu"),
                new Case("ndaa2024-805", "ndaa-2024-805", "Megvii", "ip-camera", LocalDate.of(
                        2026, 6, 30), "Beijing Megvii Technology", List.of("§805"),
                        "Megapixel Vision"),
                new Case("ndaa2024-805", "ndaa-2024-805", "HIK VISION", "ip-camera", LocalDate
                        .of(2026, 6, 30), "Hikvision", List.of("§805"), "Hikoki"),
                new Case("texas2026", "texas-prohibited-technology", "TP-LINK", "ip-camera",
                        LocalDate.of(2026, 1, 26), "TP-Link", List.of("Texas", "2026-01-26"),
                        "TP-Vision"),
                new Case("texas2026", "texas-prohibited-technology", "UNV", "nvr", LocalDate.of(
                        2026, 1, 26), "Uniview", List.of("Texas"), "Univision"),
                new Case("texas2026", "texas-prohibited-technology", "Megvii", "ip-camera",
                        LocalDate.of(2026, 1, 26), "Megvii", List.of("Texas"), "Megapixel Vision"),
                new Case("ca2025", "ca-2025-hikvision", "Hikvision Canada Inc.", "ip-camera",
                        LocalDate.of(2025, 6, 27), "Hikvision Canada Inc.", List.of(
                                "Investment Canada Act"),
                        "Hikoki"),
                new Case("fcc-covered", "fcc-covered-list", "DJI", "drone", LocalDate.of(2025, 12,
                        22), "Shenzhen Da-Jiang Innovations", List.of("1709", "2025-12-22"),
                        "DJ Industries"),
                new Case("fcc-covered", "fcc-covered-list", "Hikvision", "ip-camera", LocalDate
                        .of(2021, 3, 12), "Hangzhou Hikvision Digital Technology",
                        List.of(
                                "47 CFR 1.50002"),
                        "Hikoki"),
                new Case("ndaa889", "ndaa-889", "Hytera", "video-device", LocalDate.of(2019, 8,
                        13), "Hytera Communications", List.of("115-232"), "Hyundai"),
                new Case("uk2022", "uk-2022-sensitive-sites", "Uniview", "ip-camera", LocalDate
                        .of(2022, 11, 24), "any maker based in CN",
                        List.of("24 November 2022",
                                "Procurement Act 2023"),
                        "Univision"),
                new Case("au2023", "au-2023-removal", "Dahua Technology Co., Ltd", "nvr",
                        LocalDate.of(2023, 2, 9), "Zhejiang Dahua Technology",
                        List.of("2023-02-09"),
                        "Daihatsu"));
    }

    /** The device a brand text stands for, as check-bom builds it: brand and platform maker. */
    static Optional<Identification> device(String brandText, String type) {
        Optional<String> vendor = BRANDS.vendor(brandText);
        if (vendor.isEmpty()) {
            return Optional.empty();
        }
        String platform = BRANDS.platforms(vendor.get()).get(0);
        return Optional.of(new Identification("127.0.0.5", Optional.empty(), vendor, Optional.of(
                platform), Optional.empty(), Optional.empty(), Optional.of(type), 1,
                !platform
                        .equals(vendor.get()),
                List.of(), List.of()));
    }

    static List<Finding> findings(Case c, String brand, LocalDate day) {
        FindingEngine engine = new FindingEngine(PACKS, List.of(c.policy()), day);
        return device(brand, c.type()).map(engine::policyFindings).orElse(List.of());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lists")
    void coveredEntityGetsTheListWithCitationEntryAndDate(Case c) {
        List<Finding> on = findings(c, c.brand(), c.since());
        assertThat(on).as("%s on %s", c.brand(), c.since()).hasSize(1);
        Finding f = on.get(0);
        assertThat(f.id()).isEqualTo(c.findingId());
        assertThat(f.details()).containsEntry("policy", c.policy()).containsEntry("since", c
                .since().toString());
        assertThat(f.details().get("entry")).contains(c.entry());
        assertThat(f.citation().orElseThrow()).contains(c.cites());
        assertThat(f.evidence()).anySatisfy(e -> assertThat(e).contains("in force since " + c
                .since()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lists")
    void similarSoundingCompanyIsNotCovered(Case c) {
        assertThat(BRANDS.vendor(c.similar())).as(c.similar()).isNotEqualTo(BRANDS.vendor(c
                .brand()));
        assertThat(findings(c, c.similar(), LocalDate.of(2026, 12, 1))).as(c.similar())
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lists")
    void theDayBeforeTheEntryNothingIsReported(Case c) {
        assertThat(findings(c, c.brand(), c.since().minusDays(1))).isEmpty();
    }

    @Test
    void groupsSelectJurisdictions() {
        List<String> federal = new FindingEngine(PACKS, List.of("us-federal"), LocalDate.now())
                .policies().stream().map(Policy::id).toList();
        assertThat(federal).containsExactly("ndaa889", "fcc-covered", "entity-list",
                "dod-1260h", "ndaa2024-805");
        List<String> mix = new FindingEngine(PACKS, List.of("us-federal", "texas", "ndaa889"),
                LocalDate.now()).policies().stream().map(Policy::id).toList();
        assertThat(mix).endsWith("texas2026").doesNotHaveDuplicates().hasSize(6);
        assertThat(FindingEngine.groups(PACKS)).contains("us-federal", "us-dod", "texas", "uk",
                "australia", "canada");
        assertThatThrownBy(() -> new FindingEngine(PACKS, List.of("narnia"), LocalDate.now()))
                .hasMessageContaining("unknown policy 'narnia'").hasMessageContaining("groups:")
                .hasMessageContaining("us-federal");
    }

    @Test
    void subsidiaryFindingSaysHowItHangsUnderTheListedEntity() {
        FindingEngine engine = new FindingEngine(PACKS, List.of("ca2025", "dod-1260h"), LocalDate
                .of(2026, 12, 1));
        List<Finding> fs = engine.policyFindings(device("Hikvision Canada Inc.", "nvr")
                .orElseThrow());
        assertThat(fs).extracting(Finding::id).containsExactly("ca-2025-hikvision",
                "dod-1260h");
        assertThat(fs.get(1).details()).containsEntry("listed_entity", "Hikvision").containsEntry(
                "matched_vendor", "Hikvision Canada").containsEntry("relation",
                        "Hikvision Canada is a subsidiary of Hikvision");
        // an affiliate (Lorex, owned by Dahua 2018-2022 per vendors.yaml) is named as one
        Finding lorex = new FindingEngine(PACKS, List.of("dod-1260h"), LocalDate.of(2026, 12, 1))
                .policyFindings(new Identification("127.0.0.6", Optional.empty(), Optional.of(
                        "Lorex"), Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional
                                .of("nvr"),
                        1, false, List.of(), List.of()))
                .get(0);
        assertThat(lorex.details().get("relation")).isEqualTo("Lorex is an affiliate of Dahua");
    }

    @Test
    void section805TakesTheListsEntriesFromItsOwnDate() {
        Policy p805 = PACKS.policies().get("ndaa2024-805");
        assertThat(p805.covers()).isEqualTo(PACKS.policies().get("dod-1260h").covers());
        assertThat(p805.firstEffective()).isEqualTo(LocalDate.of(2026, 6, 30));
        Finding f = new FindingEngine(PACKS, List.of("ndaa2024-805"), LocalDate.of(2026, 7, 1))
                .policyFindings(device("NetPosa", "nvr").orElseThrow()).get(0);
        assertThat(f.details()).containsEntry("since", "2026-06-30").containsEntry(
                "listed_since", "2024-01-31");
    }

    @Test
    void everyPackHasGroupsSourcesAndDatedEntries() {
        for (Policy p : PACKS.policies().values()) {
            assertThat(p.groups()).as(p.id()).isNotEmpty();
            assertThat(p.source()).as(p.id()).isNotBlank();
            p.effective().forEach(e -> assertThat(e.source()).as(p.id() + " " + e.date())
                    .isNotBlank());
        }
    }
}
