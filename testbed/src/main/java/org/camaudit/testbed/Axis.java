package org.camaudit.testbed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Axis network cameras (Sweden; not a covered vendor: the "known-good" device). From
 * protocol-facts.md §2.5 (basic device information answered anonymously on AXIS OS 8.40 and
 * later, default certificate subject, FTP banner), §4 (MAC prefixes), and from the shape nmap's
 * service database expects of the FTP greeting and RTSP OPTIONS reply. The serial number is the
 * MAC in upper-case hex, as Axis labels it.
 */
final class Axis implements Personality {
    /** A model, its product type and its hardware id. */
    record Model(String number, String type, String hardwareId) {
    }

    /** An AXIS OS build and its build date as the device prints it. */
    record Firmware(String version, String buildDate, String year) {
    }

    static final List<Model> MODELS = List.of(new Model("M3106-L Mk II", "Network Camera", "7A7"),
            new Model("P3245-LVE", "Dome Camera", "98B"), new Model("Q6075-E",
                    "PTZ Network Camera", "80E"),
            new Model("M2026-LE Mk II", "Bullet Camera", "7D1"), new Model("P1448-LE",
                    "Network Camera", "7EB"));
    /** All at or above 8.40, where basicdeviceinfo answers without credentials by default. */
    static final List<Firmware> FIRMWARE = List.of(new Firmware("8.40.1", "Nov 12 2018 10:11",
            "2018"), new Firmware("9.80.3.8", "Jun 24 2022 09:39", "2022"),
            new Firmware(
                    "10.12.153", "Jul 26 2022 14:02", "2022"),
            new Firmware("11.8.64", "Jan 31 2024 08:25", "2024"));
    static final List<String> OUIS = List.of("00:40:8c", "ac:cc:8e", "b8:a4:4f");

    @Override
    public String id() {
        return "axis-camera";
    }

    @Override
    public DeviceSpec create(String address, RandomGenerator r) {
        Model model = Hikvision.pick(r, MODELS);
        Firmware fw = Hikvision.pick(r, FIRMWARE);
        String mac = Macs.random(r, Hikvision.pick(r, OUIS));
        String serial = mac.replace(":", "").toUpperCase(Locale.ROOT);
        Map<String, String> a = new LinkedHashMap<>();
        a.put("cloud", "false");
        a.put("onvif.manufacturer", "AXIS");
        a.put("prod_type", model.type());
        a.put("hardware_id", model.hardwareId());
        a.put("build_date", fw.buildDate());
        a.put("build_year", fw.year());
        return new DeviceSpec(address, mac, id(), "Axis", "Axis", model.number(), fw.version(),
                "camera", serial, a, List.of());
    }

    @Override
    public List<Integer> tcpPorts(DeviceSpec d) {
        return List.of(21, 80, 443, 554);
    }

    @Override
    public List<Integer> udpPorts(DeviceSpec d) {
        return List.of(3702);
    }

    static String fullName(DeviceSpec d) {
        return "AXIS " + d.model() + " " + d.attribute("prod_type", "Network Camera");
    }

    static String realm(DeviceSpec d) {
        return "AXIS_" + d.serial();
    }

    @Override
    public void converse(DeviceSpec d, int port, Connection c) throws IOException {
        switch (port) {
            case 21 -> ftp(d, c);
            case 554 -> Rtsp.converse(d, c, new Rtsp.Style("",
                    "DESCRIBE, GET_PARAMETER, PAUSE, PLAY, SETUP, SET_PARAMETER, TEARDOWN",
                    "Digest realm=\"" + realm(d) + "\", nonce=\"" + Rtsp.nonce(d)
                            + "\", stale=FALSE",
                    "Basic realm=\"" + realm(d) + "\""));
            case 443 -> Tls.serve(c, Tls.AXIS, conn -> web(d, conn, 443));
            default -> web(d, c, port);
        }
    }

    /** The FTP server greets, then refuses every login; it never accepts a session. */
    private void ftp(DeviceSpec d, Connection c) throws IOException {
        c.write("220 AXIS " + d.model() + " Network Camera " + d.firmware() + " (" + d.attribute(
                "build_year", "2022") + ") ready.\r\n");
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(c
                .input(), StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 8; i++) {
            String line;
            try {
                line = in.readLine();
            } catch (java.net.SocketTimeoutException e) {
                return;
            }
            if (line == null) {
                return;
            }
            String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
            switch (verb) {
                case "QUIT" -> {
                    c.write("221 Goodbye.\r\n");
                    return;
                }
                case "USER" -> c.write("331 User name okay, need password.\r\n");
                case "PASS" -> c.write("530 Login incorrect.\r\n");
                default -> c.write("530 Please login with USER and PASS.\r\n");
            }
        }
    }

    private void web(DeviceSpec d, Connection c, int port) throws IOException {
        Optional<Request> next = c.readRequest();
        if (next.isEmpty()) {
            return;
        }
        Request r = next.get();
        byte[] body = c.readBody(r);
        c.write(route(d, r, new String(body, StandardCharsets.UTF_8), port).bytes());
    }

    Http.Response route(DeviceSpec d, Request r, String body, int port) {
        String path = r.path();
        String host = d.address() + (port == 80 || port == 443 ? "" : ":" + port);
        if (r.method().equals("POST") && path.equals("/onvif/device_service")) {
            Http.Response soap = Onvif.deviceService(d, body, "", false, host);
            if (soap.statusLine().contains("401")) {
                soap.headers().put("WWW-Authenticate", digest(d));
            }
            return soap;
        }
        if (path.equals("/axis-cgi/basicdeviceinfo.cgi") && r.method().equals("POST")) {
            String context = "";
            int at = body.indexOf("\"context\"");
            if (at >= 0) {
                int open = body.indexOf('"', body.indexOf(':', at) + 1);
                int close = open < 0 ? -1 : body.indexOf('"', open + 1);
                if (close > open && close - open < 64) {
                    context = body.substring(open + 1, close).replaceAll("[^A-Za-z0-9_. -]", "");
                }
            }
            String json = "{\"apiVersion\":\"1.3\",\"context\":\"" + context + "\",\"data\":{"
                    + "\"propertyList\":{\"Architecture\":\"aarch64\",\"Brand\":\"AXIS\","
                    + "\"BuildDate\":\"" + d.attribute("build_date", "") + "\",\"HardwareID\":\""
                    + d.attribute("hardware_id", "7A7") + "\",\"ProdFullName\":\"" + fullName(d)
                    + "\",\"ProdNbr\":\"" + d.model() + "\",\"ProdShortName\":\"AXIS " + d.model()
                    + "\",\"ProdType\":\"" + d.attribute("prod_type", "Network Camera")
                    + "\",\"ProdVariant\":\"\",\"SerialNumber\":\"" + d.serial() + "\","
                    + "\"Soc\":\"Axis Artpec-7\",\"SocSerialNumber\":\"00000000-00000000-"
                    + d.serial().substring(4) + "\",\"Version\":\"" + d.firmware() + "\","
                    + "\"WebURL\":\"http://www.axis.com\"}}}";
            return Http.reply("HTTP/1.1 200 OK", json, "Content-Type", "application/json",
                    "Connection", "close");
        }
        if (path.startsWith("/axis-cgi/") || path.startsWith("/vapix/")) {
            return Http.reply("HTTP/1.1 401 Unauthorized", Http.html("401 Unauthorized",
                    "<h1>Unauthorized</h1>"), "Content-Type", "text/html; charset=iso-8859-1",
                    "WWW-Authenticate", digest(d), "Connection", "close");
        }
        if (path.equals("/") || path.equals("/index.html")) {
            return Http.reply("HTTP/1.1 200 OK", Http.html("AXIS", "<noscript>Your browser has"
                    + " JavaScript turned off.</noscript><script>window.location.replace("
                    + "\"/camera/index.html\");</script>"), "Content-Type", "text/html",
                    "Connection", "close");
        }
        if (path.equals("/favicon.ico")) {
            return Http.reply("HTTP/1.1 200 OK", Icons.icon("axis"), "Content-Type",
                    "image/x-icon", "Connection", "close");
        }
        return Http.reply("HTTP/1.1 404 Not Found", Http.html("404 Not Found",
                "<h1>Not Found</h1>"), "Content-Type", "text/html; charset=iso-8859-1",
                "Connection", "close");
    }

    private static String digest(DeviceSpec d) {
        return "Digest realm=\"" + realm(d) + "\", nonce=\"" + Rtsp.nonce(d)
                + "\", algorithm=MD5, qop=\"auth\"";
    }

    @Override
    public Optional<byte[]> answer(DeviceSpec d, int port, byte[] request) {
        return Onvif.probeMatch(d, request, Onvif.scopes(d.model(), "AXIS"), 80);
    }
}
