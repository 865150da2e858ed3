package org.camaudit.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.camaudit.model.Scope;
import org.camaudit.probes.ProbeLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The other camera makers, the ordinary hosts and the answer-everything honeypot, each checked by
 * what camaudit's real probes record of it: one fleet on 127.70.0.0/24, one scan, one test per
 * personality.
 */
class OtherPersonalitiesTest {
    static final String NET = "127.70.0.";
    static final Personalities CATALOG = Personalities.standard();
    static final List<DeviceSpec> DEVICES = new ArrayList<>();
    static Fleet fleet;
    static FleetScans.Result scan;

    static DeviceSpec uniview;
    static DeviceSpec hanwha;
    static DeviceSpec samsung;
    static DeviceSpec bosch;
    static DeviceSpec reolink;
    static DeviceSpec tplinkNc;
    static DeviceSpec tapo;
    static DeviceSpec milesight;
    static DeviceSpec nginx;
    static DeviceSpec apache;
    static DeviceSpec printer;
    static DeviceSpec sshHost;
    static DeviceSpec honeypot;

    static DeviceSpec add(String id, int host, java.util.function.Predicate<DeviceSpec> wanted) {
        DeviceSpec d = FleetScans.device(CATALOG, id, NET + host, wanted);
        DEVICES.add(d);
        return d;
    }

    @BeforeAll
    static void scanTheFleet() throws Exception {
        uniview = add("uniview-camera", 10, d -> true);
        hanwha = add("hanwha-camera", 11, d -> d.brand().equals("Hanwha"));
        samsung = add("hanwha-camera", 12, d -> d.brand().equals("Samsung"));
        bosch = add("bosch-camera", 13, d -> d.attribute("telnet", "").equals("true"));
        reolink = add("reolink-camera", 14, d -> d.findings().contains("CVE-2021-40407"));
        tplinkNc = add("tplink-camera", 15, d -> d.attribute("line", "").equals("nc"));
        tapo = add("tplink-camera", 16, d -> d.findings().contains("CVE-2021-4045"));
        milesight = add("milesight-camera", 17, d -> true);
        nginx = add("web-server", 18, d -> d.attribute("server", "").startsWith("nginx"));
        apache = add("web-server", 19, d -> d.attribute("server", "").startsWith("Apache"));
        printer = add("printer", 20, d -> d.brand().equals("HP"));
        sshHost = add("ssh-host", 21, d -> true);
        honeypot = add("answers-everything", 22, d -> true);
        fleet = Fleet.start(DEVICES, CATALOG);
        List<Integer> ports = new ArrayList<>(Scope.CAMERA_PORTS);
        ports.addAll(List.of(631, 9100));
        scan = FleetScans.scan(NET + "0/24", ports, new ProbeLimits(Duration.ofSeconds(2),
                Duration.ofSeconds(3), Duration.ofSeconds(5), 256 * 1024), Duration.ofMillis(500));
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    static List<Observation> at(DeviceSpec d, int port, String protocol) {
        return scan.of(d.address(), port).stream().filter(o -> o.protocol().equals(protocol))
                .toList();
    }

    static Optional<String> field(DeviceSpec d, int port, String protocol, String key) {
        return at(d, port, protocol).stream().map(o -> o.field(key)).flatMap(Optional::stream)
                .findFirst();
    }

    static Optional<Observation> page(DeviceSpec d, int port, String scheme, String path) {
        return at(d, port, scheme).stream().filter(o -> o.field(Fields.HTTP_PATH).orElse("")
                .equals(path)).findFirst();
    }

    static Observation udp(DeviceSpec d, String protocol) {
        return scan.of(d.address()).stream().filter(o -> o.protocol().equals(protocol))
                .findFirst().orElseThrow(() -> new AssertionError("no " + protocol + " reply from "
                        + d.address()));
    }

    /** A plain request on a fresh connection, as an HTTP client other than camaudit sends it. */
    static String rawExchange(String address, int port, String request) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2000);
            s.setSoTimeout(3000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = in.read(buf)) >= 0 && got.size() < 65536) {
                    got.write(buf, 0, n);
                }
            } catch (SocketTimeoutException e) {
                // what arrived is the answer
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void everyPortOfEveryDeviceIsFoundOpen() {
        for (DeviceSpec d : DEVICES) {
            List<Integer> open = scan.of(d.address()).stream().filter(o -> o.protocol().equals(
                    "tcp") && o.field(Fields.STATE).orElse("").equals("open")).map(
                            Observation::port)
                    .toList();
            assertThat(open).as(d.personality() + " " + d.address())
                    .containsExactlyInAnyOrderElementsOf(CATALOG.get(d.personality()).tcpPorts(d));
        }
    }

    @Test
    void uniview() throws Exception {
        Observation wsd = udp(uniview, "onvif-discovery");
        assertThat(wsd.isError()).isFalse();
        assertThat(wsd.field(Fields.ONVIF_SCOPE_HARDWARE)).contains(uniview.model());
        assertThat(wsd.field(Fields.ONVIF_SCOPE_NAME)).contains("UNV");
        assertThat(field(uniview, 554, "rtsp", Fields.RTSP_WWW_AUTHENTICATE)).hasValueSatisfying(
                v -> assertThat(v).startsWith("Digest realm="));
        assertThat(field(uniview, 80, "onvif", Fields.ONVIF_DATETIME)).isPresent();
        assertThat(field(uniview, 80, "http", Fields.HTTP_SERVER)).isEmpty();
        assertThat(uniview.mac()).matches("(48:ea:63|6c:f1:7e|c4:79:05):.*");
        assertThat(uniview.findings()).containsExactlyInAnyOrder("uk-2022-sensitive-sites",
                "entity-list", "texas-prohibited-technology", "plain-http-login");
        // LAPI is an authenticated API camaudit never asks; another client sees its Digest wall
        assertThat(rawExchange(uniview.address(), 80,
                "GET /LAPI/V1.0/System/DeviceInfo HTTP/1.1\r\n"
                        + "Host: x\r\n\r\n"))
                .startsWith("HTTP/1.1 401").contains(
                        "WWW-Authenticate: Digest realm=");
        assertThat(rawExchange(uniview.address(), 554, "DESCRIBE rtsp://" + uniview.address()
                + Uniview.STREAM + " RTSP/1.0\r\nCSeq: 2\r\n\r\n")).startsWith("RTSP/1.0 401");
    }

    @Test
    void hanwhaAndSamsungEra() {
        for (DeviceSpec d : List.of(hanwha, samsung)) {
            assertThat(field(d, 80, "http", Fields.HTTP_TITLE)).contains("Hanwha Techwin");
            assertThat(d.mac()).matches("(00:09:18|e4:30:22):.*");
            assertThat(udp(d, "onvif-discovery").field(Fields.ONVIF_SCOPE_HARDWARE)).contains(d
                    .model());
        }
        assertThat(field(samsung, 554, "rtsp", Fields.RTSP_WWW_AUTHENTICATE)).hasValueSatisfying(
                v -> assertThat(v).contains("realm=\"NET-i\""));
        assertThat(field(hanwha, 554, "rtsp", Fields.RTSP_WWW_AUTHENTICATE)).hasValueSatisfying(
                v -> assertThat(v).contains("realm=\"iPolis\""));
    }

    @Test
    void hanwhaSunapiIsBehindDigest() throws Exception {
        assertThat(rawExchange(hanwha.address(), 80,
                "GET /stw-cgi/system.cgi?msubmenu=deviceinfo&action=view HTTP/1.1\r\nHost: x\r\n\r\n"))
                .startsWith("HTTP/1.1 401").contains("Digest realm=\"iPolis_");
    }

    @Test
    void bosch() {
        for (int port : List.of(80, 443)) {
            String scheme = port == 443 ? "https" : "http";
            Observation root = page(bosch, port, scheme, "/").orElseThrow();
            assertThat(root.field(Fields.HTTP_STATUS)).contains("401");
            assertThat(root.field(Fields.HTTP_REALM)).contains(Bosch.REALM);
            assertThat(root.field(Fields.HTTP_SERVER)).contains(Bosch.SERVER);
        }
        assertThat(field(bosch, 443, "https", Fields.TLS_SUBJECT))
                .hasValueSatisfying(v -> assertThat(
                        v).contains("myboschcam.net").contains("Bosch Sicherheitssysteme"));
        assertThat(field(bosch, 23, "telnet", Fields.TELNET_BANNER)).hasValueSatisfying(
                v -> assertThat(v).startsWith("Welcome to " + bosch.attribute("product_line", "")));
        assertThat(bosch.findings()).containsExactlyInAnyOrder("plain-http-login",
                "default-tls-certificate", "telnet-open");
        assertThat(bosch.mac()).matches("(00:01:31|00:04:63|00:1c:44|a4:18:94):.*");
    }

    @Test
    void reolink() throws Exception {
        Observation config = page(reolink, 80, "http", "/js/client.config.js").orElseThrow();
        assertThat(config.field(Fields.HTTP_BODY)).hasValueSatisfying(v -> assertThat(v).contains(
                reolink.firmware()));
        // Baichuan on 9000: open, says nothing; a web request there gets no HTTP
        List<Observation> baichuan = scan.of(reolink.address(), 9000);
        assertThat(baichuan).anySatisfy(o -> {
            assertThat(o.protocol()).isEqualTo("sdk");
            assertThat(o.field(Fields.STATE)).contains("open");
            assertThat(o.isError()).isFalse();
        });
        assertThat(baichuan).noneSatisfy(o -> assertThat(o.field(Fields.HTTP_STATUS)).isPresent());
        // ONVIF on 8000 behind the silent-port probe
        assertThat(field(reolink, 8000, "onvif", Fields.ONVIF_DATETIME)).isPresent();
        assertThat(udp(reolink, "onvif-discovery").field(Fields.ONVIF_XADDRS)).hasValueSatisfying(
                v -> assertThat(v).contains(":8000/onvif/device_service"));
        assertThat(reolink.mac()).startsWith("ec:71:db:");
        assertThat(reolink.model()).isEqualTo("RLC-410W");
        // the API answer camaudit's probes do not ask for (a POST), checked as any client sees it
        assertThat(rawExchange(reolink.address(), 80,
                "POST /cgi-bin/api.cgi HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Length: 0\r\n\r\n"))
                .contains("\"cmd\" : \"Unknown\"").contains(
                        "\"detail\" : \"please login first\"");
    }

    @Test
    void tplinkNcAndTapo() {
        Observation root = page(tplinkNc, 80, "http", "/").orElseThrow();
        assertThat(root.field(Fields.HTTP_REALM)).contains(TpLink.REALM);
        assertThat(page(tplinkNc, 80, "http", "/profile").orElseThrow().field(Fields.HTTP_BODY))
                .hasValueSatisfying(v -> assertThat(v).contains("initProdNbr=\"" + tplinkNc
                        .model() + "\";").contains("BrandCopyright=\"TP-Link \";"));
        assertThat(field(tplinkNc, 443, "https", Fields.TLS_SUBJECT)).hasValueSatisfying(
                v -> assertThat(v).contains("TP-LINK CA"));
        assertThat(field(tapo, 2020, "onvif", Fields.ONVIF_DATETIME)).isPresent();
        assertThat(field(tapo, 2020, "onvif", Fields.ONVIF_CAPABILITIES)).hasValueSatisfying(
                v -> assertThat(v).contains(":2020/onvif/device_service"));
        assertThat(at(tapo, 554, "rtsp")).isNotEmpty();
        assertThat(udp(tapo, "onvif-discovery").field(Fields.ONVIF_SCOPE_NAME)).contains(
                "TP-LINK");
        assertThat(tapo.model()).isEqualTo("Tapo C200");
        assertThat(tapo.firmware()).startsWith("1.1.15");
        assertThat(tapo.findings()).containsExactlyInAnyOrder("CVE-2021-4045",
                "uk-2022-sensitive-sites", "texas-prohibited-technology");
    }

    @Test
    void milesightOn80And8080() {
        for (int port : List.of(80, 8080)) {
            assertThat(field(milesight, port, "http", Fields.HTTP_TITLE)).contains(
                    Milesight.TITLE);
            assertThat(field(milesight, port, "http", Fields.HTTP_BODY)).hasValueSatisfying(
                    v -> assertThat(v).contains("milesight.com/UploadFiles/VMS/camview.dmg"));
        }
        assertThat(milesight.mac()).matches("(1c:c3:16|24:e1:24):.*");
    }

    @Test
    void webServers() {
        assertThat(field(nginx, 80, "http", Fields.HTTP_SERVER)).contains(nginx.attribute(
                "server", ""));
        assertThat(field(nginx, 80, "http", Fields.HTTP_TITLE)).contains("Welcome to nginx!");
        assertThat(field(apache, 443, "https", Fields.HTTP_SERVER)).hasValueSatisfying(
                v -> assertThat(v).startsWith("Apache/2.4"));
        assertThat(field(apache, 443, "https", Fields.TLS_SUBJECT)).hasValueSatisfying(
                v -> assertThat(v).contains("CN=localhost"));
        for (DeviceSpec d : List.of(nginx, apache, sshHost)) {
            assertThat(field(d, 22, "ssh", Fields.SSH_BANNER)).hasValueSatisfying(v -> assertThat(
                    v).startsWith("SSH-2.0-OpenSSH_"));
            assertThat(d.type()).isEqualTo("host");
            assertThat(d.findings()).isEmpty();
        }
        // no ONVIF on a web server: recorded as absent, not as an XML error
        assertThat(at(nginx, 80, "onvif")).allSatisfy(o -> assertThat(o.isError()).isFalse());
    }

    @Test
    void printer() {
        assertThat(field(printer, 80, "http", Fields.HTTP_SERVER)).hasValueSatisfying(
                v -> assertThat(v).startsWith("HP HTTP Server; HP LaserJet"));
        assertThat(field(printer, 80, "http", Fields.HTTP_TITLE)).hasValueSatisfying(
                v -> assertThat(v).startsWith(printer.model()));
        assertThat(field(printer, 631, "http", Fields.HTTP_STATUS)).contains("200");
        assertThat(scan.of(printer.address(), 9100)).isNotEmpty();
        assertThat(printer.type()).isEqualTo("printer");
        assertThat(printer.findings()).isEmpty();
    }

    @Test
    void answersEverythingSaysEveryKeywordAndIsNobody() {
        String said = FleetScans.text(scan.of(honeypot.address()));
        for (String keyword : AnswersEverything.KEYWORDS) {
            assertThat(said).as("keyword " + keyword).contains(keyword);
        }
        // every discovery protocol got a reply that parses
        for (String protocol : List.of("onvif-discovery", "ssdp", "sadp", "dhdiscover",
                "dvrip-discovery")) {
            Observation o = udp(honeypot, protocol);
            assertThat(o.isError()).as(protocol + " " + o.fields()).isFalse();
        }
        // and every TCP port said 200 to somebody
        for (int port : AnswersEverything.PORTS) {
            assertThat(FleetScans.text(scan.of(honeypot.address(), port))).as("port " + port)
                    .contains(" 200 OK");
        }
        assertThat(honeypot.brand()).isEmpty();
        assertThat(honeypot.platform()).isEmpty();
        assertThat(honeypot.type()).isEqualTo("honeypot");
        assertThat(honeypot.findings()).isEmpty();
        assertThat(Manifest.line(honeypot, CATALOG.get(honeypot.personality()))).contains(
                "\"brand\":\"\"").contains("\"platform\":null");
    }

    @Test
    void devicesVaryWithTheSeedAndStayDeterministic() {
        for (String id : Stream.of("uniview-camera", "hanwha-camera", "bosch-camera",
                "reolink-camera", "tplink-camera", "milesight-camera", "web-server", "printer",
                "ssh-host").toList()) {
            List<DeviceSpec> a = FleetPlan.generate(30, org.camaudit.model.IpRange.parse(
                    "127.70.1.0/24"), java.util.Map.of(id, 1), 5, CATALOG);
            List<DeviceSpec> b = FleetPlan.generate(30, org.camaudit.model.IpRange.parse(
                    "127.70.1.0/24"), java.util.Map.of(id, 1), 5, CATALOG);
            assertThat(a).isEqualTo(b);
            assertThat(a.stream().map(DeviceSpec::mac).distinct()).as(id).hasSize(30);
            assertThat(a.stream().map(DeviceSpec::serial).distinct().count()).as(id)
                    .isGreaterThan(25);
            assertThat(a.stream().map(d -> d.model() + d.firmware()).distinct().count()).as(id)
                    .isGreaterThan(1);
        }
    }
}
