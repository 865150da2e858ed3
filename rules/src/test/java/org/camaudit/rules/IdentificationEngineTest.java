package org.camaudit.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.camaudit.model.Evidence;
import org.camaudit.model.Fields;
import org.camaudit.model.Identification;
import org.camaudit.model.Observation;
import org.camaudit.rules.findings.FindingEngine;
import org.camaudit.rules.findings.FindingPacks;
import org.junit.jupiter.api.Test;

class IdentificationEngineTest {
    static final IdentificationEngine ENGINE = IdentificationEngine.shipped();

    static Identification one(List<Observation> obs) {
        List<Identification> all = ENGINE.identify(obs);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    static List<String> rules(Identification id) {
        return id.evidence().stream().map(Evidence::ruleId).toList();
    }

    @Test
    void hikvisionCameraFromSadpAndItsWebServer() {
        Identification id = one(Devices.at("192.0.2.5")
                .obs("sadp", 37020, "bc-ad-28-11-22-33", "sadp.DeviceDescription",
                        "DS-2CD2142FWD-I", "sadp.SoftwareVersion", "V5.5.0build 170725",
                        "sadp.MAC", "bc-ad-28-11-22-33", "sadp.OEMInfo", "hikvision")
                .obs("http", 80, "http.server", "App-webs/", "http.status", "401",
                        "http.realm", "DVRNVRDVS")
                .list());
        assertThat(id.brand()).contains("Hikvision");
        assertThat(id.platform()).contains("Hikvision");
        assertThat(id.model()).contains("DS-2CD2142FWD-I");
        assertThat(id.firmware()).contains("V5.5.0build 170725");
        assertThat(id.type()).contains("ip-camera");
        assertThat(id.oemRebrand()).isFalse();
        assertThat(id.confidence()).isGreaterThan(0.9);
        assertThat(id.mac()).contains("bc:ad:28:11:22:33");
        assertThat(rules(id)).contains("sadp-answered", "hik-server-app-webs", "oui:MA-L");
        assertThat(id.conflicts()).isEmpty();
    }

    @Test
    void annkeLabelOnHikvisionPlatformIsAnOemRebrandWithItsTells() {
        Identification id = one(Devices.at("192.0.2.6")
                .obs("sadp", 37020, "sadp.DeviceDescription", "DS-7608NI-K2", "sadp.OEMInfo",
                        "ANNKE")
                .obs("http", 80, "http.title", "ANNKE NVR", "http.server", "DNVRS-Webs")
                .obs("sdk", 8000, "sdk.banner_hex", "000000100000001e0000001e00000000")
                .list());
        assertThat(id.brand()).contains("Annke");
        assertThat(id.platform()).contains("Hikvision");
        assertThat(id.oemRebrand()).isTrue();
        assertThat(id.type()).contains("nvr");
        assertThat(rules(id)).contains("brand-annke", "sadp-answered", "hik-sdk-8000",
                "hik-server-dnvrs-webs");
    }

    @Test
    void amcrestOnDahuaPlatform() {
        Identification id = one(Devices.at("192.0.2.7")
                .obs("dhdiscover", 37810, "3c:ef:8c:00:00:01", "dhdiscover.Vendor", "Amcrest",
                        "dhdiscover.DeviceType", "IPC-HDW5231R-ZE", "dhdiscover.Version",
                        "2.800.0000000.25.R")
                .obs("rtsp", 554, "rtsp.server", "Dahua Rtsp Server", "rtsp.www_authenticate",
                        "Digest realm=\"Login to 4K05D8APAZ3B2C1\", nonce=\"1\"")
                .list());
        assertThat(id.brand()).contains("Amcrest");
        assertThat(id.platform()).contains("Dahua");
        assertThat(id.oemRebrand()).isTrue();
        assertThat(id.model()).contains("IPC-HDW5231R-ZE");
        assertThat(id.firmware()).contains("2.800.0000000.25.R");
        assertThat(id.type()).contains("ip-camera");
    }

    @Test
    void xiongmaiFromWebAndRtsp() {
        Identification id = one(Devices.at("192.0.2.8")
                .obs("http", 80, "http.server", "uc-httpd 1.0.0", "http.title",
                        "NETSurveillance WEB")
                .obs("rtsp", 554, "rtsp.server", "H264DVR 1.0")
                .obs("dvrip-discovery", 34569, "dvrip.HostName", "LocalHost", "dvrip.SN",
                        "abcdef0123456789")
                .list());
        assertThat(id.platform()).contains("Xiongmai");
        assertThat(id.brand()).contains("Xiongmai");
        assertThat(id.confidence()).isGreaterThan(0.9);
        assertThat(id.conflicts()).isEmpty();
    }

    @Test
    void dahuaWebUiWithoutServerHeader() {
        Identification id = one(Devices.at("192.0.2.9")
                .obs("http", 80, "http.title", "WEB SERVICE", "http.body",
                        "<script src=\"jsBase/lib/jquery.js?version=@WebVersion@\"></script>"
                                + " <div class=\"ui-dialog-content\"></div>")
                .list());
        assertThat(id.platform()).contains("Dahua");
    }

    @Test
    void aNonChineseMacNeverClearsAHikvisionDevice() {
        // Axis OUI, but the device answers SADP and runs App-webs
        Identification id = one(Devices.at("192.0.2.10")
                .obs("sadp", 37020, "ac:cc:8e:00:00:01", "sadp.DeviceDescription",
                        "DS-2CD2722FWD-IZS")
                .obs("http", 80, "http.server", "App-webs/")
                .list());
        assertThat(id.platform()).contains("Hikvision");
        assertThat(id.conflicts()).anyMatch(c -> c.contains("Axis") && c.contains(
                "protocols decide"));
    }

    @Test
    void lorexOuiIsTheLabelAndDahuaProtocolsThePlatform() {
        Identification id = one(Devices.at("192.0.2.11")
                .obs("rtsp", 554, "00:1f:54:01:02:03", "rtsp.server", "Dahua Rtsp Server")
                .list());
        assertThat(id.platform()).contains("Dahua");
        assertThat(id.brand()).contains("Dahua");
        assertThat(rules(id)).contains("oui:MA-L");
    }

    @Test
    void conflictingEvidenceLowersConfidenceAndIsListed() {
        Identification clean = one(Devices.at("192.0.2.12")
                .obs("http", 80, "http.server", "App-webs/").list());
        Identification mixed = one(Devices.at("192.0.2.12")
                .obs("http", 80, "http.server", "App-webs/")
                .obs("rtsp", 554, "rtsp.server", "Dahua Rtsp Server").list());
        assertThat(mixed.conflicts()).anyMatch(c -> c.contains("disagrees"));
        assertThat(mixed.confidence()).isLessThan(clean.confidence());
    }

    @Test
    void ordinaryHostsAreNotCameras() {
        Identification id = one(Devices.at("192.0.2.13")
                .obs("http", 80, "00:1b:21:00:00:01", "http.server", "nginx/1.24.0",
                        "http.title", "Welcome to nginx!", "http.body",
                        "<html><head><title>Welcome to nginx!</title></head></html>")
                .obs("ssh", 22, "ssh.banner", "SSH-2.0-OpenSSH_9.2p1 Debian-2")
                .obs("http", 8000, "http.server", "Werkzeug/3.0.1 Python/3.11.2")
                .list());
        // no protocol names a maker; the Intel MAC names it "by MAC", outside the closed list
        assertThat(id.platform()).isEmpty();
        assertThat(id.type()).isEmpty();
        assertThat(id.brand()).contains("Intel");
        assertThat(id.makerByMac()).isTrue();
        assertThat(id.makerLabel()).contains("Intel (by MAC)");
        assertThat(id.confidence()).isEqualTo(0.3);
    }

    @Test
    void aMakerNamedOnlyByAnUnlistedRegistrantIsInventoriedNotEvaluated() {
        FindingEngine findings = new FindingEngine(FindingPacks.shipped(), List.of(), LocalDate.of(
                2026, 12, 3));
        // telnet open on a host whose MAC is Intel's: named "Intel (by MAC)", no finding
        List<Observation> intel = Devices.at("192.0.2.17").obs("tcp", 23,
                "00:1b:21:00:00:03", Fields.STATE, "open").list();
        Identification host = one(intel);
        assertThat(host.makerLabel()).contains("Intel (by MAC)");
        assertThat(findings.evaluate(host, intel)).isEmpty();
        // the same on a MAC of a vendor of the closed list (Uniview) is evaluated
        List<Observation> uniview = Devices.at("192.0.2.18").obs("tcp", 23,
                "48:ea:63:00:00:04", Fields.STATE, "open").list();
        Identification camera = one(uniview);
        assertThat(camera.brand()).contains("Uniview");
        assertThat(findings.evaluate(camera, uniview)).extracting(f -> f.id()).contains(
                "telnet-open");
    }

    @Test
    void aMacRegistrantOutsideTheClosedListNamesTheMakerByMac() {
        assertThat(RegistrantName.of("D-LINK INTERNATIONAL PTE. LIMITED")).isEqualTo("D-Link");
        assertThat(RegistrantName.of("Shenzhen Bilian Electronic Co.,Ltd")).isEqualTo("Bilian");
        assertThat(RegistrantName.of("Espressif Inc.")).isEqualTo("Espressif");
        Identification id = one(Devices.at("192.0.2.16")
                .obs("http", 80, "00:1b:21:00:00:02", "http.server", "nginx/1.24.0").list());
        assertThat(id.evidence()).anyMatch(e -> e.field().equals("mac") && e.said().endsWith(
                Identification.BY_MAC));
    }

    @Test
    void aMacRegisteredToAMakerIsWeakEvidenceOnItsOwn() {
        Identification id = one(Devices.at("192.0.2.14")
                .obs("nmap-host", 0, "e0:50:8b:01:02:03", "nmap.mac_vendor", "Zhejiang Dahua")
                .list());
        assertThat(id.platform()).contains("Dahua");
        assertThat(id.confidence()).isEqualTo(0.5);
    }

    @Test
    void observationsOfOneAddressAreOneDeviceKeyedByItsMac() {
        List<Identification> all = ENGINE.identify(Devices.at("192.0.2.15")
                .obs("http", 80, "http.server", "App-webs/")
                .obs("sadp", 37020, "bc:ad:28:11:22:33", "sadp.DeviceDescription",
                        "DS-2CD2142FWD-I")
                .list());
        assertThat(all).hasSize(1);
        assertThat(all.get(0).deviceKey()).isEqualTo("bc:ad:28:11:22:33");
    }

    /**
     * The testbed's honeypot answers every request with a 200 holding every keyword of every rule.
     * It must identify as nothing.
     */
    @Test
    void aDeviceThatAnswersEverythingIsIdentifiedAsNothing() {
        Set<String> examples = new LinkedHashSet<>();
        for (Rule r : RulePacks.shipped().rules()) {
            r.examples.forEach(e -> examples.add(e.value()));
        }
        String all = String.join(" ", examples);
        List<String> kv = new ArrayList<>();
        for (String key : List.of("http.server", "http.title", "http.body", "http.realm",
                "http.www_authenticate", "rtsp.server", "rtsp.www_authenticate", "tls.subject",
                "telnet.banner", "ftp.banner", "upnp.server")) {
            kv.add(key);
            kv.add(all);
        }
        Identification id = one(Devices.at("127.0.0.99")
                .obs("http", 80, kv.toArray(String[]::new))
                .obs("http", 8080, kv.toArray(String[]::new))
                .obs("rtsp", 554, kv.toArray(String[]::new))
                .list());
        assertThat(id.brand()).isEmpty();
        assertThat(id.platform()).isEmpty();
        assertThat(id.confidence()).isZero();
        assertThat(id.conflicts()).isNotEmpty();
    }

    @Test
    void eachFingerprintExampleAloneIdentifiesItsVendor() {
        // one example per rule, alone on a device: the rule's own maker (or brand) comes out
        List<String> failures = new ArrayList<>();
        for (Rule r : RulePacks.shipped().rules()) {
            if (r.fixed.platform().isEmpty() || r.kind == Rule.Kind.PRESENT) {
                continue;
            }
            String key = r.fields.stream().filter(f -> !f.startsWith("sadp.") && !f.startsWith(
                    "dhdiscover.")).findFirst().orElse(r.fields.get(0));
            Identification id = one(Devices.at("198.51.100.9").obs("x", 1, key, r.examples.get(0)
                    .value()).list());
            if (!id.platform().map(RulePacks.shipped()::group).equals(r.fixed.platform().map(
                    RulePacks.shipped()::group))) {
                failures.add(r + " -> " + id.platform() + " " + id.conflicts());
            }
        }
        assertThat(failures).isEmpty();
    }
}
