package org.camaudit.testbed;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Hikvision IP cameras and NVRs, and Hikvision firmware sold under another brand. From
 * protocol-facts.md §1.3 (SADP), §2.1 (web servers App-webs/ and DNVRS-Webs, legacy login page,
 * ISAPI behind Digest auth, SDK port 8000 banner, RTSP realm), §4 (MAC prefixes), §5 (firmware and
 * CVE-2017-7921 / CVE-2021-36260 ranges).
 */
final class Hikvision implements Personality {
    /** Which product and which label. */
    enum Kind {
        CAMERA("hikvision-camera", "camera"), NVR("hikvision-nvr", "nvr"),
        /** Hikvision firmware sold as another brand: web UI and OEMInfo change, tells stay. */
        OEM_CAMERA("hikvision-oem-camera", "camera");

        final String id;
        final String type;

        Kind(String id, String type) {
            this.id = id;
            this.type = type;
        }
    }

    /** A firmware build and the CVEs an auditor should attach to it. */
    record Firmware(String version, String build, List<String> cves) {
        String text() {
            return version + " build " + build;
        }
    }

    static final List<String> CAMERA_MODELS = List.of("DS-2CD2143G2-I", "DS-2CD2042WD-I",
            "DS-2CD2385G1-I", "DS-2CD2T47G2-L", "DS-2DE4225IW-DE", "DS-2CD2132F-IS");
    static final List<String> NVR_MODELS = List.of("DS-7608NI-K2", "DS-7616NI-I2/16P",
            "DS-7732NI-K4", "DS-9632NI-I8");
    static final List<Firmware> FIRMWARE = List.of(
            new Firmware("V5.4.0", "160530", List.of("CVE-2017-7921", "CVE-2021-36260")),
            new Firmware("V5.5.0", "170725", List.of("CVE-2021-36260")),
            new Firmware("V5.6.3", "190923", List.of("CVE-2021-36260")),
            new Firmware("V5.7.3", "220112", List.of()),
            new Firmware("V5.7.15", "230810", List.of()));
    static final List<String> OUIS = List.of("c0:56:e3", "44:19:b6", "bc:ad:28", "54:c4:15",
            "4c:bd:8f", "a4:14:37");
    /** OEM labels reported for Hikvision firmware (protocol-facts §3.1, treated per line). */
    static final List<String> OEM_BRANDS = List.of("Annke", "LTS");

    private final Kind kind;

    Hikvision(Kind kind) {
        this.kind = kind;
    }

    @Override
    public String id() {
        return kind.id;
    }

    @Override
    public DeviceSpec create(String address, RandomGenerator r) {
        boolean nvr = kind == Kind.NVR;
        String model = pick(r, nvr ? NVR_MODELS : CAMERA_MODELS);
        Firmware fw = pick(r, FIRMWARE);
        String serial = model.replace("/", "") + "20" + (17 + r.nextInt(7))
                + String.format("%02d%02d",
                        1 + r.nextInt(12), 1 + r.nextInt(28))
                + "CCWR" + (100_000_000 + r.nextInt(
                        899_999_999));
        String mac = Macs.random(r, pick(r, OUIS));
        boolean cloud = r.nextInt(3) > 0;
        String brand = kind == Kind.OEM_CAMERA ? pick(r, OEM_BRANDS) : "Hikvision";
        Map<String, String> a = new LinkedHashMap<>();
        a.put("cloud", Boolean.toString(cloud));
        a.put("oem_info", kind == Kind.OEM_CAMERA
                ? brand.toUpperCase(java.util.Locale.ROOT)
                : "HIKVISION");
        a.put("onvif.manufacturer", kind == Kind.OEM_CAMERA ? brand : "HIKVISION");
        a.put("telnet", Boolean.toString(nvr && r.nextInt(4) == 0));
        a.put("oem_rebrand", Boolean.toString(kind == Kind.OEM_CAMERA));
        List<String> findings = new ArrayList<>(ExpectedFindings.HIKVISION_DAHUA);
        findings.add(ExpectedFindings.CANADA_HIKVISION);
        for (String cve : fw.cves()) {
            if (!cve.equals("CVE-2017-7921") || ExpectedFindings.CVE_2017_7921_LINES.matcher(model)
                    .find()) {
                findings.add(cve);
            }
        }
        if (cloud) {
            findings.add("vendor-cloud-hik-connect");
        }
        if (a.get("telnet").equals("true")) {
            findings.add("telnet-open");
        }
        // the login page is served on plain http; NVRs also serve the vendor's default certificate
        findings.add(ExpectedFindings.PLAIN_HTTP_LOGIN);
        if (nvr) {
            findings.add(ExpectedFindings.DEFAULT_TLS);
        }
        return new DeviceSpec(address, mac, id(), brand, "Hikvision", model, fw.text(), kind.type,
                serial, a, findings);
    }

    static <T> T pick(RandomGenerator r, List<T> from) {
        return from.get(r.nextInt(from.size()));
    }

    @Override
    public List<Integer> tcpPorts(DeviceSpec d) {
        List<Integer> ports = new ArrayList<>(List.of(80, 554, 8000));
        if (kind == Kind.NVR) {
            ports.add(443);
        }
        if (d.attribute("telnet", "false").equals("true")) {
            ports.add(23);
        }
        return ports;
    }

    @Override
    public List<Integer> udpPorts(DeviceSpec d) {
        return List.of(37020, 3702);
    }

    @Override
    public void converse(DeviceSpec d, int port, Connection c) throws IOException {
        switch (port) {
            case 8000 -> c.write(sdkBanner()); // SDK port greets first, then waits for a login
            case 554 -> Rtsp.converse(d, c, new Rtsp.Style("",
                    "OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, PAUSE", "Digest realm=\"Hikvision\","
                            + " nonce=\"" + Rtsp.nonce(d) + "\", stale=\"FALSE\"",
                    "Basic realm=\"/\""));
            case 23 -> c.write("\r\n192.0.0.64 login: ");
            case 443 -> Tls.serve(c, Tls.HIKVISION, conn -> web(d, conn, 443));
            default -> web(d, c, port);
        }
    }

    /** The 16 bytes the SDK port (8000) sends on connect. */
    static byte[] sdkBanner() {
        return ByteBuffer.allocate(16).putInt(0x10).putInt(0x1e).putInt(0x1e).putInt(0).array();
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
        String server = kind == Kind.NVR ? "DNVRS-Webs" : "App-webs/";
        String path = r.path();
        String host = d.address() + (port == 80 ? "" : ":" + port);
        if (r.method().equals("POST") && path.equals("/onvif/device_service")) {
            return Onvif.deviceService(d, body, server, false, host);
        }
        if (path.startsWith("/ISAPI/")) {
            return Http.reply("HTTP/1.1 401 Unauthorized", Http.html("Document Error: Unauthorized",
                    "<h2>Access Error: 401 -- Unauthorized</h2>"), "Date", Http.date(), "Server",
                    server, "Content-Type", "text/html", "Connection", "close", "WWW-Authenticate",
                    "Digest qop=\"auth\", realm=\"" + (kind == Kind.NVR
                            ? "DVRNVRDVS"
                            : "IP Camera("
                                    + d.serial().substring(d.serial().length() - 8) + ")")
                            + "\", nonce=\""
                            + Rtsp.nonce(d) + "\", stale=\"FALSE\"");
        }
        String title = kind == Kind.OEM_CAMERA ? d.brand() : "";
        if (path.equals("/") || path.equals("/index.asp") || path.equals("/doc/page/login.asp")) {
            String page = path.equals("/")
                    ? "<html><head><title>" + title + "</title><script>window.location.href="
                            + "\"/doc/page/login.asp?_\" + (new Date()).getTime();</script></head>"
                            + "<body></body></html>\n"
                    : Http.html(title, "<div id=\"login\" class=\"login\"><span id=\"laUserName\">"
                            + "User Name</span><input id=\"username\"/><span id=\"laPassword\">Password"
                            + "</span><input id=\"password\" type=\"password\"/></div>"
                            + "<script src=\"../script/inc.js\"></script>");
            if (kind == Kind.NVR) {
                return Http.reply("HTTP/1.0 200 OK", page, "Date", Http.date(), "Server", server,
                        "ETag", "\"" + Long.toHexString(d.serial().hashCode() & 0xffffffffL) + "-"
                                + page.length() + "-5f3c2b1a\"",
                        "Content-Length", "", "Content-Type",
                        "text/html", "Connection", "close", "Last-Modified",
                        "Mon, 12 Dec 2022 08:00:00"
                                + " GMT");
            }
            return Http.reply("HTTP/1.0 200 OK", page, "Date", Http.date(), "Server", server,
                    "Content-Type", "text/html", "Connection", "close");
        }
        if (path.equals("/doc/script/inc.js")) {
            return Http.reply("HTTP/1.0 200 OK", "var m_szBrowser=\"/hikvision://\";\n"
                    + "function getOEM(){switch(m_szOEM){case\"HIKVISION\":return 0;}}\n", "Date",
                    Http.date(), "Server", server, "Content-Type", "application/javascript",
                    "Connection", "close");
        }
        if (path.equals("/favicon.ico")) {
            return Http.reply("HTTP/1.0 200 OK", Icons.icon("hikvision"), "Date", Http.date(),
                    "Server", server, "Content-Type", "image/x-icon", "Connection", "close");
        }
        return Http.reply("HTTP/1.0 404 Not Found", Http.html("Document Error: Not Found",
                "<h2>Access Error: 404 -- Not Found</h2><p>Can't locate document: " + path
                        + "</p>"),
                "Date", Http.date(), "Server", server, "Content-Type", "text/html", "Connection",
                "close");
    }

    @Override
    public Optional<byte[]> answer(DeviceSpec d, int port, byte[] request) {
        if (port == 3702) {
            return Onvif.probeMatch(d, request, Onvif.scopes(d.model(), d.attribute(
                    "onvif.manufacturer", "HIKVISION")), 80);
        }
        Map<String, String> f = new LinkedHashMap<>();
        f.put("DeviceType", kind == Kind.NVR ? "30011" : "139");
        f.put("DeviceDescription", d.model());
        f.put("DeviceSN", d.serial());
        f.put("CommandPort", "8000");
        f.put("HttpPort", "80");
        f.put("MAC", d.macDashes());
        f.put("IPv4Address", d.address());
        f.put("IPv4SubnetMask", "255.0.0.0");
        f.put("IPv4Gateway", "0.0.0.0");
        f.put("DHCP", "false");
        f.put("AnalogChannelNum", "0");
        f.put("DigitalChannelNum", kind == Kind.NVR ? "8" : "1");
        f.put("SoftwareVersion", d.firmware().replace(" build ", "build "));
        f.put("DSPVersion", "V7.3 build " + d.firmware().substring(d.firmware().length() - 6));
        f.put("BootTime", "2026-11-01 08:00:00");
        f.put("Encoder", "true");
        f.put("Activated", "true");
        f.put("PasswordResetAbility", "true");
        f.put("SupportHCPlatform", "true");
        f.put("HCPlatformEnable", d.attribute("cloud", "false"));
        f.put("OEMInfo", d.attribute("oem_info", "HIKVISION"));
        return Discovery.sadp(request, f);
    }
}
