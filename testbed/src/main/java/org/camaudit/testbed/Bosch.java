package org.camaudit.testbed;

import static org.camaudit.testbed.Hikvision.pick;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Bosch (Germany) IP cameras, from protocol-facts.md §2.7: the 401 realm beginning
 * {@code Use 'live' as User Name} [V recog; the facts elide the rest, so the realm ends there],
 * the default certificate {@code CN=myboschcam.net, O=Bosch Sicherheitssysteme} ({@link Tls#BOSCH})
 * [V], the optional telnet greeting {@code Welcome to AutoDome/FLEXIDOME} [V; the words after the
 * product line are the testbed's], MAC prefixes 00:01:31, 00:04:63, 00:1c:44, a4:18:94 [V §4].
 * The Server header {@code VCS-VideoJet-Webserver} is [U]. Not a covered vendor; no Bosch CVE in
 * the facts. Bosch's own discovery (UDP 1757/1758) is not played: the scanner does not send it.
 */
final class Bosch implements Personality {
    static final String REALM = "Use 'live' as User Name";
    static final String SERVER = "VCS-VideoJet-Webserver";

    /** Model name, order number and product line (the word the telnet greeting uses). */
    record Model(String name, String order, String line) {
    }

    static final List<Model> MODELS = List.of(new Model("DINION IP 5000 HD", "NBN-50022-C",
            "DINION"), new Model("FLEXIDOME IP 4000i", "NIN-41012-V3", "FLEXIDOME"),
            new Model(
                    "FLEXIDOME IP starlight 8000i", "NDE-8503-R", "FLEXIDOME"),
            new Model(
                    "AUTODOME IP 5000i", "NDP-5512-Z30", "AutoDome"),
            new Model(
                    "AUTODOME IP starlight 7000i", "NDP-7512-Z30", "AutoDome"));
    /** Common Product Platform firmware numbers [U]. */
    static final List<String> FIRMWARE = List.of("6.32.0160", "7.10.0076", "7.80.0128",
            "8.71.0066");
    static final List<String> OUIS = List.of("00:01:31", "00:04:63", "00:1c:44", "a4:18:94");

    @Override
    public String id() {
        return "bosch-camera";
    }

    @Override
    public DeviceSpec create(String address, RandomGenerator r) {
        Model model = pick(r, MODELS);
        String serial = "0445" + String.format("%06d%08d", r.nextInt(1_000_000), r.nextInt(
                100_000_000));
        boolean telnet = !model.line().equals("DINION") && r.nextInt(3) == 0;
        Map<String, String> a = new LinkedHashMap<>();
        a.put("country", "DE");
        a.put("order_number", model.order());
        a.put("product_line", model.line());
        a.put("telnet", Boolean.toString(telnet));
        a.put("onvif.manufacturer", "Bosch");
        // the web UI's login challenge is on plain http; HTTPS serves the vendor's default certificate
        List<String> findings = new ArrayList<>(List.of(ExpectedFindings.PLAIN_HTTP_LOGIN,
                ExpectedFindings.DEFAULT_TLS));
        if (telnet) {
            findings.add("telnet-open");
        }
        return new DeviceSpec(address, Macs.random(r, pick(r, OUIS)), id(), "Bosch", "Bosch",
                model.name(), pick(r, FIRMWARE), "camera", serial, a, findings);
    }

    @Override
    public List<Integer> tcpPorts(DeviceSpec d) {
        List<Integer> ports = new ArrayList<>(List.of(80, 443, 554));
        if (d.attribute("telnet", "false").equals("true")) {
            ports.add(23);
        }
        return ports;
    }

    @Override
    public List<Integer> udpPorts(DeviceSpec d) {
        return List.of(3702);
    }

    @Override
    public void converse(DeviceSpec d, int port, Connection c) throws IOException {
        switch (port) {
            case 554 -> Rtsp.converse(d, c, new Rtsp.Style("",
                    "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER",
                    DeviceWeb.digest(d, REALM)));
            case 23 -> {
                c.write("\r\nWelcome to " + d.attribute("product_line", "AutoDome") + " "
                        + d.model().replace("AUTODOME ", "").replace("FLEXIDOME ", "")
                        + "\r\n\r\nPassword: ");
                c.readSome(10_000);
            }
            case 443 -> Tls.serve(c, Tls.BOSCH, tls -> DeviceWeb.serveOne(tls, (r,
                    body) -> route(d, r, body, port)));
            default -> DeviceWeb.serveOne(c, (r, body) -> route(d, r, body, port));
        }
    }

    Http.Response route(DeviceSpec d, Request r, String body, int port) {
        String path = r.path();
        if (r.method().equals("POST") && path.equals("/onvif/device_service")) {
            return Onvif.deviceService(d, body, SERVER, false, DeviceWeb.host(d, port));
        }
        if (path.equals("/favicon.ico")) {
            return Http.reply("HTTP/1.1 200 OK", Icons.icon("bosch"), "Server", SERVER,
                    "Content-Type", "image/x-icon", "Connection", "close");
        }
        // everything else of the web UI asks for the 'live' (viewer) or 'service' user
        return Http.reply("HTTP/1.1 401 Unauthorized", Http.html("401 Unauthorized",
                "<h1>Unauthorized</h1>"), "Server", SERVER, "WWW-Authenticate",
                DeviceWeb.digest(
                        d, REALM),
                "Content-Type", "text/html", "Connection", "close");
    }

    @Override
    public Optional<byte[]> answer(DeviceSpec d, int port, byte[] request) {
        return Onvif.probeMatch(d, request, DeviceWeb.scopes(d.attribute("order_number", d
                .model()), "Bosch", "grasbrunn"), 80);
    }
}
