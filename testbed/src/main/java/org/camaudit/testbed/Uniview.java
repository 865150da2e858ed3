package org.camaudit.testbed;

import static org.camaudit.testbed.Hikvision.pick;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Zhejiang Uniview (UNV) IP cameras, from protocol-facts.md §2.4: the LAPI REST API
 * {@code /LAPI/V1.0/System/DeviceInfo} behind Digest auth [V], RTSP path
 * {@code /unicast/c1/s1/live} [S], plain WS-Discovery and no proprietary discovery [V], MAC
 * prefixes 48:ea:63, 6c:f1:7e, c4:79:05 [V, §4]. Uniview is a Chinese maker but not on the NDAA
 * §889 list, so an auditor reports no covered vendor; the facts name no Uniview CVE in KEV.
 * Unauthenticated Uniview tells (Server header, title, realms) are [U] in the facts: this
 * personality sends no Server header and neutral realms, so the MAC, the ONVIF scopes and the
 * LAPI path are what identify it.
 */
final class Uniview implements Personality {
    static final List<String> MODELS = List.of("IPC2122LB-SF28-A", "IPC2124LB-SF40KM-G",
            "IPC322LB-DSF28K-G", "IPC3614SR3-ADPF28M-F", "IPC2128LR3-PF40M-D", "IPC6322SR-X22P-C");
    /** Firmware names in Uniview's "platform-build-patch-date" style [U]. */
    static final List<String> FIRMWARE = List.of("IPC_G6101-B0008P04D1708",
            "IPC_G6103-B5030P61D2003", "IPC_GIPC6201-B5019P12D2105", "IPC_Q1201-B5001P50D1905",
            "IPC_G6103-B6100P10D2310");
    static final List<String> OUIS = List.of("48:ea:63", "6c:f1:7e", "c4:79:05");
    static final String STREAM = "/unicast/c1/s1/live";

    @Override
    public String id() {
        return "uniview-camera";
    }

    @Override
    public DeviceSpec create(String address, RandomGenerator r) {
        String model = pick(r, MODELS);
        String serial = "210235C" + Integer.toString(3 + r.nextInt(6)) + String.format("%c%c",
                'A' + r.nextInt(26), 'A' + r.nextInt(26))
                + String.format("%09d", r.nextInt(
                        1_000_000_000));
        Map<String, String> a = new LinkedHashMap<>();
        a.put("country", "CN");
        a.put("onvif.manufacturer", "Uniview");
        a.put("rtsp.path", STREAM);
        return new DeviceSpec(address, Macs.random(r, pick(r, OUIS)), id(), "Uniview", "Uniview",
                model, pick(r, FIRMWARE), "camera", serial, a, java.util.stream.Stream.concat(
                        ExpectedFindings.UNIVIEW.stream(), java.util.stream.Stream.of(
                                ExpectedFindings.PLAIN_HTTP_LOGIN))
                        .toList());
    }

    @Override
    public List<Integer> tcpPorts(DeviceSpec d) {
        return List.of(80, 554);
    }

    @Override
    public List<Integer> udpPorts(DeviceSpec d) {
        return List.of(3702);
    }

    @Override
    public void converse(DeviceSpec d, int port, Connection c) throws IOException {
        if (port == 554) {
            Rtsp.converse(d, c, new Rtsp.Style("",
                    "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER",
                    DeviceWeb.digest(d, "IP Camera"))); // realm [U]
            return;
        }
        DeviceWeb.serveOne(c, (r, body) -> route(d, r, body, port));
    }

    Http.Response route(DeviceSpec d, Request r, String body, int port) {
        String path = r.path();
        if (r.method().equals("POST") && path.equals("/onvif/device_service")) {
            return DeviceWeb.withoutEmptyHeaders(Onvif.deviceService(d, body, "", false,
                    DeviceWeb.host(d, port)));
        }
        if (path.startsWith("/LAPI/")) {
            // LAPI answers only with Digest credentials [V §2.4]
            return Http.reply("HTTP/1.1 401 Unauthorized", "{\"Response\":{\"ResponseURL\":\""
                    + path + "\",\"ResponseCode\":3,\"SubResponseCode\":0,"
                    + "\"ResponseString\":\"Not Authorized\",\"StatusCode\":401}}",
                    "WWW-Authenticate", DeviceWeb.digest(d, "LAPI"), "Content-Type",
                    "application/json", "Connection", "close");
        }
        if (path.equals("/favicon.ico")) {
            return Http.reply("HTTP/1.1 200 OK", Icons.icon("uniview"), "Content-Type",
                    "image/x-icon", "Connection", "close");
        }
        if (path.equals("/") || path.equals("/index.htm")) {
            return Http.reply("HTTP/1.1 200 OK", Http.html("", "<div id=\"login\">"
                    + "<input id=\"username\"/><input id=\"password\" type=\"password\"/>"
                    + "</div><script src=\"/js/common.js\"></script>"), "Content-Type",
                    "text/html", "Connection", "close");
        }
        return Http.reply("HTTP/1.1 404 Not Found", "", "Connection", "close");
    }

    @Override
    public Optional<byte[]> answer(DeviceSpec d, int port, byte[] request) {
        return Onvif.probeMatch(d, request, DeviceWeb.scopes(d.model(), "UNV", "hangzhou"), 80); // name [U]
    }
}
