package org.camaudit.testbed;

import static org.camaudit.testbed.Hikvision.pick;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * TP-Link cameras, two lines from protocol-facts.md §2.8. The legacy NC cloud cameras: realm
 * {@code TP-LINK IP-Camera} and the certificate {@code CN=TP-LINK CA, O=TP-LINK Technologies CO.,
 * LTD.} ({@link Tls#TPLINK}) [V recog], and a public {@code /profile} script with
 * {@code initProdNbr="…";} and {@code BrandCopyright="TP-Link ";} [V Greenbone]. The Tapo line:
 * RTSP {@code /stream1}/{@code /stream2} on 554 and ONVIF on 2020 [S; port U]; CVE-2021-4045
 * (uhttpd command injection) for Tapo C200 firmware before 1.1.16 [S]. MAC prefixes 50:c7:bf,
 * 98:da:c4, f4:f2:6d are TP-Link's in the IEEE registry (Debian ieee-data); the facts' §4 does
 * not list TP-Link. Not a covered vendor.
 */
final class TpLink implements Personality {
    /** A model, its line, a firmware build and the CVEs for it. */
    record Build(String model, boolean tapo, String firmware, List<String> cves) {
    }

    static final List<Build> BUILDS = List.of(
            new Build("NC200", false, "2.1.8 Build 171109 Rel.61066", List.of()),
            new Build("NC220", false, "1.3.0 Build 180105 Rel.72050", List.of()),
            new Build("NC250", false, "1.2.1 Build 170515 Rel.57542", List.of()),
            new Build("NC450", false, "1.5.0 Build 181022 Rel.3A033D", List.of()),
            new Build("Tapo C200", true, "1.1.15 Build 211130 Rel.37035n", List.of(
                    "CVE-2021-4045")),
            new Build("Tapo C200", true, "1.1.18 Build 220518 Rel.32528n", List.of()),
            new Build("Tapo C210", true, "1.3.7 Build 230301 Rel.52803n", List.of()),
            new Build("Tapo C310", true, "1.3.0 Build 220328 Rel.79512n", List.of()));
    static final List<String> OUIS = List.of("50:c7:bf", "98:da:c4", "f4:f2:6d");
    static final String REALM = "TP-LINK IP-Camera";

    @Override
    public String id() {
        return "tplink-camera";
    }

    @Override
    public DeviceSpec create(String address, RandomGenerator r) {
        Build b = pick(r, BUILDS);
        String serial = String.format("%d%010d", 2 + r.nextInt(2), r.nextLong(10_000_000_000L));
        Map<String, String> a = new LinkedHashMap<>();
        a.put("country", "CN");
        a.put("line", b.tapo() ? "tapo" : "nc");
        a.put("onvif.manufacturer", "TP-LINK");
        return new DeviceSpec(address, Macs.random(r, pick(r, OUIS)), id(), "TP-Link", "TP-Link",
                b.model(), b.firmware(), "camera", serial, a, expected(b));
    }

    /**
     * A PRC company (UK 2022) on the Texas list (2026); the NC line's web UI challenges on plain http and serves the
     * TP-LINK CA default certificate; the Tapo line shows neither.
     */
    static List<String> expected(Build b) {
        List<String> out = new java.util.ArrayList<>(b.cves());
        out.addAll(ExpectedFindings.PRC_COMPANY);
        out.add(ExpectedFindings.TEXAS);
        if (!b.tapo()) {
            out.add(ExpectedFindings.PLAIN_HTTP_LOGIN);
            out.add(ExpectedFindings.DEFAULT_TLS);
        }
        return out;
    }

    private static boolean tapo(DeviceSpec d) {
        return d.attribute("line", "nc").equals("tapo");
    }

    @Override
    public List<Integer> tcpPorts(DeviceSpec d) {
        return tapo(d) ? List.of(554, 2020) : List.of(80, 443);
    }

    @Override
    public List<Integer> udpPorts(DeviceSpec d) {
        return tapo(d) ? List.of(3702) : List.of();
    }

    @Override
    public void converse(DeviceSpec d, int port, Connection c) throws IOException {
        switch (port) {
            case 554 -> Rtsp.converse(d, c, new Rtsp.Style("",
                    "OPTIONS, DESCRIBE, SETUP, TEARDOWN, PLAY, GET_PARAMETER, SET_PARAMETER",
                    DeviceWeb.digest(d, "TP-LINK Streaming Media"))); // realm [U]
            case 2020 -> DeviceWeb.serveOne(c, (r, body) -> onvifPort(d, r, body, port));
            case 443 -> Tls.serve(c, Tls.TPLINK, tls -> DeviceWeb.serveOne(tls, (r,
                    body) -> nc(d, r, port)));
            default -> DeviceWeb.serveOne(c, (r, body) -> nc(d, r, port));
        }
    }

    Http.Response onvifPort(DeviceSpec d, Request r, String body, int port) {
        if (r.method().equals("POST") && r.path().startsWith("/onvif/")) {
            return DeviceWeb.withoutEmptyHeaders(Onvif.deviceService(d, body, "", false,
                    DeviceWeb.host(d, port)));
        }
        return Http.reply("HTTP/1.1 404 Not Found", "", "Connection", "close");
    }

    /** The NC web server: a public profile script and favicon, Basic auth for the rest. */
    Http.Response nc(DeviceSpec d, Request r, int port) {
        String path = r.path();
        if (path.equals("/profile")) {
            return Http.reply("HTTP/1.1 200 OK", "var initProdNbr=\"" + d.model() + "\";\n"
                    + "var initSwVer=\"" + d.firmware() + "\";\n"
                    + "var BrandCopyright=\"TP-Link \";\nvar BrandName=\"TP-Link\";\n",
                    "Content-Type", "application/x-javascript", "Connection", "close");
        }
        if (path.equals("/favicon.ico")) {
            return Http.reply("HTTP/1.1 200 OK", Icons.icon("tplink"), "Content-Type",
                    "image/x-icon", "Connection", "close");
        }
        return Http.reply("HTTP/1.1 401 Unauthorized", Http.html("401 Unauthorized",
                "<h1>401 Unauthorized</h1>"), "WWW-Authenticate", "Basic realm=\"" + REALM + "\"",
                "Content-Type", "text/html", "Connection", "close");
    }

    @Override
    public Optional<byte[]> answer(DeviceSpec d, int port, byte[] request) {
        return Onvif.probeMatch(d, request, DeviceWeb.scopes(d.model().replace("Tapo ", ""),
                "TP-LINK", "shenzhen"), 2020);
    }
}
