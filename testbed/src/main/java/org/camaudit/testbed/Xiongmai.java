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
 * Xiongmai ("NETSurveillance", "Sofia") DVRs and IP cameras, sold under many labels. From
 * protocol-facts.md §1.2 (ONVIF on 8899, GetDeviceInformation answered anonymously), §1.5 (DVRIP
 * TCP 34567, discovery UDP 34569 answered by message 1531 with NetWork.NetCommon, debug ports
 * 9527/9530 and telnet 23), §2.3 ({@code uc-httpd 1.0.0}, title {@code NETSurveillance WEB},
 * {@code /Login.htm} with the misspelt {@code NetSuveillanceWebCookie}, RTSP {@code H264DVR}),
 * §5.2 (CVE-2019-11878 for V4.02.R12 builds; XMEye cloud on by default) and from the shape nmap's
 * service database expects of these devices' replies.
 *
 * <p>The RTSP stream is open: stock firmware takes credentials in the stream URL
 * ({@code /user=admin&password=&channel=1&stream=0.sdp}) and ships with a blank admin password
 * (SEC Consult 2018, protocol-facts §1.5), so an unauthenticated DESCRIBE returns the SDP.
 */
final class Xiongmai implements Personality {
    static final String RTSP_PUBLIC = "OPTIONS, DESCRIBE, SETUP, TEARDOWN, GET_PARAMETER,"
            + " SET_PARAMETER, PLAY, PAUSE";

    /** A firmware build, its build date and the CVEs to attach. */
    record Firmware(String version, String buildDate, List<String> cves) {
        String text() {
            return version + " build " + buildDate;
        }
    }

    static final List<String> DVR_MODELS = List.of("AHB7804R-MH", "AHB7008T-GS",
            "NBD7904T-F", "XM-NVR-2008");
    static final List<String> IPC_MODELS = List.of("IPG-53H20PL-S", "IPG-HP500NR",
            "50H20L", "IPC-XM530-5MP");
    /** Labels XM firmware is sold under (protocol-facts §3.1 names these among >100). */
    static final List<String> BRANDS = List.of("Besder", "Techage", "Nextrend", "Autoeye",
            "Xiongmai");
    /**
     * CVE-2019-11878 is confirmed for V4.02.R12 builds (Besder IP20H1, protocol-facts §5.2);
     * other uc-httpd CVE ids there are [U] and are not attached.
     */
    static final List<Firmware> FIRMWARE = List.of(
            new Firmware("V4.02.R12.A6420144.12201.140500.0000000", "2018-06-14", List.of(
                    "CVE-2019-11878")),
            new Firmware("V4.02.R12.00035520.10010.140400.0000000", "2019-03-02", List.of(
                    "CVE-2019-11878")),
            new Firmware("V4.03.R11.00000532.10010.240100.0000000", "2019-11-08", List.of()),
            new Firmware("V5.00.R02.000529B2.10010.040400.0020000", "2021-04-29", List.of()));
    /**
     * Xiongmai has no registered OUI (protocol-facts §4); its boards carry MACs of no vendor of
     * record. These prefixes are placeholders of that kind, not an XM tell. [U]
     */
    static final List<String> OUIS = List.of("00:12:12", "00:12:13", "00:12:41");

    private final boolean debug;

    Xiongmai(boolean debug) {
        this.debug = debug;
    }

    @Override
    public String id() {
        return debug ? "xiongmai-dvr-debug" : "xiongmai-dvr";
    }

    @Override
    public DeviceSpec create(String address, RandomGenerator r) {
        boolean dvr = r.nextBoolean();
        String model = Hikvision.pick(r, dvr ? DVR_MODELS : IPC_MODELS);
        Firmware fw = Hikvision.pick(r, FIRMWARE);
        String brand = Hikvision.pick(r, BRANDS);
        StringBuilder sn = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            sn.append(Character.forDigit(r.nextInt(16), 16));
        }
        String mac = Macs.random(r, Hikvision.pick(r, OUIS));
        boolean cloud = r.nextInt(10) > 0; // XMEye P2P is on by default
        Map<String, String> a = new LinkedHashMap<>();
        a.put("cloud", Boolean.toString(cloud));
        a.put("onvif.manufacturer", "XM"); // what these ONVIF servers report [U]
        a.put("onvif.hardware", dvr ? "DVR" : "IPC");
        a.put("build_date", fw.buildDate());
        a.put("telnet", Boolean.toString(debug));
        // the label is on the box only: stock XM firmware answers with no brand of its own (the
        // OEM id travels only in its cloud registration, protocol-facts §1.5), so no auditor can
        // read it from the network
        a.put("brand_on_wire", Boolean.toString(brand.equals("Xiongmai")));
        List<String> findings = new ArrayList<>(fw.cves());
        findings.addAll(ExpectedFindings.PRC_COMPANY);
        // DVRIP on 34567, anonymous ONVIF device information on 8899, login form on plain http
        findings.addAll(List.of("dvrip-open", "onvif-anonymous-device-info",
                ExpectedFindings.PLAIN_HTTP_LOGIN));
        if (debug) {
            findings.add("xiongmai-debug-port-9527");
            findings.add("xiongmai-debug-port-9530");
            findings.add("telnet-open");
        }
        // the XMEye cloud link (attribute cloud) shows only in traffic
        return new DeviceSpec(address, mac, id(), brand, "Xiongmai", model, fw.text(), dvr
                ? "dvr"
                : "camera", sn.toString(), a, findings);
    }

    @Override
    public List<Integer> tcpPorts(DeviceSpec d) {
        List<Integer> ports = new ArrayList<>(List.of(80, 554, 8899, 34567));
        if (debug) {
            ports.addAll(List.of(23, 9527, 9530));
        }
        return ports;
    }

    @Override
    public List<Integer> udpPorts(DeviceSpec d) {
        return List.of(34569, 3702);
    }

    @Override
    public void converse(DeviceSpec d, int port, Connection c) throws IOException {
        switch (port) {
            // DVRIP and the 9530 helper wait to be spoken to; nothing sent to them is answered
            case 34567, 9530 -> c.readSome(10_000);
            case 9527 -> {
                c.write("\r\nLocalHost login: ");
                c.readSome(10_000);
            }
            case 23 -> {
                c.write("\r\n(none) login: ");
                c.readSome(10_000);
            }
            case 554 -> Rtsp.converse(d, c, new Rtsp.Style("H264DVR 1.0", RTSP_PUBLIC),
                    // RTSP-over-HTTP tunnelling is offered to an HTTP GET
                    r -> Optional.of("HTTP/1.1 200 OK\r\nContent-Type: application/x-rtsp-tunnelled"
                            + "\r\nServer: H264DVR 1.0\r\nConnection: close\r\nCache-Control: private"
                            + "\r\n\r\n"));
            case 8899 -> onvif(d, c);
            default -> web(d, c);
        }
    }

    /** The ONVIF server on 8899: SOAP on POST (anonymous device information), 405 otherwise. */
    private void onvif(DeviceSpec d, Connection c) throws IOException {
        Optional<Request> next = c.readRequest();
        if (next.isEmpty()) {
            return;
        }
        Request r = next.get();
        byte[] body = c.readBody(r);
        if (r.method().equals("POST")) {
            c.write(Onvif.deviceService(d, new String(body, StandardCharsets.UTF_8), "", true, d
                    .address() + ":8899").bytes());
            return;
        }
        c.write(Http.reply("HTTP/1.1 405 Method Not Allowed", "", "Content-Type", "text/html",
                "Connection", "close").bytes());
    }

    private void web(DeviceSpec d, Connection c) throws IOException {
        Optional<Request> next = c.readRequest();
        if (next.isEmpty()) {
            return;
        }
        Request r = next.get();
        c.readBody(r);
        c.write(route(d, r).bytes());
    }

    Http.Response route(DeviceSpec d, Request r) {
        String path = r.path();
        if (path.equals("/") || path.equals("/index.htm") || path.equals("/Login.htm")) {
            String page = "<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html;"
                    + " charset=utf-8\">\n<title>NETSurveillance WEB</title>\n"
                    + "<script type=\"text/javascript\" src=\"mootools.js\"></script>\n"
                    + "<script type=\"text/javascript\" src=\"English.js\"></script>\n"
                    + "<script type=\"text/javascript\">\nvar myCookie = Hash.Cookie("
                    + "'NetSuveillanceWebCookie',{duration:30,path:'/'});\n</script>\n</head>\n"
                    + "<body>\n<form action=\"/Login.htm\" method=\"post\"><input name=\"username\""
                    + " type=\"text\"/><input name=\"password\" type=\"password\"/>"
                    + "<input type=\"submit\" value=\"Login\"/></form>\n</body>\n</html>\n";
            return Http.reply("HTTP/1.0 200 OK", page, "Content-type", "text/html", "Server",
                    "uc-httpd 1.0.0", "Expires", "0");
        }
        if (path.equals("/English.js")) {
            return Http.reply("HTTP/1.0 200 OK",
                    "var lg = new Hash({title:\"Digital Video Recorder\","
                            + "Login:\"Login\",UserName:\"User Name\",Password:\"Password\"});\n",
                    "Content-type", "application/javascript", "Server", "uc-httpd 1.0.0");
        }
        if (path.equals("/favicon.ico")) {
            return Http.reply("HTTP/1.0 200 OK", Icons.icon("xiongmai"), "Content-type",
                    "image/x-icon", "Server", "uc-httpd 1.0.0");
        }
        return Http.reply("HTTP/1.0 404 File Not Found", "<HTML><HEAD><TITLE>404 File Not Found"
                + "</TITLE></HEAD>\n<BODY><H1>404 File Not Found</H1>\nThe requested URL "
                + "was not found on this server.</BODY></HTML>\n", "Content-type", "text/html",
                "Server", "uc-httpd 1.0.0");
    }

    @Override
    public Optional<byte[]> answer(DeviceSpec d, int port, byte[] request) {
        if (port == 3702) {
            return Onvif.probeMatch(d, request, Onvif.scopes(d.attribute("onvif.hardware", "IPC"),
                    d.attribute("onvif.manufacturer", "XM")), 8899);
        }
        String netCommon = "{ \"BuildDate\" : \"" + d.attribute("build_date", "") + "\","
                + " \"ChannelNum\" : " + (d.type().equals("dvr") ? 8 : 1) + ", \"DeviceType\" : "
                + (d.type().equals("dvr") ? 1 : 0) + ", \"GateWay\" : \"0x0100007F\","
                + " \"HostIP\" : \"" + xmIp(d.address()) + "\", \"HostName\" : \"LocalHost\","
                + " \"HttpPort\" : 80, \"MAC\" : \"" + d.mac() + "\", \"MaxBps\" : 0,"
                + " \"MonMode\" : \"TCP\", \"SN\" : \"" + d.serial() + "\", \"SSLPort\" : 8443,"
                + " \"SoftWareVersion\" : \"" + d.firmware().substring(0, d.firmware().indexOf(' '))
                + "\", \"Submask\" : \"0x000000FF\", \"TCPMaxConn\" : 10, \"TCPPort\" : 34567,"
                + " \"TransferPlan\" : \"Quality\", \"UDPPort\" : 34568, \"UseHSDownLoad\" : false }";
        return Discovery.dvrip(request, netCommon);
    }

    /** XM firmware writes IPv4 addresses as little-endian hex: 192.168.1.10 is 0x0A01A8C0. */
    static String xmIp(String dotted) {
        String[] p = dotted.split("\\.");
        return String.format(Locale.ROOT, "0x%02X%02X%02X%02X", Integer.parseInt(p[3]), Integer
                .parseInt(p[2]), Integer.parseInt(p[1]), Integer.parseInt(p[0]));
    }
}
