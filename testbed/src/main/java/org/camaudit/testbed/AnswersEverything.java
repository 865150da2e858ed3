package org.camaudit.testbed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A honeypot that answers everything: {@code 200 OK} to every request on every camera port, with
 * every vendor keyword of protocol-facts.md (web servers, titles, realms, RTSP servers, banners)
 * in its headers and body, and a discovery reply full of the same keywords to every discovery
 * protocol the scanner sends. On ports where the server speaks first (banners, SDK ports: all but
 * {@link #CLIENT_FIRST}) it greets with the same reply at once and answers a request after it, so
 * connect-only banner probes record the keywords too. An identification
 * engine must call it nothing: as nuclei-templates do with their answer-everything server, a hit
 * here means a matcher is too weak.
 *
 * <p>The reply's status line follows the request's protocol ({@code RTSP/1.0 200 OK} to an RTSP
 * request, {@code HTTP/1.1 200 OK} otherwise), so that the RTSP probe fills its fields with the
 * keywords as well instead of stopping at a status line it cannot read.
 */
final class AnswersEverything implements Personality {
    /** Every vendor keyword the facts give as a tell; the honeypot says all of them. */
    static final List<String> KEYWORDS = List.of("App-webs", "DNVRS-Webs", "DVRDVS-Webs",
            "Hikvision-Webs", "HIKVISION", "Hikvision", "DVRNVRDVS", "/doc/page/login.asp",
            "Dahua", "Dahua Rtsp Server", "RPC2_Login", "global.login", "WEB SERVICE",
            "Login to ", "uc-httpd", "NETSurveillance", "NetSuveillanceWebCookie", "H264DVR",
            "Xiongmai", "Hipcam RealServer", "HiIpcam", "Axis", "AXIS", "Axis Communications AB",
            "Hanwha Techwin", "NET-i", "Samsung", "Bosch", "Use 'live' as User Name", "AutoDome",
            "FLEXIDOME", "Milesight Network Camera", "Reolink", "please login first",
            "TP-LINK IP-Camera", "initProdNbr", "BrandCopyright", "TP-Link", "Tapo", "Uniview",
            "Amcrest", "Lorex", "Vivotek Network Camera", "AvigilonOnvifNvt", "Arecont Vision",
            "192.0.0.64 login:");
    /** The camera ports of the scanner's default scope: the honeypot listens on all of them. */
    static final List<Integer> PORTS = List.of(21, 22, 23, 80, 443, 554, 2020, 8000, 8080, 8443,
            8554, 8899, 9000, 9527, 9530, 34567, 37777);
    static final List<Integer> UDP_PORTS = List.of(1900, 3702, 34569, 37020, 37810);
    /** Ports where clients speak first (web, RTSP, TLS); on all others the honeypot greets. */
    static final java.util.Set<Integer> CLIENT_FIRST = java.util.Set.of(80, 443, 554, 2020, 8080,
            8443, 8554, 8899);
    static final String SERVER = "App-webs/ DNVRS-Webs uc-httpd 1.0.0 Dahua Rtsp Server"
            + " H264DVR 1.0 Hikvision-Webs Hipcam RealServer/V1.0 AvigilonOnvifNvt/1.0";

    @Override
    public String id() {
        return "answers-everything";
    }

    @Override
    public DeviceSpec create(String address, RandomGenerator r) {
        // a locally administered MAC: no maker's prefix to lean on
        String mac = String.format("02:%02x:%02x:%02x:%02x:%02x", r.nextInt(256), r.nextInt(256), r
                .nextInt(256), r.nextInt(256), r.nextInt(256));
        return new DeviceSpec(address, mac, id(), "", "", "", "", "honeypot", String.format("%012d",
                r.nextLong(1_000_000_000_000L)), Map.of(), List.of());
    }

    @Override
    public List<Integer> tcpPorts(DeviceSpec d) {
        return PORTS;
    }

    @Override
    public List<Integer> udpPorts(DeviceSpec d) {
        return UDP_PORTS;
    }

    static String keywordText() {
        return String.join(" | ", KEYWORDS);
    }

    @Override
    public void converse(DeviceSpec d, int port, Connection c) throws IOException {
        if (port == 443 || port == 8443) {
            Tls.serve(c, Tls.GENERIC, tls -> answerAll(d, port, tls));
        } else {
            answerAll(d, port, c);
        }
    }

    private void answerAll(DeviceSpec d, int port, Connection c) throws IOException {
        if (!CLIENT_FIRST.contains(port)) {
            c.write(reply(d, "HTTP/1.1", "/")); // greets first, and answers a request as well
        }
        byte[] first = c.readSome(CLIENT_FIRST.contains(port) ? 10_000 : 2_000);
        if (first.length == 0) {
            return;
        }
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        got.writeBytes(first);
        int headEnd;
        while ((headEnd = headEnd(got.toByteArray())) < 0 && got.size() < Connection.MAX_HEAD) {
            byte[] more = c.readSome(2_000);
            if (more.length == 0) {
                break;
            }
            got.writeBytes(more);
        }
        if (headEnd < 0) {
            c.write(reply(d, "HTTP/1.1", "/")); // not a request at all: 200 anyway
            return;
        }
        Request r = Request.parse(new String(got.toByteArray(), 0, headEnd,
                StandardCharsets.ISO_8859_1));
        // read the rest of the body, so that closing does not reset the connection
        long missing = Math.min(Connection.MAX_HEAD, r.contentLength()) - (got.size() - headEnd);
        while (missing > 0) {
            byte[] more = c.readSome(2_000);
            if (more.length == 0) {
                break;
            }
            missing -= more.length;
        }
        String protocol = r.protocol().startsWith("RTSP") ? "RTSP/1.0" : "HTTP/1.1";
        c.write(reply(d, protocol, r.path()));
    }

    private static int headEnd(byte[] b) {
        for (int i = 3; i < b.length; i++) {
            if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    /** The one reply: every keyword in headers and body; SOAP for ONVIF paths, HTML else. */
    static byte[] reply(DeviceSpec d, String protocol, String path) {
        boolean soap = path.contains("onvif");
        String words = keywordText();
        String body = soap
                ? Onvif.ENVELOPE_OPEN + "<tds:GetDeviceInformationResponse><tds:Manufacturer>"
                        + xml(words) + "</tds:Manufacturer><tds:Model>" + xml(words)
                        + "</tds:Model><tds:FirmwareVersion>V5.4.0 build 160530</tds:FirmwareVersion>"
                        + "<tds:SerialNumber>" + d.serial() + "</tds:SerialNumber><tds:HardwareId>"
                        + xml(words) + "</tds:HardwareId></tds:GetDeviceInformationResponse>"
                        + Onvif.ENVELOPE_CLOSE
                : Http.html("NETSurveillance WEB " + words, "<div class=\"ui-dialog-content\">"
                        + words + "</div><script>Hash.Cookie('NetSuveillanceWebCookie');"
                        + " var initProdNbr=\"NC200\"; var BrandCopyright=\"TP-Link \";"
                        + " $.post('/RPC2_Login', {\"method\":\"global.login\"});"
                        + " var m_szBrowser=\"/hikvision://\";</script>");
        StringBuilder head = new StringBuilder(protocol).append(" 200 OK\r\n");
        head.append("CSeq: 1\r\n");
        head.append("Server: ").append(SERVER).append("\r\n");
        head.append("Public: OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER\r\n");
        for (String realm : List.of("Hikvision", "DVRNVRDVS", "Login to " + d.serial(), "NET-i",
                "TP-LINK IP-Camera", "Use 'live' as User Name", "Arecont Vision")) {
            head.append("WWW-Authenticate: Digest realm=\"").append(realm).append(
                    "\", nonce=\"0\"\r\n");
        }
        head.append("Content-Type: ").append(soap
                ? "application/soap+xml; charset=utf-8"
                : "text/html; charset=utf-8").append("\r\n");
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        head.append("Content-Length: ").append(b.length).append("\r\nConnection: close\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public Optional<byte[]> answer(DeviceSpec d, int port, byte[] request) {
        String words = keywordText();
        return switch (port) {
            case 3702 -> Onvif.probeMatch(d, request, scopes(), 80);
            case 1900 -> Discovery.ssdp(request, "Linux/4.9 UPnP/1.0 " + words, "http://" + d
                    .address() + "/" + words.replace(' ', '_') + ".xml", "uuid:"
                            + java.util.UUID
                                    .nameUUIDFromBytes(
                                            d.serial().getBytes(StandardCharsets.UTF_8)));
            case 37020 -> {
                Map<String, String> f = new LinkedHashMap<>();
                f.put("DeviceType", "139");
                f.put("DeviceDescription", xml(words));
                f.put("DeviceSN", d.serial());
                f.put("CommandPort", "8000");
                f.put("HttpPort", "80");
                f.put("MAC", d.macDashes());
                f.put("IPv4Address", d.address());
                f.put("SoftwareVersion", "V5.4.0build 160530");
                f.put("OEMInfo", xml(words));
                yield Discovery.sadp(request, f);
            }
            case 37810 -> Discovery.dhDiscover(request, d.mac(), "{\"DeviceClass\":\"IPC\","
                    + "\"DeviceType\":\"" + json(words) + "\",\"MachineName\":\"" + json(words)
                    + "\",\"SerialNo\":\"" + d.serial() + "\",\"Vendor\":\"" + json(words)
                    + "\",\"Version\":\"2.800.0000000.0.R\",\"HttpPort\":80,\"Port\":37777}");
            case 34569 -> Discovery.dvrip(request, "{ \"HostName\" : \"" + json(words)
                    + "\", \"HostIP\" : \"0x00000000\", \"MAC\" : \"" + d.mac()
                    + "\", \"SN\" : \"" + d.serial() + "\", \"TCPPort\" : 34567,"
                    + " \"HttpPort\" : 80 }");
            default -> Optional.empty();
        };
    }

    /** One name scope per keyword: whatever a matcher looks for in scopes is there. */
    private static String scopes() {
        StringBuilder s = new StringBuilder("onvif://www.onvif.org/type/video_encoder");
        for (String k : KEYWORDS) {
            String v = java.net.URLEncoder.encode(k, StandardCharsets.UTF_8).replace("+", "%20");
            s.append(" onvif://www.onvif.org/name/").append(v).append(
                    " onvif://www.onvif.org/hardware/").append(v);
        }
        return s.toString();
    }
}
