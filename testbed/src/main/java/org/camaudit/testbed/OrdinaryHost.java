package org.camaudit.testbed;

import static org.camaudit.testbed.Hikvision.pick;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Ordinary hosts that are not cameras, so that an audit has something to tell apart: a web server
 * (nginx or Apache default site, HTTPS with {@link Tls#GENERIC}, OpenSSH), a network printer (an
 * embedded web server on 80, raw printing on 9100, IPP on 631) and an SSH-only host. Their MAC
 * prefixes are the makers' in the IEEE registry (Debian ieee-data). No findings: nothing here is a
 * surveillance device.
 */
final class OrdinaryHost implements Personality {
    enum Kind {
        WEB_SERVER("web-server", "host"), PRINTER("printer", "printer"), SSH_HOST("ssh-host",
                "host");

        final String id;
        final String type;

        Kind(String id, String type) {
            this.id = id;
            this.type = type;
        }
    }

    /** A web server build: Server header, default page title, SSH identification. */
    record WebBuild(String product, String server, String title, String ssh) {
    }

    static final List<WebBuild> WEB = List.of(
            new WebBuild("nginx", "nginx/1.22.1", "Welcome to nginx!",
                    "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"),
            new WebBuild("nginx", "nginx/1.24.0 (Ubuntu)", "Welcome to nginx!",
                    "SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5"),
            new WebBuild("Apache httpd", "Apache/2.4.62 (Debian)",
                    "Apache2 Debian Default Page: It works",
                    "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"));

    /** A printer: maker, model, embedded web server header, MAC prefix. */
    record PrinterModel(String brand, String model, String server, String oui) {
    }

    static final List<PrinterModel> PRINTERS = List.of(
            new PrinterModel("HP", "HP LaserJet Pro M404dn", "HP HTTP Server; HP LaserJet Pro"
                    + " M404dn - W1A53A; Serial Number: %s; Built:Thu Mar 02, 2023 03:12:45PM"
                    + " {002_2310A}", "3c:d9:2b"),
            new PrinterModel("Brother", "Brother HL-L2350DW series", "debut/1.30", "00:80:77"));
    static final List<String> SSH_BANNERS = List.of("SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10",
            "SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5", "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3");
    static final List<String> SERVER_OUIS = List.of("ac:1f:6b", "00:50:56");
    static final List<String> SMALL_HOST_OUIS = List.of("b8:27:eb", "dc:a6:32", "00:50:56");

    private final Kind kind;

    OrdinaryHost(Kind kind) {
        this.kind = kind;
    }

    @Override
    public String id() {
        return kind.id;
    }

    @Override
    public DeviceSpec create(String address, RandomGenerator r) {
        Map<String, String> a = new LinkedHashMap<>();
        String serial = String.format("%08X", r.nextInt() & 0x7fffffff);
        return switch (kind) {
            case WEB_SERVER -> {
                WebBuild b = pick(r, WEB);
                a.put("server", b.server());
                a.put("title", b.title());
                a.put("ssh", b.ssh());
                yield new DeviceSpec(address, Macs.random(r, pick(r, SERVER_OUIS)), id(), "", "",
                        b.product(), b.server(), kind.type, serial, a, List.of());
            }
            case PRINTER -> {
                PrinterModel p = pick(r, PRINTERS);
                String printerSerial = (p.brand().equals("HP") ? "PHB" : "E7") + String.format(
                        "%07d", r.nextInt(10_000_000));
                a.put("server", p.server().formatted(printerSerial));
                yield new DeviceSpec(address, Macs.random(r, p.oui()), id(), p.brand(), "",
                        p.model(), p.brand().equals("HP") ? "002_2310A" : "1.83", kind.type,
                        printerSerial, a, List.of());
            }
            case SSH_HOST -> {
                String banner = pick(r, SSH_BANNERS);
                a.put("ssh", banner);
                yield new DeviceSpec(address, Macs.random(r, pick(r, SMALL_HOST_OUIS)), id(), "",
                        "", "OpenSSH host", banner.substring("SSH-2.0-".length()), kind.type,
                        serial, a, List.of());
            }
        };
    }

    @Override
    public List<Integer> tcpPorts(DeviceSpec d) {
        return switch (kind) {
            case WEB_SERVER -> List.of(22, 80, 443);
            case PRINTER -> List.of(80, 631, 9100);
            case SSH_HOST -> List.of(22);
        };
    }

    @Override
    public List<Integer> udpPorts(DeviceSpec d) {
        return List.of();
    }

    @Override
    public void converse(DeviceSpec d, int port, Connection c) throws IOException {
        switch (port) {
            case 22 -> {
                c.write(d.attribute("ssh", "SSH-2.0-OpenSSH_9.2p1") + "\r\n");
                c.readSome(10_000); // waits for the client's identification, then gives up
            }
            case 443 -> Tls.serve(c, Tls.GENERIC, tls -> DeviceWeb.serveOne(tls, (r,
                    body) -> web(d, r)));
            case 9100 -> drainPrintJob(c);
            case 631 -> DeviceWeb.serveOne(c, (r, body) -> ipp(d, r, body));
            default -> DeviceWeb.serveOne(c, (r, body) -> kind == Kind.PRINTER
                    ? printerPage(d, r)
                    : web(d, r));
        }
    }

    /** Raw printing (JetDirect): whatever arrives is "printed" (discarded); nothing is said. */
    private static void drainPrintJob(Connection c) throws IOException {
        InputStream in = c.input();
        byte[] sink = new byte[8192];
        c.socket().setSoTimeout(30_000);
        try {
            while (in.read(sink) >= 0) {
                // the job goes to the imaginary paper
            }
        } catch (SocketTimeoutException e) {
            // an idle client: hang up as printers do
        }
    }

    Http.Response web(DeviceSpec d, Request r) {
        String server = d.attribute("server", "nginx");
        if (r.path().equals("/") && r.method().equals("GET")) {
            String body = server.startsWith("nginx")
                    ? Http.html("Welcome to nginx!", "<h1>Welcome to nginx!</h1>\n<p>If you see"
                            + " this page, the nginx web server is successfully installed and"
                            + " working.</p>")
                    : Http.html(d.attribute("title", "It works"), "<div class=\"main_page\">"
                            + "<p>This is the default welcome page used to test the correct"
                            + " operation of the Apache2 server after installation on Debian"
                            + " systems.</p></div>");
            return Http.reply("HTTP/1.1 200 OK", body, "Server", server, "Date", Http.date(),
                    "Content-Type", "text/html", "Connection", "close", "ETag", "\""
                            + Integer.toHexString(body.hashCode()) + "\"",
                    "Accept-Ranges",
                    "bytes");
        }
        String notFound = server.startsWith("nginx")
                ? "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>"
                        + "404 Not Found</h1></center>\r\n<hr><center>" + server.split(" ")[0]
                        + "</center>\r\n</body>\r\n</html>\r\n"
                : Http.html("404 Not Found", "<h1>Not Found</h1><p>The requested URL was not"
                        + " found on this server.</p>");
        return Http.reply("HTTP/1.1 404 Not Found", notFound, "Server", server, "Date", Http
                .date(), "Content-Type", "text/html", "Connection", "close");
    }

    Http.Response printerPage(DeviceSpec d, Request r) {
        String server = d.attribute("server", "");
        if (r.path().equals("/") || r.path().startsWith("/hp/device/")
                || r.path().startsWith("/general/")) {
            return Http.reply("HTTP/1.1 200 OK", Http.html(d.model() + "&nbsp;&nbsp;&nbsp;"
                    + d.address(),
                    "<div id=\"deviceStatus\">Ready</div><div id=\"model\">"
                            + d.model() + "</div>"),
                    "Server", server, "Content-Type",
                    "text/html; charset=UTF-8", "Connection", "close");
        }
        return Http.reply("HTTP/1.1 404 Not Found", Http.html("404 Not Found",
                "<h1>Not Found</h1>"), "Server", server, "Content-Type", "text/html",
                "Connection", "close");
    }

    /** IPP over HTTP: a POST of application/ipp gets a minimal successful-ok IPP reply. */
    Http.Response ipp(DeviceSpec d, Request r, String body) {
        if (r.method().equals("POST") && r.header("content-type").orElse("").contains("ipp")) {
            byte[] raw = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int requestId = raw.length >= 8 ? ByteBuffer.wrap(raw, 4, 4).getInt() : 1;
            ByteBuffer reply = ByteBuffer.allocate(9);
            reply.put((byte) 2).put((byte) 0).putShort((short) 0).putInt(requestId).put((byte) 3);
            return Http.reply("HTTP/1.1 200 OK", reply.array(), "Content-Type",
                    "application/ipp", "Connection", "close");
        }
        return printerPage(d, r);
    }

    @Override
    public Optional<byte[]> answer(DeviceSpec d, int port, byte[] request) {
        return Optional.empty();
    }
}
