package org.camaudit.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Dahua (stock, recorder, Amcrest, Lorex), Xiongmai (plain and debug) and Axis personalities,
 * scanned once by the real scanner (the probes module's ServiceProbes and UdpDiscovery): each
 * device's tells come out as the probes record them.
 */
class CameraPersonalitiesWireTest {
    static final String RANGE = "127.66.0.0/24";
    static final List<String> IDS = List.of("dahua-camera", "dahua-recorder",
            "dahua-amcrest-camera", "dahua-lorex-camera", "xiongmai-dvr", "xiongmai-dvr-debug",
            "axis-camera");

    static Personalities catalog = Personalities.standard();
    static List<DeviceSpec> devices = new ArrayList<>();
    static Fleet fleet;
    static List<Observation> obs;

    @BeforeAll
    static void scanOnce() throws Exception {
        for (int i = 0; i < IDS.size(); i++) {
            devices.add(catalog.get(IDS.get(i)).create("127.66.0." + (10 + i),
                    new SplittableRandom(100 + i)));
        }
        fleet = Fleet.start(devices, catalog);
        obs = FleetScanTest.scan(RANGE, Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    static DeviceSpec device(String id) {
        return devices.stream().filter(d -> d.personality().equals(id)).findFirst().orElseThrow();
    }

    /** The first observation of this device, port and protocol that satisfies {@code where}. */
    static Observation one(DeviceSpec d, int port, String protocol, Predicate<Observation> where) {
        Optional<Observation> found = obs.stream().filter(o -> o.address().equals(d.address())
                && (port < 0 || o.port() == port) && o.protocol().equals(protocol)).filter(where)
                .findFirst();
        assertThat(found).as(d.personality() + " " + protocol + " on " + port + " in "
                + obs.stream().filter(o -> o.address().equals(d.address())).toList()).isPresent();
        return found.get();
    }

    static Predicate<Observation> has(String field, String value) {
        return o -> o.field(field).map(value::equals).orElse(false);
    }

    static Observation discovery(DeviceSpec d, String fieldPrefix) {
        return one(d, -1, obs.stream().filter(o -> o.address().equals(d.address()) && o.fields()
                .keySet().stream().anyMatch(k -> k.startsWith(fieldPrefix))).map(
                        Observation::protocol)
                .findFirst().orElse("<none>"), o -> true);
    }

    @Test
    void everyDeviceShowsExactlyItsPorts() {
        for (DeviceSpec d : devices) {
            List<Integer> open = obs.stream().filter(o -> o.address().equals(d.address())
                    && o.protocol().equals("tcp")).map(Observation::port).toList();
            assertThat(open).as(d.personality()).containsExactlyInAnyOrderElementsOf(catalog.get(
                    d.personality()).tcpPorts(d));
        }
    }

    @Test
    void dahuaWebUiHasNoServerHeaderAndTheLoginMarkers() {
        DeviceSpec d = device("dahua-camera");
        Observation root = one(d, 80, "http", has(Fields.HTTP_PATH, "/"));
        assertThat(root.field(Fields.HTTP_SERVER)).isEmpty();
        assertThat(root.field(Fields.HTTP_STATUS)).contains("200");
        assertThat(root.field(Fields.HTTP_TITLE)).contains("WEB SERVICE");
        assertThat(root.field(Fields.HTTP_BODY).orElseThrow()).contains("/RPC2_Login",
                "\"method\":\"global.login\"", "@WebVersion@");
        assertThat(root.raw()).startsWith("HTTP/1.1 200 OK\r\nCONNECTION: close\r\n");
    }

    @Test
    void dahuaRtspAndOnvifCarryTheSerialRealm() {
        for (String id : List.of("dahua-camera", "dahua-recorder", "dahua-amcrest-camera",
                "dahua-lorex-camera")) {
            DeviceSpec d = device(id);
            Observation describe = one(d, 554, "rtsp", has(Fields.RTSP_METHOD, "DESCRIBE"));
            assertThat(describe.field(Fields.RTSP_STATUS)).contains("401");
            assertThat(describe.field(Fields.RTSP_SERVER)).contains("Dahua Rtsp Server");
            assertThat(describe.field(Fields.RTSP_WWW_AUTHENTICATE).orElseThrow()).contains(
                    "Digest realm=\"Login to " + d.serial() + "\"", "Basic realm=\"device\"");
            Observation info = one(d, 80, "onvif", has(Fields.ONVIF_OPERATION,
                    "GetDeviceInformation"));
            assertThat(info.field(Fields.HTTP_STATUS)).contains("401");
            assertThat(info.field(Fields.HTTP_REALM)).contains("Login to " + d.serial());
            assertThat(info.field(Fields.ONVIF_MANUFACTURER)).isEmpty();
            Observation sdk = one(d, 37777, "sdk", o -> true);
            assertThat(sdk.field(Fields.STATE)).contains("open");
            assertThat(sdk.field(Fields.SDK_BANNER_HEX).orElse("")).isEmpty(); // silent
        }
    }

    @Test
    void dhDiscoverNamesVendorTypeSerialAndPort() {
        for (String id : List.of("dahua-camera", "dahua-recorder", "dahua-amcrest-camera",
                "dahua-lorex-camera")) {
            DeviceSpec d = device(id);
            Observation o = discovery(d, Fields.DHDISCOVER_PREFIX);
            assertThat(o.field("dhdiscover.Vendor")).contains(switch (id) {
                case "dahua-amcrest-camera" -> "Amcrest";
                case "dahua-lorex-camera" -> "Lorex";
                default -> "General";
            });
            assertThat(o.field("dhdiscover.DeviceType")).contains(d.model());
            assertThat(o.field("dhdiscover.SerialNo")).contains(d.serial());
            assertThat(o.field("dhdiscover.Port")).contains("37777");
            assertThat(o.field("dhdiscover.IPv4Address.IPAddress")).contains(d.address());
            assertThat(o.field("dhdiscover.Version")).isPresent();
            assertThat(o.mac()).contains(d.mac());
            assertThat(d.findings()).contains("ndaa-889");
        }
        assertThat(discovery(device("dahua-recorder"), Fields.DHDISCOVER_PREFIX).field(
                "dhdiscover.DeviceClass").orElseThrow()).isIn("NVR", "XVR");
    }

    @Test
    void rebrandsKeepDahuaTellsWithTheirOwnMacAndBranding() {
        DeviceSpec amcrest = device("dahua-amcrest-camera");
        assertThat(amcrest.mac()).startsWith("9c:8e:cd");
        assertThat(amcrest.attributes()).containsEntry("oem_rebrand", "true");
        Observation lang = one(amcrest, 80, "http", has(Fields.HTTP_PATH,
                "/custom_lang/English.txt"));
        assertThat(lang.field(Fields.HTTP_BODY).orElseThrow()).contains("Amcrest Technologies",
                "w_camera_info");
        assertThat(one(amcrest, 80, "http", has(Fields.HTTP_PATH, "/")).field(Fields.HTTP_SERVER))
                .isEmpty();
        DeviceSpec lorex = device("dahua-lorex-camera");
        assertThat(lorex.mac()).startsWith("00:1f:54");
        assertThat(lorex.attributes()).containsEntry("oem_rebrand", "true");
        assertThat(discovery(lorex, "onvif.scope").field(Fields.ONVIF_SCOPE_NAME)).contains(
                "Lorex");
    }

    @Test
    void xiongmaiWebRtspOnvifAndDvrip() {
        DeviceSpec d = device("xiongmai-dvr");
        Observation root = one(d, 80, "http", has(Fields.HTTP_PATH, "/"));
        assertThat(root.field(Fields.HTTP_SERVER)).contains("uc-httpd 1.0.0");
        assertThat(root.field(Fields.HTTP_TITLE)).contains("NETSurveillance WEB");
        assertThat(one(d, 80, "http", has(Fields.HTTP_PATH, "/Login.htm")).field(Fields.HTTP_BODY)
                .orElseThrow()).contains("NetSuveillanceWebCookie");
        Observation options = one(d, 554, "rtsp", has(Fields.RTSP_METHOD, "OPTIONS"));
        assertThat(options.field(Fields.RTSP_SERVER)).contains("H264DVR 1.0");
        assertThat(options.field(Fields.RTSP_PUBLIC)).contains(Xiongmai.RTSP_PUBLIC);
        Observation describe = one(d, 554, "rtsp", has(Fields.RTSP_METHOD, "DESCRIBE"));
        assertThat(describe.field(Fields.RTSP_STATUS)).contains("200");
        assertThat(describe.field(Fields.RTSP_SDP).orElseThrow()).contains("m=video",
                "H264/90000");
        Observation info = one(d, 8899, "onvif", has(Fields.ONVIF_OPERATION,
                "GetDeviceInformation"));
        assertThat(info.field(Fields.ONVIF_MANUFACTURER)).contains("XM");
        assertThat(info.field(Fields.ONVIF_MODEL)).contains(d.model());
        assertThat(info.field(Fields.ONVIF_SERIAL)).contains(d.serial());
        Observation dvrip = discovery(d, Fields.DVRIP_PREFIX);
        assertThat(dvrip.field("dvrip.SN")).contains(d.serial());
        assertThat(dvrip.field("dvrip.TCPPort")).contains("34567");
        assertThat(dvrip.field("dvrip.HostIP")).contains(Xiongmai.xmIp(d.address()));
        assertThat(dvrip.mac()).contains(d.mac());
        assertThat(one(d, 34567, "sdk", o -> true).field(Fields.SDK_BANNER_HEX).orElse(""))
                .isEmpty();
        assertThat(discovery(d, "onvif.xaddrs").field(Fields.ONVIF_XADDRS).orElseThrow())
                .contains(":8899/onvif/device_service");
    }

    @Test
    void xiongmaiDebugVariantOpensTheBackdoorPortsAndTelnet() {
        DeviceSpec d = device("xiongmai-dvr-debug");
        assertThat(d.findings()).contains("xiongmai-debug-port-9527", "xiongmai-debug-port-9530",
                "telnet-open");
        String prompt = one(d, 9527, "sdk", o -> true).field(Fields.SDK_BANNER_HEX).orElseThrow();
        assertThat(prompt).isNotEmpty(); // it prints a login prompt
        assertThat(one(d, 9530, "sdk", o -> true).field(Fields.SDK_BANNER_HEX).orElse(""))
                .isEmpty();
        assertThat(one(d, 9530, "sdk", o -> true).field(Fields.STATE)).contains("open");
        assertThat(one(d, 23, "telnet", o -> true).field(Fields.TELNET_BANNER).orElseThrow())
                .contains("login:");
    }

    @Test
    void axisFtpBannerCertificateAndRealm() {
        DeviceSpec d = device("axis-camera");
        assertThat(d.mac().substring(0, 8)).isIn(Axis.OUIS);
        assertThat(d.findings()).isEmpty();
        assertThat(one(d, 21, "ftp", o -> true).field(Fields.FTP_BANNER)).contains("220 AXIS "
                + d.model() + " Network Camera " + d.firmware() + " (" + d.attribute("build_year",
                        "")
                + ") ready.");
        Observation tls = one(d, 443, "https", has(Fields.HTTP_PATH, "/"));
        assertThat(tls.field(Fields.TLS_SUBJECT).orElseThrow()).contains(
                "O=Axis Communications AB", "CN=axis-");
        Observation describe = one(d, 554, "rtsp", has(Fields.RTSP_METHOD, "DESCRIBE"));
        assertThat(describe.field(Fields.RTSP_WWW_AUTHENTICATE).orElseThrow()).contains(
                "realm=\"AXIS_" + d.serial() + "\"");
        assertThat(discovery(d, "onvif.scope").field(Fields.ONVIF_SCOPE_NAME)).contains("AXIS");
        assertThat(one(d, 80, "onvif", has(Fields.ONVIF_OPERATION, "GetDeviceInformation"))
                .field(Fields.HTTP_STATUS)).contains("401");
    }

    @Test
    void axisBasicDeviceInfoAnswersAnonymously() throws Exception {
        DeviceSpec d = device("axis-camera");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://"
                + d.address() + "/axis-cgi/basicdeviceinfo.cgi")).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers
                        .ofString("{\"apiVersion\":\"1.0\",\"context\":\"audit\",\"method\":"
                                + "\"getAllUnrestrictedProperties\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"Brand\":\"AXIS\"", "\"ProdNbr\":\"" + d.model() + "\"",
                "\"SerialNumber\":\"" + d.serial() + "\"", "\"Version\":\"" + d.firmware() + "\"",
                "\"context\":\"audit\"", "\"ProdFullName\":\"AXIS " + d.model());
    }
}
