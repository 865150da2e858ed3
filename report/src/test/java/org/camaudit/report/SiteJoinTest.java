package org.camaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.model.Scan;
import org.camaudit.model.ScanSummary;
import org.junit.jupiter.api.Test;

/** An active scan and a passive analysis of the same site, reported as one. */
class SiteJoinTest {
    private static final String CAM = "192.0.2.11";
    private static final String MAC = "c0:56:e3:11:22:33";
    private static final String OTHER = "192.0.2.40";

    private static Finding finding(String id, Finding.Kind kind, Finding.Severity severity,
            String key, String address, String evidence) {
        return new Finding(id, kind, severity, key, address, id, List.of(evidence), Optional
                .empty(), Finding.Remediation.MONITOR, Map.of());
    }

    @Test
    void devicesJoinByMacElseAddressAndFindingsCorroborate() throws Exception {
        ReportData active = Fixtures.data();
        Identification camera = active.identifications().stream().filter(i -> i.address().equals(
                CAM)).findFirst().orElseThrow();
        assertThat(camera.mac()).contains(MAC);
        // the active scan saw the SADP cloud switch on: an exposure
        Finding switchedOn = finding("vendor-cloud-hik-connect", Finding.Kind.EXPOSURE,
                Finding.Severity.MEDIUM, MAC, CAM, "sadp.HCPlatformEnable=true");
        List<Finding> activeFindings = new java.util.ArrayList<>(active.findings());
        activeFindings.replaceAll(f -> f.id().equals(switchedOn.id()) ? switchedOn : f);
        active = new ReportData(active.scan(), active.identifications(), activeFindings, active
                .services(), active.generated(), active.toolVersion());

        Scan passiveScan = new Scan(8, Instant.parse("2026-03-03T09:00:00Z"), Optional.of(Instant
                .parse("2026-03-03T10:00:00Z")), "passive", "mirror port", "{\"passive\":[]}",
                "partial", new ScanSummary(0, 0, 0, 99, 1000));
        // the capture saw the camera's address without its MAC (a routed segment), and a device
        // the active scan never reached
        ReportData passive = new ReportData(passiveScan, List.of(Identification.unknown(CAM,
                Optional.empty()), Identification.unknown(OTHER, Optional.empty())), List.of(
                        finding("vendor-cloud-hik-connect", Finding.Kind.BEHAVIOUR,
                                Finding.Severity.HIGH, CAM, CAM,
                                "name litedev.hik-connect.com"),
                        finding("relay-forwarding", Finding.Kind.BEHAVIOUR,
                                Finding.Severity.CRITICAL, OTHER, OTHER, "forwarded 64 KiB")),
                Map.of(CAM, new DeviceServices(List.of(8443), List.of("tls"))), active
                        .generated(),
                active.toolVersion());

        ReportData site = SiteJoin.join(List.of(active, passive));

        assertThat(site.identifications()).hasSize(active.identifications().size() + 1);
        Identification joined = site.identifications().stream().filter(i -> i.address().equals(
                CAM)).findFirst().orElseThrow();
        assertThat(joined).as("the named identification wins over the unknown one").isEqualTo(
                camera);
        Finding cloud = site.findings().stream().filter(f -> f.id().equals(
                "vendor-cloud-hik-connect")).reduce((a, b) -> {
                    throw new AssertionError("two cloud findings: " + a + " " + b);
                }).orElseThrow();
        assertThat(cloud.kind()).as("observed traffic stays the finding").isEqualTo(
                Finding.Kind.BEHAVIOUR);
        assertThat(cloud.deviceKey()).as("keyed by the MAC the active scan learnt").isEqualTo(MAC);
        assertThat(cloud.severity()).as("the higher of the two").isEqualTo(Finding.Severity.HIGH
                .compareTo(switchedOn.severity()) <= 0
                        ? Finding.Severity.HIGH
                        : switchedOn
                                .severity());
        assertThat(cloud.evidence()).startsWith("name litedev.hik-connect.com")
                .containsAll(switchedOn.evidence());
        assertThat(site.findings()).filteredOn(f -> f.address().equals(OTHER)).extracting(
                Finding::id).containsExactly("relay-forwarding");
        // the cloud finding corroborated, the relay added
        assertThat(site.findings()).hasSize(active.findings().size() + 1);
        assertThat(site.services().get(CAM).protocols()).contains("tls");
        assertThat(site.services().get(CAM).tcpPorts()).contains(8443);
        assertThat(site.scan().id()).isEqualTo(active.scan().id());
        assertThat(site.scan().kind()).isEqualTo("site: active #7 + passive #8");
        assertThat(site.scan().status()).isEqualTo("partial");
        assertThat(site.scan().finished()).contains(Instant.parse("2026-03-03T10:00:00Z"));
        java.io.ByteArrayOutputStream html = new java.io.ByteArrayOutputStream();
        Reports.write(site, Format.HTML, html);
        assertThat(html.toString(java.nio.charset.StandardCharsets.UTF_8)).contains(
                "<h1>camaudit report: site, active #7 + passive #8</h1>",
                "joined by MAC, else address", "relay-forwarding");
    }

    @Test
    void oneScanIsItself() {
        ReportData one = Fixtures.data();
        assertThat(SiteJoin.join(List.of(one))).isSameAs(one);
    }
}
