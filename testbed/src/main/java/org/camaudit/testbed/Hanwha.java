package org.camaudit.testbed;

import static org.camaudit.testbed.Hikvision.pick;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Hanwha Vision (ex-Samsung Techwin, Korea) IP cameras, from protocol-facts.md §2.6: the web UI
 * title {@code Hanwha Techwin} [V recog], SUNAPI CGIs under {@code /stw-cgi/} behind Digest auth
 * [V], RTSP with realm {@code NET-i} on the older Samsung SNB line [V nmap], MAC prefixes
 * 00:09:18 and e4:30:22 [V §4]. Not a covered vendor; no Hanwha CVE in the facts. The Wisenet
 * line's own realm ({@code iPolis}) and stream path {@code /profile2/media.smp} [S] are
 * the testbed's choice where the facts are silent.
 */
final class Hanwha implements Personality {
    /** A model line: Samsung-era SNB units keep the NET-i realm and the Samsung brand. */
    record Model(String name, boolean samsungEra) {
    }

    static final List<Model> MODELS = List.of(new Model("XNV-6080R", false), new Model(
            "XNO-6080R", false), new Model("QNV-6012R", false), new Model("QND-6022R", false),
            new Model("PNM-9000VQ", false), new Model("XND-8080RV", false), new Model("SNB-6004",
                    true),
            new Model("SNB-5004", true));
    /** SUNAPI-style firmware names [U]. */
    static final List<String> FIRMWARE = List.of("1.41.01_20200605", "2.10.02_20220318",
            "2.21.05_20231012");
    static final List<String> SAMSUNG_FIRMWARE = List.of("4.30_171113", "5.10_190506");
    static final List<String> OUIS = List.of("00:09:18", "e4:30:22");

    @Override
    public String id() {
        return "hanwha-camera";
    }

    @Override
    public DeviceSpec create(String address, RandomGenerator r) {
        Model model = pick(r, MODELS);
        String serial = "ZN" + (char) ('A' + r.nextInt(26)) + (char) ('A' + r.nextInt(26)) + "7"
                + String.format("%c%c%07d", 'A' + r.nextInt(26), 'A' + r.nextInt(26), r.nextInt(
                        10_000_000));
        Map<String, String> a = new LinkedHashMap<>();
        a.put("country", "KR");
        a.put("onvif.manufacturer", model.samsungEra() ? "Samsung Techwin" : "Hanwha Techwin");
        a.put("rtsp.realm", model.samsungEra() ? "NET-i" : "iPolis");
        return new DeviceSpec(address, Macs.random(r, pick(r, OUIS)), id(), model.samsungEra()
                ? "Samsung"
                : "Hanwha", "Hanwha", model.name(),
                pick(r, model.samsungEra()
                        ? SAMSUNG_FIRMWARE
                        : FIRMWARE),
                "camera", serial, a, List.of());
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
                    "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER",
                    DeviceWeb.digest(d, d.attribute("rtsp.realm", "iPolis"))));
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
        if (path.startsWith("/stw-cgi/")) {
            // SUNAPI needs Digest credentials [V §2.6]
            return Http.reply("HTTP/1.1 401 Unauthorized", Http.html("401 Unauthorized",
                    "<h1>401 Unauthorized</h1>"), "WWW-Authenticate",
                    DeviceWeb.digest(d,
                            "iPolis_" + d.mac().replace(":", "").substring(6).toUpperCase(
                                    java.util.Locale.ROOT)),
                    "Content-Type", "text/html",
                    "Connection", "close");
        }
        if (path.equals("/favicon.ico")) {
            return Http.reply("HTTP/1.1 200 OK", Icons.icon("hanwha"), "Content-Type",
                    "image/x-icon", "Connection", "close");
        }
        if (path.equals("/") || path.equals("/home/monitoring.cgi")) {
            return Http.reply("HTTP/1.1 200 OK", Http.html("Hanwha Techwin",
                    "<div id=\"wrap\"><div class=\"login\">Wisenet " + d.model()
                            + "</div></div><script src=\"/home/js/sunapi.js\"></script>"),
                    "Content-Type", "text/html; charset=utf-8", "Connection", "close");
        }
        return Http.reply("HTTP/1.1 404 Not Found", Http.html("404 Not Found",
                "<h1>404 Not Found</h1>"), "Content-Type", "text/html", "Connection", "close");
    }

    @Override
    public Optional<byte[]> answer(DeviceSpec d, int port, byte[] request) {
        return Onvif.probeMatch(d, request, DeviceWeb.scopes(d.model(), d.attribute(
                "onvif.manufacturer", "Hanwha Techwin"), "changwon"), 80);
    }
}
