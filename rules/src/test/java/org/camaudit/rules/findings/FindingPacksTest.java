package org.camaudit.rules.findings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camaudit.model.Evidence;
import org.camaudit.model.Fields;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.model.Observation;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;
import org.camaudit.rules.RulePackException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluation packs load and check; the engine's decisions on hand-made devices. */
class FindingPacksTest {
    static final FindingPacks PACKS = FindingPacks.shipped();
    static final FindingEngine ENGINE = new FindingEngine(PACKS, List.of(), LocalDate.of(2026,
            11, 22));

    @TempDir
    Path dir;

    static Identification device(String brand, String platform, String model, String firmware,
            String type) {
        return new Identification("192.0.2.5", Optional.empty(), Optional.ofNullable(brand),
                Optional.ofNullable(platform), Optional.ofNullable(model), Optional.ofNullable(
                        firmware),
                Optional.ofNullable(type), 0.9, brand != null && platform != null && !brand
                        .equals(platform),
                List.of(new Evidence("sadp-answered", "sadp.OEMInfo", "x", "platform=" + platform,
                        0.9)),
                List.of());
    }

    static List<String> ids(List<Finding> fs) {
        return fs.stream().map(Finding::id).toList();
    }

    @Test
    void packsLoadWithSourcesAndCounts() {
        assertThat(PACKS.policies().keySet()).containsExactly("ndaa889", "fcc-covered", "uk2022",
                "au2023", "entity-list", "dod-1260h", "ndaa2024-805", "texas2026", "ca2025");
        assertThat(PACKS.vulnerabilities()).hasSizeGreaterThanOrEqualTo(20);
        assertThat(PACKS.vulnerabilities().get("CVE-2021-36260").kev()).isPresent();
        assertThat(PACKS.vulnerabilities().get("CVE-2017-7921").kev().orElseThrow().dateAdded())
                .isEqualTo(LocalDate.of(2026, 3, 5));
        PACKS.policies().values().forEach(p -> assertThat(p.source()).isNotBlank());
        PACKS.vulnerabilities().values().forEach(v -> assertThat(v.source()).isNotBlank());
        assertThat(PACKS.exposures()).extracting(ExposureRule::id).contains(
                "xiongmai-debug-port-9530", "xiongmai-debug-port-9527", "telnet-open", "dvrip-open",
                "onvif-anonymous-device-info", "vendor-cloud-hik-connect",
                "default-tls-certificate",
                "plain-http-login", "default-credentials");
    }

    @Test
    void cloudLookupByDomain() {
        CloudEndpoints clouds = PACKS.clouds();
        assertThat(clouds.lookup("litedev.hik-connect.com.").map(CloudEndpoints.Cloud::platform))
                .contains("Hikvision");
        assertThat(clouds.lookup("ACCESS-DSS.secu100.net").map(CloudEndpoints.Cloud::id))
                .contains("xmeye");
        assertThat(clouds.lookup("www.easy4ipcloud.com").map(CloudEndpoints.Cloud::findingId))
                .contains("vendor-cloud-easy4ip");
        assertThat(clouds.lookup("notsecu100.net")).isEmpty();
        assertThat(clouds.ofPlatform("Dahua")).isNotEmpty();
    }

    @Test
    void cloudPortsCarryTransportAndSource() {
        CloudEndpoints clouds = PACKS.clouds();
        assertThat(clouds.byPort("udp", 8800).map(CloudEndpoints.Cloud::id)).contains("easy4ip");
        assertThat(clouds.byPort("tcp", 8800)).isEmpty();
        // the facts give no transport for 10001: both match
        assertThat(clouds.byPort("tcp", 10001).map(CloudEndpoints.Cloud::id)).contains(
                "easy4ip");
        assertThat(clouds.byPort("udp", 10001).map(CloudEndpoints.Cloud::id)).contains(
                "easy4ip");
        assertThat(clouds.byPort("tcp", 8000)).isEmpty();
        clouds.all().forEach(c -> c.ports().forEach(p -> assertThat(p.source()).as(c.id())
                .contains("protocol-facts §6")));
        assertThat(clouds.all().stream().filter(c -> c.id().equals("easy4ip")).findFirst()
                .orElseThrow().ports()).extracting(Object::toString).containsExactly("udp/8800",
                        "10001");
    }

    @Test
    void cloudPackRejectsBadPorts() throws Exception {
        var yaml = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        String entry = "clouds: [{id: c, title: t, platform: Dahua, domains: [example.com],"
                + " source: s, ports: [%s]}]";
        assertThat(FindingPacks.clouds(yaml.readTree(entry.formatted(
                "{port: tcp/443, source: s}")), PACKS.rules()).all().get(0).ports().get(0)
                .transport()).contains("tcp");
        for (String bad : List.of("{port: sctp/80, source: s}", "{port: udp/70000, source: s}",
                "{port: udp/x, source: s}", "{port: udp/8800}", "8800")) {
            assertThatThrownBy(() -> FindingPacks.clouds(yaml.readTree(entry.formatted(bad)),
                    PACKS.rules())).as(bad).isInstanceOf(RulePackException.class)
                    .hasMessageContaining("clouds/clouds.yaml c ports");
        }
    }

    @Test
    void policiesApplyByPlatformMakerAndSubsidiary() {
        assertThat(ids(ENGINE.policyFindings(device("Annke", "Hikvision", "DS-2CD2143G2-I", null,
                "ip-camera")))).containsExactly("ndaa-889", "fcc-covered-list",
                        "uk-2022-sensitive-sites", "au-2023-removal", "entity-list", "dod-1260h",
                        "ndaa-2024-805", "ca-2025-hikvision");
        assertThat(ids(ENGINE.policyFindings(device("EZVIZ", null, null, null, "ip-camera"))))
                .contains("ndaa-889", "au-2023-removal");
        assertThat(ids(ENGINE.policyFindings(device("Axis", "Axis", null, null, "ip-camera"))))
                .isEmpty();
        assertThat(ids(ENGINE.policyFindings(device("DJI", "DJI", null, null, "drone"))))
                .contains("fcc-covered-list", "entity-list");
        FindingEngine before = new FindingEngine(PACKS, List.of("fcc-covered"), LocalDate.of(2025,
                6, 1));
        assertThat(before.policyFindings(device("DJI", "DJI", null, null, "drone"))).isEmpty();
        Finding ndaa = ENGINE.policyFindings(device("Lorex", "Dahua", null, null, "ip-camera"))
                .get(0);
        assertThat(ndaa.citation().orElseThrow()).contains("115-232", "52.204-25");
        assertThat(ndaa.severity()).isEqualTo(Finding.Severity.CRITICAL);
        assertThatThrownBy(() -> new FindingEngine(PACKS, List.of("nope"), LocalDate.now()))
                .hasMessageContaining("unknown policy");
    }

    @Test
    void vulnerabilitiesByVersionUnknownNeverExposed() {
        Identification old = device("Hikvision", "Hikvision", "DS-2CD2132F-IS",
                "V5.4.0 build 160530", "ip-camera");
        Map<String, Finding> f = byId(ENGINE.evaluate(old, List.of()));
        assertThat(f.get("CVE-2017-7921").details()).containsEntry("status", "exposed");
        assertThat(f.get("CVE-2021-36260").severity()).isEqualTo(Finding.Severity.CRITICAL);
        Identification patched = device("Hikvision", "Hikvision", "DS-2CD2132F-IS",
                "V5.7.3 build 220112", "ip-camera");
        assertThat(ids(ENGINE.evaluate(patched, List.of()))).doesNotContain("CVE-2017-7921",
                "CVE-2021-36260");
        Identification hidden = device("Hikvision", "Hikvision", null, null, "ip-camera");
        Finding unknown = byId(ENGINE.evaluate(hidden, List.of())).get("CVE-2021-36260");
        assertThat(unknown.details().get("status")).startsWith("unknown — firmware not visible");
        assertThat(unknown.severity()).isEqualTo(Finding.Severity.MEDIUM);
        assertThat(FirmwareRange.compare("v3.0.0.136_20121102", "v3.0.0.2356")).isNegative();
    }

    @Test
    void exposuresFromObservations() {
        Identification xm = device(null, "Xiongmai", null, null, "dvr");
        Observation port = Observation.builder(Source.ACTIVE, "192.0.2.5").port(9530).transport(
                Transport.TCP).protocol("tcp").field(Fields.STATE, "open").build();
        Observation onvif = Observation.builder(Source.ACTIVE, "192.0.2.5").port(8899).transport(
                Transport.TCP).protocol("onvif").field(Fields.ONVIF_MANUFACTURER, "XM").field(
                        Fields.HTTP_STATUS, "200")
                .build();
        Observation fault = Observation.builder(Source.ACTIVE, "192.0.2.5").port(80).transport(
                Transport.TCP).protocol("onvif").field(Fields.ONVIF_FAULT, "NotAuthorized")
                .build();
        assertThat(ids(ENGINE.evaluate(xm, List.of(port, onvif)))).contains(
                "xiongmai-debug-port-9530", "onvif-anonymous-device-info");
        assertThat(ids(ENGINE.evaluate(xm, List.of(fault)))).doesNotContain(
                "onvif-anonymous-device-info");
        assertThat(ENGINE.evaluate(Identification.unknown("192.0.2.9", Optional.empty()), List.of(
                port))).isEmpty();
    }

    @Test
    void operatorPolicyFileIsCheckedAndApplies() throws Exception {
        Path file = dir.resolve("mine.yaml");
        Files.writeString(file, """
                id: no-xiongmai
                finding_id: house-rule-xiongmai
                title: "House rule: no Xiongmai recorders"
                citation: "Security policy SP-12 §4"
                severity: high
                remediation: replace
                effective: [{date: 2026-01-01, what: "adopted", source: "board minutes"}]
                source: "our security office"
                covers: [{vendors: [Xiongmai], types: [dvr, nvr]}]
                """);
        FindingPacks mine = PACKS.withPolicyFile(file);
        FindingEngine e = new FindingEngine(mine, List.of("no-xiongmai"), LocalDate.of(2026, 11,
                22));
        assertThat(ids(e.policyFindings(device(null, "Xiongmai", null, null, "dvr"))))
                .containsExactly("house-rule-xiongmai");
        Files.writeString(file, "id: x\nfinding_id: y\ntitle: t\ncitation: c\nseverity: high\n"
                + "remediation: replace\neffective: [{date: 2026-01-01, what: a, source: b}]\n"
                + "source: s\ncovers: [{vendors: [Nobody]}]\n");
        assertThatThrownBy(() -> PACKS.withPolicyFile(file)).isInstanceOf(
                RulePackException.class).hasMessageContaining("Nobody");
    }

    @Test
    void brandsAsPeopleWriteThem() {
        BrandResolver b = new BrandResolver(PACKS.rules());
        assertThat(b.vendor("HIK VISION")).contains("Hikvision");
        assertThat(b.vendor("hikvision digital")).contains("Hikvision");
        assertThat(b.vendor("Dahua Technology Co., Ltd")).contains("Dahua");
        assertThat(b.vendor("ANNKE")).contains("Annke");
        assertThat(b.platforms("Annke")).containsExactly("Hikvision");
        assertThat(b.vendor("Acme Cameras")).isEmpty();
        assertThat(b.vendor("Hikvision DS-2CD2143G2-I")).contains("Hikvision");
        // a longer word that merely begins like a vendor's name is another company
        assertThat(b.vendor("Cloud Walker Systems")).isEmpty();
        assertThat(b.vendor("Hikvisionary Ltd")).isEmpty();
    }

    static Map<String, Finding> byId(List<Finding> fs) {
        java.util.Map<String, Finding> out = new java.util.LinkedHashMap<>();
        fs.forEach(f -> out.put(f.id(), f));
        return out;
    }
}
