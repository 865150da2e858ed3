package org.camaudit.testbed;

import static org.camaudit.testbed.Hikvision.pick;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Milesight (Xiamen) network cameras, from protocol-facts.md §2.8: the page title
 * {@code Milesight Network Camera} and a link to {@code milesight.com/UploadFiles/VMS/camview.dmg},
 * served on 8080 as in Greenbone's detection (and on 80) [V]; MAC prefixes 1c:c3:16 and 24:e1:24
 * [V §4]. Models, firmware numbers and the RTSP realm are [U]. Not a covered vendor; no CVE in
 * the facts.
 */
final class Milesight implements Personality {
    static final List<String> MODELS = List.of("MS-C2963-PB", "MS-C5363-PB", "MS-C8165-PA",
            "MS-C4463-PB", "MS-C2964-RFPB");
    static final List<String> FIRMWARE = List.of("41.8.0.3-r6", "45.7.0.79-r4", "45.8.0.3-r12",
            "51.7.0.77-r2");
    static final List<String> OUIS = List.of("1c:c3:16", "24:e1:24");
    static final String TITLE = "Milesight Network Camera";

    @Override
    public String id() {
        return "milesight-camera";
    }

    @Override
    public DeviceSpec create(String address, RandomGenerator r) {
        String serial = String.format("62%02d%08d", 17 + r.nextInt(8), r.nextInt(100_000_000));
        Map<String, String> a = new LinkedHashMap<>();
        a.put("country", "CN");
        a.put("onvif.manufacturer", "Milesight Technology Co.,Ltd.");
        return new DeviceSpec(address, Macs.random(r, pick(r, OUIS)), id(), "Milesight",
                "Milesight", pick(r, MODELS), pick(r, FIRMWARE), "camera", serial, a,
                ExpectedFindings.PRC_COMPANY);
    }

    @Override
    public List<Integer> tcpPorts(DeviceSpec d) {
        return List.of(80, 554, 8080);
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
                    DeviceWeb.digest(d, "Milesight"))); // realm [U]
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
        if (path.equals("/favicon.ico")) {
            return Http.reply("HTTP/1.1 200 OK", Icons.icon("milesight"), "Content-Type",
                    "image/x-icon", "Connection", "close");
        }
        if (path.equals("/") || path.equals("/index.html")) {
            return Http.reply("HTTP/1.1 200 OK", Http.html(TITLE, "<div id=\"login\">"
                    + "<a href=\"http://www.milesight.com/UploadFiles/VMS/camview.dmg\">"
                    + "Download the plug-in for Mac</a></div>"), "Content-Type",
                    "text/html", "Connection", "close");
        }
        return Http.reply("HTTP/1.1 404 Not Found", Http.html("404 Not Found",
                "<h1>404 Not Found</h1>"), "Content-Type", "text/html", "Connection", "close");
    }

    @Override
    public Optional<byte[]> answer(DeviceSpec d, int port, byte[] request) {
        return Onvif.probeMatch(d, request, DeviceWeb.scopes(d.model(), "Milesight", "xiamen"),
                80);
    }
}
