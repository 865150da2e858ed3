package org.camaudit.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camaudit.model.Evidence;
import org.camaudit.model.Finding;
import org.camaudit.model.Finding.Kind;
import org.camaudit.model.Finding.Remediation;
import org.camaudit.model.Finding.Severity;
import org.camaudit.model.Identification;
import org.camaudit.model.Scan;
import org.camaudit.model.ScanSummary;

/** Report inputs built from real model values: a small site with the usual suspects. */
final class Fixtures {
    private Fixtures() {
    }

    static final String HOSTILE_BRAND = "<script>alert(1)</script>";
    static final String HOSTILE_EXCERPT = "<img src=x onerror=alert(2)>";
    static final String HOSTILE_MODEL = "=HYPERLINK(\"http://evil\",\"x\")";
    static final String HOSTILE_FIRMWARE = "+cmd|' /C calc'!A0";

    static Scan scan() {
        return new Scan(7, Instant.parse("2026-03-02T09:00:00Z"), Optional.of(Instant.parse(
                "2026-03-02T09:04:10Z")), "active", "Jane Doe, CISO (ticket SEC-42)",
                "{\"targets\":[\"192.0.2.0/24\"],\"exclude\":[],\"ports\":[80,443,554,8000],"
                        + "\"rate\":500,\"safety_classes\":[\"safe-probe\"]}",
                "complete",
                new ScanSummary(256, 6, 17, 420, 250_000));
    }

    static Identification hikvision() {
        return new Identification("192.0.2.11", Optional.of("c0:56:e3:11:22:33"), Optional.of(
                "Hikvision"), Optional.of("Hikvision"), Optional.of("DS-2CD2143G0-I"),
                Optional.of(
                        "V5.5.0 build 170725"),
                Optional.of("ip-camera"), 0.97, false, List.of(
                        new Evidence("hikvision-sadp", "sadp.DeviceType",
                                "DS-2CD2143G0-I", "platform=Hikvision model=DS-2CD2143G0-I",
                                0.95),
                        new Evidence("oui-hikvision", "mac", "c0:56:e3",
                                "platform=Hikvision", 0.6)),
                List.of());
    }

    static Identification annke() {
        return new Identification("192.0.2.12", Optional.of("bc:ba:c2:00:00:12"), Optional.of(
                "Annke"), Optional.of("Hikvision"), Optional.of("C500"), Optional.empty(),
                Optional
                        .of("ip-camera"),
                0.85, true, List.of(new Evidence("annke-http-title",
                        "http.title", "ANNKE", "brand=Annke", 0.8)),
                List.of());
    }

    static Identification xiongmai() {
        return new Identification("192.0.2.13", Optional.empty(), Optional.empty(), Optional.of(
                "Xiongmai"), Optional.empty(), Optional.of("V4.02.R11"), Optional.of("dvr"), 0.7,
                false, List.of(new Evidence("xiongmai-dvrip", "dvrip.SoftWareVersion",
                        "V4.02.R11", "platform=Xiongmai", 0.7)),
                List.of());
    }

    static Identification axis() {
        return new Identification("192.0.2.14", Optional.of("00:40:8c:aa:bb:cc"),
                Optional.of("Axis"),
                Optional.of("Axis"), Optional.of("P3245-LV"), Optional.of("10.12.114"), Optional.of(
                        "ip-camera"),
                0.9, false, List.of(), List.of());
    }

    static Identification unknown() {
        return Identification.unknown("192.0.2.20", Optional.empty());
    }

    static Identification hostile() {
        return new Identification("192.0.2.66", Optional.empty(), Optional.of(HOSTILE_BRAND),
                Optional.of("Dahua"), Optional.of(HOSTILE_MODEL), Optional.of(HOSTILE_FIRMWARE),
                Optional.of("ip-camera"), 0.5, true, List.of(new Evidence("dahua-http-server",
                        "http.server", HOSTILE_EXCERPT, "platform=Dahua", 0.5)),
                List.of(
                        "\"quoted\", with, commas\nand a newline </details><script>x()</script>"));
    }

    static Finding ndaa(Identification i) {
        return new Finding("ndaa-889", Kind.POLICY, Severity.CRITICAL, i.deviceKey(), i.address(),
                "Banned for US federal use: " + i.platform().orElseThrow()
                        + " is named in NDAA FY2019 \u00a7889",
                List.of("rule:platform=" + i.platform().orElseThrow()), Optional.of(
                        "Pub. L. 115-232, \u00a7889(f)(3)(A)"),
                Remediation.REPLACE, Map.of(
                        "effective", "2019-08-13"));
    }

    static Finding cve36260(Identification i) {
        return new Finding("CVE-2021-36260", Kind.VULNERABILITY, Severity.CRITICAL, i.deviceKey(), i
                .address(), "Hikvision web server command injection (exploited in the wild)",
                List
                        .of("firmware=" + i.firmware().orElse("?"), "affected: before 210625"),
                Optional.of("CISA KEV, added 2022-01-10"), Remediation.PATCH, Map.of("kev_due_date",
                        "2022-01-24"));
    }

    static Finding hikConnect(Identification i) {
        return new Finding("vendor-cloud-hik-connect", Kind.BEHAVIOUR, Severity.HIGH, i.deviceKey(),
                i.address(), "Hik-Connect cloud link enabled", List.of(
                        "sadp.HCPlatformEnable=true"),
                Optional.empty(), Remediation.ISOLATE, Map
                        .of());
    }

    static Finding debugPort(Identification i) {
        return new Finding("xiongmai-debug-port-9530", Kind.EXPOSURE, Severity.CRITICAL, i
                .deviceKey(), i.address(), "Xiongmai debug port 9530 reachable",
                List.of(
                        "tcp/9530 open"),
                Optional.of("CVE-2017-16725 advisory ICSA-17-124-01"),
                Remediation.DISABLE_SERVICE, Map.of("port", "9530"));
    }

    static Finding hostileFinding(Identification i) {
        return new Finding("telnet-open", Kind.EXPOSURE, Severity.MEDIUM, i.deviceKey(),
                i.address(),
                "-1+1 telnet says " + HOSTILE_BRAND, List.of("telnet.banner=" + HOSTILE_EXCERPT),
                Optional.of("@SUM(A1)"), Remediation.DISABLE_SERVICE, Map.of());
    }

    static ReportData data() {
        Identification hik = hikvision();
        Identification ann = annke();
        Identification xm = xiongmai();
        Identification bad = hostile();
        List<Identification> ids = List.of(hik, ann, xm, axis(), unknown(), bad);
        List<Finding> findings = List.of(ndaa(hik), cve36260(hik), hikConnect(hik), ndaa(ann),
                debugPort(xm), hostileFinding(bad), ndaa(bad));
        return new ReportData(scan(), ids, findings, Map.of("192.0.2.11", new DeviceServices(List
                .of(80, 443, 554, 8000), List.of("http", "rtsp", "sadp")), "192.0.2.13",
                new DeviceServices(List.of(34567, 9530, 23), List.of("dvrip", "telnet"))),
                Instant
                        .parse("2026-03-02T10:00:00Z"),
                "0.1.0-test");
    }

    /** The small site plus {@code extra} plain Hikvision cameras: enough rows to fill pages. */
    static ReportData large(int extra) {
        ReportData small = data();
        List<Identification> ids = new ArrayList<>(small.identifications());
        List<Finding> findings = new ArrayList<>(small.findings());
        for (int n = 0; n < extra; n++) {
            Identification i = new Identification("198.51.100." + n, Optional.empty(), Optional.of(
                    "Hikvision"), Optional.of("Hikvision"), Optional.of("DS-7608NI-K2"),
                    Optional
                            .of("V4.22.005"),
                    Optional.of("nvr"), 0.9, false, List.of(), List
                            .of());
            ids.add(i);
            findings.add(ndaa(i));
        }
        return new ReportData(small.scan(), ids, findings, small.services(), small.generated(),
                small.toolVersion());
    }

    static String render(ReportData data, Format format) throws java.io.IOException {
        return new String(bytes(data, format), java.nio.charset.StandardCharsets.UTF_8);
    }

    static byte[] bytes(ReportData data, Format format) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Reports.write(data, format, out);
        return out.toByteArray();
    }
}
