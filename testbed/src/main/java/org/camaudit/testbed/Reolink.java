package org.camaudit.testbed;

import static org.camaudit.testbed.Hikvision.pick;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Reolink IP cameras, from protocol-facts.md §2.8 and §1.8: an empty {@code POST /cgi-bin/api.cgi}
 * answers JSON with {@code "cmd":"Unknown"} and {@code "detail":"please login first"}, the version
 * is in {@code /js/client.config.js} [V Greenbone]; the Baichuan protocol on TCP 9000 (header
 * magic {@code F0 DE BC 0A}) [V neolink], which says nothing until spoken to; MAC prefix ec:71:db
 * [V §4]. ONVIF on 8000 and the {@code 9527…} UID serials are [U]. Not a covered vendor. CVE-2021-40407
 * and CVE-2019-11001 are in KEV for the RLC-410W and other Reolink cameras [V KEV snapshot]; which
 * builds they affect is [U] here: the two oldest RLC-410W builds carry them, the 2023 build is
 * fixed, other models carry none.
 */
final class Reolink implements Personality {
    /** A firmware build of one model and the CVEs an auditor should attach to it. */
    record Firmware(String model, String version, List<String> cves) {
    }

    static final List<Firmware> FIRMWARE = List.of(
            new Firmware("RLC-410W", "v2.0.0.477_17103001", List.of("CVE-2019-11001",
                    "CVE-2021-40407")),
            new Firmware("RLC-410W", "v3.0.0.136_20121102", List.of("CVE-2021-40407")),
            new Firmware("RLC-410W", "v3.0.0.2356_23062000", List.of()),
            new Firmware("RLC-510A", "v3.1.0.956_22041503", List.of()),
            new Firmware("RLC-810A", "v3.1.0.2368_23062505", List.of()),
            new Firmware("RLC-520A", "v3.1.0.1643_23020900", List.of()),
            new Firmware("E1 Zoom", "v3.1.0.2174_23041002", List.of()));
    static final String OUI = "ec:71:db";
    /** The Baichuan header magic a client sends first (neolink). */
    static final byte[] BAICHUAN_MAGIC = {(byte) 0xf0, (byte) 0xde, (byte) 0xbc, 0x0a};

    @Override
    public String id() {
        return "reolink-camera";
    }

    @Override
    public DeviceSpec create(String address, RandomGenerator r) {
        Firmware fw = pick(r, FIRMWARE);
        StringBuilder uid = new StringBuilder("9527000");
        for (int i = 0; i < 9; i++) {
            uid.append("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ".charAt(r.nextInt(34)));
        }
        Map<String, String> a = new LinkedHashMap<>();
        a.put("country", "CN");
        a.put("onvif.manufacturer", "Reolink");
        a.put("baichuan_port", "9000");
        return new DeviceSpec(address, Macs.random(r, OUI), id(), "Reolink", "Reolink", fw.model(),
                fw.version(), "camera", uid.toString(), a, fw.cves());
    }

    @Override
    public List<Integer> tcpPorts(DeviceSpec d) {
        return List.of(80, 554, 8000, 9000);
    }

    @Override
    public List<Integer> udpPorts(DeviceSpec d) {
        return List.of(3702);
    }

    @Override
    public void converse(DeviceSpec d, int port, Connection c) throws IOException {
        switch (port) {
            case 554 -> Rtsp.converse(d, c, new Rtsp.Style("",
                    "OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER",
                    DeviceWeb.digest(d, "LIVE555 Streaming Media"))); // realm [U]
            case 9000 -> baichuan(c);
            case 8000 -> DeviceWeb.serveOne(c, (r, body) -> onvifPort(d, r, body, port));
            default -> DeviceWeb.serveOne(c, (r, body) -> route(d, r, body, port));
        }
    }

    /**
     * Baichuan: silent until the client speaks; anything without the magic is dropped, and the
     * testbed does not play the (login) protocol beyond that.
     */
    private static void baichuan(Connection c) throws IOException {
        byte[] first = c.readSome(10_000);
        if (first.length >= 4 && first[0] == BAICHUAN_MAGIC[0] && first[1] == BAICHUAN_MAGIC[1]
                && first[2] == BAICHUAN_MAGIC[2] && first[3] == BAICHUAN_MAGIC[3]) {
            c.readSome(10_000); // a real camera would answer the login; this one just waits
        }
    }

    Http.Response onvifPort(DeviceSpec d, Request r, String body, int port) {
        if (r.method().equals("POST") && r.path().equals("/onvif/device_service")) {
            return DeviceWeb.withoutEmptyHeaders(Onvif.deviceService(d, body, "", false,
                    DeviceWeb.host(d, port)));
        }
        return Http.reply("HTTP/1.1 404 Not Found", "", "Connection", "close");
    }

    Http.Response route(DeviceSpec d, Request r, String body, int port) {
        String path = r.path();
        if (path.equals("/cgi-bin/api.cgi")) {
            return Http.reply("HTTP/1.1 200 OK", "[\n   {\n      \"cmd\" : \"Unknown\",\n"
                    + "      \"code\" : 1,\n      \"error\" : {\n"
                    + "         \"detail\" : \"please login first\",\n"
                    + "         \"rspCode\" : -6\n      }\n   }\n]\n", "Content-Type",
                    "application/json", "Connection", "close");
        }
        if (path.equals("/js/client.config.js")) {
            return Http.reply("HTTP/1.1 200 OK", "window.clientConfig = {\n  \"version\": \""
                    + d.firmware() + "\",\n  \"model\": \"" + d.model() + "\",\n"
                    + "  \"lang\": \"English\"\n};\n", "Content-Type", "application/javascript",
                    "Connection", "close");
        }
        if (path.equals("/favicon.ico")) {
            return Http.reply("HTTP/1.1 200 OK", Icons.icon("reolink"), "Content-Type",
                    "image/x-icon", "Connection", "close");
        }
        if (path.equals("/")) {
            return Http.reply("HTTP/1.1 200 OK", Http.html("Reolink",
                    "<div id=\"app\"></div><script src=\"/js/client.config.js\"></script>"
                            + "<script src=\"/js/app.js\"></script>"),
                    "Content-Type",
                    "text/html", "Connection", "close");
        }
        return Http.reply("HTTP/1.1 404 Not Found", Http.html("404 Not Found",
                "<h1>404 Not Found</h1>"), "Content-Type", "text/html", "Connection", "close");
    }

    @Override
    public Optional<byte[]> answer(DeviceSpec d, int port, byte[] request) {
        return Onvif.probeMatch(d, request, DeviceWeb.scopes(d.model(), "Reolink", "shenzhen"),
                8000);
    }
}
