package org.camaudit.testbed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Dahua IP cameras and recorders, and Dahua firmware sold as Amcrest and as Lorex. From
 * protocol-facts.md §1.4 (DHDiscover on UDP 37810, Vendor field), §1.9 (RTSP
 * {@code Dahua Rtsp Server}, realm {@code Login to <serial>}), §2.2 (web UI without a Server
 * header, index markers, Amcrest language file, SDK port 37777), §3 (Lorex a Dahua subsidiary
 * 2018-2022), §4 (MAC prefixes) and §5 (CVE-2021-33044/33045), and from the shape nmap's service
 * database expects of these devices' replies.
 */
final class Dahua implements Personality {
    /** Which product and which label. */
    enum Kind {
        CAMERA("dahua-camera", "camera", "Dahua", "General"), RECORDER("dahua-recorder", "nvr",
                "Dahua", "General"),
        /** Dahua firmware under the Amcrest label: Vendor, MAC, web branding change. */
        AMCREST("dahua-amcrest-camera", "camera", "Amcrest", "Amcrest"),
        /**
         * Dahua firmware under the Lorex label. Lorex was a wholly-owned Dahua subsidiary from 2018
         * until Dahua sold it in late 2022 (protocol-facts §3.1, [S]); units of that period run
         * Dahua firmware with Lorex branding.
         */
        LOREX("dahua-lorex-camera", "camera", "Lorex", "Lorex");

        final String id;
        final String type;
        final String brand;
        final String vendorField;

        Kind(String id, String type, String brand, String vendorField) {
            this.id = id;
            this.type = type;
            this.brand = brand;
            this.vendorField = vendorField;
        }
    }

    /** A firmware build (DHDiscover Version), its build date and the CVEs to attach. */
    record Firmware(String version, String buildDate, List<String> cves) {
        String text() {
            return version + " build " + buildDate;
        }
    }

    static final List<String> CAMERA_MODELS = List.of("IPC-HDW2431T-AS-S2", "IPC-HFW2431S-S-S2",
            "IPC-HDBW5442E-ZE", "IPC-HFW5442E-ZE", "IPC-HDW3841EM-AS", "SD49225XA-HNR");
    static final List<String> RECORDER_MODELS = List.of("NVR4108HS-4KS2", "NVR5216-16P-4KS2E",
            "NVR2104HS-P-S2", "XVR5108HS-I3");
    static final List<String> AMCREST_MODELS = List.of("IP4M-1041B", "IP5M-T1179EW",
            "IP8M-2496EB", "IP2M-841B");
    static final List<String> LOREX_MODELS = List.of("E841CA", "LNE8964AB", "E892AB",
            "LNB8005");
    /**
     * CVE-2021-33044/33045 (KEV): Dahua's advisory covers builds before mid-2021; the exact
     * affected table is [U] in protocol-facts §5.2, so here every build dated before 2021-06 is
     * treated as affected and every later one as fixed. That cut-off is an assumption.
     */
    static final List<Firmware> FIRMWARE = List.of(
            new Firmware("2.800.0000000.16.R", "2019-08-06", List.of("CVE-2021-33044",
                    "CVE-2021-33045")),
            new Firmware("2.800.0000000.25.R", "2020-07-16", List.of("CVE-2021-33044",
                    "CVE-2021-33045")),
            new Firmware("2.820.0000000.5.R", "2021-02-24", List.of("CVE-2021-33044",
                    "CVE-2021-33045")),
            new Firmware("2.800.0000016.0.R", "2021-09-17", List.of()),
            new Firmware("2.840.0000000.9.R", "2023-03-21", List.of()));
    static final List<String> DAHUA_OUIS = List.of("3c:ef:8c", "e0:50:8b", "90:02:a9",
            "4c:11:bf", "a0:bd:1d", "bc:32:5f");
    static final List<String> AMCREST_OUIS = List.of("9c:8e:cd");
    static final List<String> LOREX_OUIS = List.of("00:1f:54");

    private final Kind kind;

    Dahua(Kind kind) {
        this.kind = kind;
    }

    @Override
    public String id() {
        return kind.id;
    }

    @Override
    public DeviceSpec create(String address, RandomGenerator r) {
        List<String> models = switch (kind) {
            case CAMERA -> CAMERA_MODELS;
            case RECORDER -> RECORDER_MODELS;
            case AMCREST -> AMCREST_MODELS;
            case LOREX -> LOREX_MODELS;
        };
        String model = Hikvision.pick(r, models);
        Firmware fw = Hikvision.pick(r, FIRMWARE);
        String serial = switch (kind) {
            case AMCREST -> "AMC" + hex(r, 15).toUpperCase(Locale.ROOT);
            case LOREX -> "ND0" + (21 + r.nextInt(3)) + String.format("%02d", 1 + r.nextInt(12))
                    + String.format("%06d", r.nextInt(1_000_000));
            default -> (1 + r.nextInt(9)) + alnum(r, 14);
        };
        String mac = Macs.random(r, Hikvision.pick(r, switch (kind) {
            case AMCREST -> AMCREST_OUIS;
            case LOREX -> LOREX_OUIS;
            default -> DAHUA_OUIS;
        }));
        boolean cloud = kind == Kind.CAMERA || kind == Kind.RECORDER ? r.nextInt(3) > 0 : false;
        Map<String, String> a = new LinkedHashMap<>();
        a.put("cloud", Boolean.toString(cloud));
        a.put("vendor", kind.vendorField);
        a.put("onvif.manufacturer", kind == Kind.CAMERA || kind == Kind.RECORDER
                ? "Dahua"
                : kind.brand);
        a.put("device_class", kind == Kind.RECORDER
                ? (model.startsWith("XVR") ? "XVR" : "NVR")
                : "IPC");
        a.put("oem_rebrand", Boolean.toString(kind == Kind.AMCREST || kind == Kind.LOREX));
        a.put("cves_by_build_date", String.join(",", fw.cves()));
        List<String> findings = new ArrayList<>(ExpectedFindings.HIKVISION_DAHUA);
        // DHDiscover gives the version without its build date, so an auditor cannot place a build
        // before or after the mid-2021 fix: both CVEs are reported as unknown on every build (the
        // builds really affected are in the cves_by_build_date attribute)
        findings.addAll(List.of("CVE-2021-33044", "CVE-2021-33045"));
        if (kind == Kind.AMCREST) {
            findings.add("CVE-2020-5735"); // KEV, Amcrest; affected builds not in the pack: unknown
        } else {
            findings.add(ExpectedFindings.PLAIN_HTTP_LOGIN);
        }
        // the Easy4IP cloud link (attribute cloud) shows only in traffic
        return new DeviceSpec(address, mac, id(), kind.brand, "Dahua", model, fw.text(), kind.type,
                serial, a, findings);
    }

    private static String hex(RandomGenerator r, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(Character.forDigit(r.nextInt(16), 16));
        }
        return b.toString();
    }

    private static String alnum(RandomGenerator r, int n) {
        String chars = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(chars.charAt(r.nextInt(chars.length())));
        }
        return b.toString();
    }

    @Override
    public List<Integer> tcpPorts(DeviceSpec d) {
        return List.of(80, 554, 37777);
    }

    @Override
    public List<Integer> udpPorts(DeviceSpec d) {
        return List.of(37810, 3702);
    }

    @Override
    public void converse(DeviceSpec d, int port, Connection c) throws IOException {
        switch (port) {
            // the SDK port says nothing until spoken to; no SDK request is ever answered
            case 37777 -> c.readSome(10_000);
            case 554 -> Rtsp.converse(d, c, new Rtsp.Style("Dahua Rtsp Server",
                    "OPTIONS, DESCRIBE, ANNOUNCE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER,"
                            + " SET_PARAMETER",
                    "Digest realm=\"" + realm(d) + "\", nonce=\"" + Rtsp.nonce(d) + "\"",
                    "Basic realm=\"device\""),
                    // an HTTP request on the RTSP port: 405 in RTSP, CSeq 0 after the length
                    r -> Optional.of("RTSP/1.0 405 Method Not Allowed\r\nServer: Dahua Rtsp Server"
                            + "\r\nContent-Length: 0\r\nCSeq: 0\r\n\r\n"));
            default -> web(d, c, port);
        }
    }

    static String realm(DeviceSpec d) {
        return "Login to " + d.serial();
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
        String host = d.address() + (port == 80 ? "" : ":" + port);
        if (r.method().equals("POST") && path.equals("/onvif/device_service")) {
            Http.Response soap = Onvif.deviceService(d, body, "", false, host);
            if (soap.statusLine().contains("401")) {
                // Dahua answers GetDeviceInformation only with credentials, and says how
                soap.headers().put("WWW-Authenticate", "Digest realm=\"" + realm(d)
                        + "\", qop=\"auth\", nonce=\"" + Rtsp.nonce(d) + "\"");
            }
            return soap;
        }
        if (path.equals("/") || path.equals("/index.html")) {
            return kind == Kind.AMCREST ? amcrestIndex(d) : index(d);
        }
        if (path.equals("/custom_lang/English.txt") && kind == Kind.AMCREST) {
            return Http.reply("HTTP/1.1 200 OK", "{\"w_camera_info\":\"Camera Info\","
                    + "\"w_device_type\":\"Device Type\",\"w_copyright\":\"Copyright 2021 Amcrest"
                    + " Technologies. All rights reserved.\"}\n", "CONNECTION", "close",
                    "CONTENT-LENGTH", "", "CONTENT-TYPE", "text/plain");
        }
        if (path.equals("/favicon.ico")) {
            return Http.reply("HTTP/1.1 200 OK", Icons.icon(kind == Kind.AMCREST
                    ? "amcrest"
                    : "dahua"), "CONNECTION", "close", "CONTENT-LENGTH", "", "CONTENT-TYPE",
                    "image/x-icon");
        }
        if (path.startsWith("/cgi-bin/") || path.startsWith("/RPC2") || path.startsWith("/ISAPI")) {
            return Http.reply("HTTP/1.1 401 Unauthorized", "", "CONNECTION", "close",
                    "WWW-Authenticate", "Digest realm=\"" + realm(d) + "\", qop=\"auth\", nonce=\""
                            + Rtsp.nonce(d) + "\", opaque=\"" + Long.toHexString(d.serial()
                                    .hashCode() & 0xffffffffL)
                            + "\"",
                    "CONTENT-LENGTH", "");
        }
        return Http.reply("HTTP/1.1 404 Not Found", "<html><head><title>404 Not Found</title>"
                + "</head><body><h1>Not Found</h1></body></html>", "CONNECTION", "close",
                "CONTENT-LENGTH", "", "CONTENT-TYPE", "text/html");
    }

    /**
     * The Dahua web UI index: no Server header, upper-case header names, a UTF-8 BOM, CRLF lines,
     * title {@code WEB SERVICE} and the login script markers.
     */
    private Http.Response index(DeviceSpec d) {
        String title = kind == Kind.LOREX ? "LOREX" : "WEB SERVICE";
        String page = "\uFEFF<!DOCTYPE html>\r\n<html>\r\n<head>\r\n<title>" + title
                + "</title>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html;"
                + " charset=utf-8\"/>\r\n<link rel=\"stylesheet\" href=\"jsBase/widget/css/"
                + "ui.css?version=@WebVersion@\"/>\r\n<script src=\"jsBase/lib/jquery.js?version="
                + "@WebVersion@\"></script>\r\n</head>\r\n<body>\r\n<div class=\"ui-dialog-content"
                + "\" id=\"login\"><input id=\"t_username\" type=\"text\"/><input id=\"t_password"
                + "\" type=\"password\"/><a class=\"u-button\">Login</a></div>\r\n<script>\r\n"
                + "var loginUrl = \"/RPC2_Login\";\r\nvar loginRequest = {\"method\":\"global.login"
                + "\",\"params\":{\"userName\":\"\",\"password\":\"\",\"clientType\":\"Web3.0\"},"
                + "\"id\":10000};\r\n</script>\r\n</body>\r\n</html>\r\n";
        return Http.reply("HTTP/1.1 200 OK", page, "CONNECTION", "close", "CONTENT-LENGTH", "",
                "CONTENT-TYPE", "text/html");
    }

    /** Amcrest's index: Date, Last-Modified, Etag and no-cache before the type; empty title. */
    private Http.Response amcrestIndex(DeviceSpec d) {
        String page = "<!DOCTYPE html>\r\n<html>\r\n<head>\r\n    <title></title>\r\n"
                + "    <meta charset=\"utf-8\">\r\n    <script src=\"/jsBase/lib/jquery.js?version="
                + "@WebVersion@\"></script>\r\n</head>\r\n<body>\r\n<div id=\"login\"><input id="
                + "\"t_username\"/><a>Login</a></div>\r\n<script>var lang=\"/custom_lang/English.txt"
                + "\";var rpc=\"/RPC2_Login\";var m={\"method\":\"global.login\"};</script>\r\n"
                + "</body>\r\n</html>\r\n";
        return Http.reply("HTTP/1.1 200 OK", page, "CONNECTION", "close", "Date", Http.date(),
                "Last-Modified", "Thu, 17 Jun 2021 06:12:40 GMT", "Etag", "\"1623910360:"
                        + Integer.toHexString(page.length()) + "\"",
                "CONTENT-LENGTH", "", "CACHE-CONTROL", "max-age=0", "CONTENT-TYPE", "text/html");
    }

    @Override
    public Optional<byte[]> answer(DeviceSpec d, int port, byte[] request) {
        if (port == 3702) {
            return Onvif.probeMatch(d, request, Onvif.scopes(d.model(), d.attribute(
                    "onvif.manufacturer", "Dahua")), 80);
        }
        String version = d.firmware().substring(0, d.firmware().indexOf(' '));
        String info = "{\"AlarmInputChannels\":" + (kind == Kind.RECORDER ? 4 : 1)
                + ",\"AlarmOutputChannels\":" + (kind == Kind.RECORDER ? 2 : 1)
                + ",\"DeviceClass\":\"" + d.attribute("device_class", "IPC")
                + "\",\"DeviceType\":\"" + d.model() + "\",\"HttpPort\":80,\"IPv4Address\":{"
                + "\"DefaultGateway\":\"127.0.0.1\",\"DhcpEnable\":false,\"IPAddress\":\""
                + d.address() + "\",\"SubnetMask\":\"255.0.0.0\"},\"IPv6Address\":{"
                + "\"DefaultGateway\":\"\",\"DhcpEnable\":false,\"IPAddress\":\"/64\"},"
                + "\"MachineName\":\"" + d.serial() + "\",\"Port\":37777,"
                + "\"RemoteVideoInputChannels\":0,\"SerialNo\":\"" + d.serial()
                + "\",\"Vendor\":\"" + d.attribute("vendor", "General") + "\",\"Version\":\""
                + version + "\",\"VideoInputChannels\":" + (kind == Kind.RECORDER ? 8 : 1)
                + ",\"VideoOutputChannels\":" + (kind == Kind.RECORDER ? 1 : 0) + "}";
        return Discovery.dhDiscover(request, d.mac(), info);
    }
}
