package org.camaudit.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Devices that break the rules on the ports a scanner probes (HTTP 80, RTSP 554, the SDK-or-web
 * port 8000, ONVIF 8899), after OkHttp's MockWebServer socket policies: a reply dripped one byte a
 * second, a header block that never ends, a 100 MB body, malformed XML, entity bombs and external
 * entities, a reset right after accept, and an accepted connection that never hears a word. A
 * scanner must record each as an error observation and lose no more than its own time limits.
 * Every misbehaviour is generated as it is sent; nothing large is ever held in memory.
 */
final class Misbehaving implements Personality {
    enum Kind {
        SLOW_DRIP("slow-drip"), ENDLESS_HEADERS("endless-headers"), HUGE_BODY(
                "huge-body"), MALFORMED_XML("malformed-xml"), ENTITY_BOMB(
                        "entity-bomb"), RESET_ON_CONNECT(
                                "reset-on-connect"), ACCEPT_SILENCE("accept-silence");

        final String id;

        Kind(String id) {
            this.id = id;
        }
    }

    /** The longest any misbehaving conversation lasts when the client never leaves. */
    static final long HOLD_MILLIS = 5 * 60 * 1000L;
    static final long HUGE_LENGTH = 100L * 1024 * 1024;
    static final List<Integer> WIRE_PORTS = List.of(80, 554, 8000, 8899);
    /** The XML devices misbehave where XML is spoken: ONVIF over HTTP, WS-Discovery, SADP. */
    static final List<Integer> XML_PORTS = List.of(80, 8000, 8899);
    static final List<Integer> XML_UDP_PORTS = List.of(3702, 37020);

    private final Kind kind;

    Misbehaving(Kind kind) {
        this.kind = kind;
    }

    @Override
    public String id() {
        return kind.id;
    }

    @Override
    public DeviceSpec create(String address, RandomGenerator r) {
        String mac = String.format("02:%02x:%02x:%02x:%02x:%02x", r.nextInt(256), r.nextInt(256), r
                .nextInt(256), r.nextInt(256), r.nextInt(256));
        // which of the broken shapes this device sends (malformed-xml and entity-bomb)
        String variant = Integer.toString(r.nextInt(3));
        return new DeviceSpec(address, mac, id(), "", "", kind.id, "", "misbehaving", String.format(
                "MB%010d", r.nextLong(10_000_000_000L)), Map.of("variant", variant), List.of());
    }

    @Override
    public List<Integer> tcpPorts(DeviceSpec d) {
        return xmlKind() ? XML_PORTS : WIRE_PORTS;
    }

    @Override
    public List<Integer> udpPorts(DeviceSpec d) {
        return xmlKind() ? XML_UDP_PORTS : List.of();
    }

    private boolean xmlKind() {
        return kind == Kind.MALFORMED_XML || kind == Kind.ENTITY_BOMB;
    }

    @Override
    public void converse(DeviceSpec d, int port, Connection c) throws IOException {
        switch (kind) {
            case RESET_ON_CONNECT -> c.reset();
            case ACCEPT_SILENCE -> holdSilently(c);
            case SLOW_DRIP -> {
                Optional<Request> r = c.readRequest();
                if (r.isPresent()) {
                    drip(c, statusLine(r.get()) + "\r\nCSeq: " + r.get().header("cseq").orElse(
                            "1") + "\r\nContent-Type: text/html\r\nContent-Length: 64\r\n\r\n"
                            + "<html><head><title>drip</title></head><body>drip</body></html>");
                }
            }
            case ENDLESS_HEADERS -> {
                Optional<Request> r = c.readRequest();
                if (r.isPresent()) {
                    endlessHeaders(c, statusLine(r.get()));
                }
            }
            case HUGE_BODY -> {
                Optional<Request> r = c.readRequest();
                if (r.isPresent()) {
                    c.readBody(r.get());
                    hugeBody(c, statusLine(r.get()));
                }
            }
            case MALFORMED_XML, ENTITY_BOMB -> DeviceWeb.serveOne(c, (r, body) -> xmlRoute(d, r));
        }
    }

    private static String statusLine(Request r) {
        return (r.protocol().startsWith("RTSP") ? "RTSP/1.0" : "HTTP/1.1") + " 200 OK";
    }

    /** Reads and drops whatever comes until the client leaves or {@link #HOLD_MILLIS} pass. */
    private static void holdSilently(Connection c) throws IOException {
        long end = System.currentTimeMillis() + HOLD_MILLIS;
        InputStream in = c.input();
        byte[] sink = new byte[4096];
        while (System.currentTimeMillis() < end) {
            try {
                c.socket().setSoTimeout((int) Math.max(1, Math.min(10_000, end - System
                        .currentTimeMillis())));
                if (in.read(sink) < 0) {
                    return;
                }
            } catch (SocketTimeoutException e) {
                // still there, still silent
            }
        }
    }

    /** One byte a second until all is sent, the client leaves or the hold time ends. */
    private static void drip(Connection c, String reply) throws IOException {
        byte[] bytes = reply.getBytes(StandardCharsets.ISO_8859_1);
        long end = System.currentTimeMillis() + HOLD_MILLIS;
        for (int i = 0; i < bytes.length && System.currentTimeMillis() < end; i++) {
            c.write(new byte[]{bytes[i]});
            pause(1_000);
        }
    }

    /** A status line, then header lines, twenty a second, never the blank line. */
    private static void endlessHeaders(Connection c, String statusLine) throws IOException {
        c.write(statusLine + "\r\nCSeq: 1\r\n");
        long end = System.currentTimeMillis() + HOLD_MILLIS;
        for (long n = 0; System.currentTimeMillis() < end; n++) {
            c.write(String.format("X-Header-%08d: %s\r\n", n, "still-going"));
            pause(50);
        }
    }

    /** Announces 100 MB and streams it from one small buffer until the client leaves. */
    private static void hugeBody(Connection c, String statusLine) throws IOException {
        c.write(statusLine + "\r\nCSeq: 1\r\nContent-Type: text/html\r\nContent-Length: "
                + HUGE_LENGTH + "\r\nConnection: close\r\n\r\n");
        byte[] chunk = new byte[16 * 1024];
        Arrays.fill(chunk, (byte) 'A');
        OutputStream out = c.output();
        long end = System.currentTimeMillis() + HOLD_MILLIS;
        for (long sent = 0; sent < HUGE_LENGTH
                && System.currentTimeMillis() < end; sent += chunk.length) {
            out.write(chunk, 0, (int) Math.min(chunk.length, HUGE_LENGTH - sent));
        }
        out.flush();
    }

    private static void pause(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("fleet stopping", e);
        }
    }

    /** A normal page at the root (so ONVIF is tried), broken XML on the ONVIF service. */
    Http.Response xmlRoute(DeviceSpec d, Request r) {
        if (r.method().equals("POST") && r.path().startsWith("/onvif/")) {
            return Http.reply("HTTP/1.1 200 OK", soap(d), "Content-Type",
                    "application/soap+xml; charset=utf-8", "Connection", "close");
        }
        return Http.reply("HTTP/1.1 200 OK", Http.html("Network Camera",
                "<div id=\"login\"></div>"), "Content-Type", "text/html", "Connection", "close");
    }

    private int variant(DeviceSpec d) {
        return Integer.parseInt(d.attribute("variant", "0"));
    }

    /** The ONVIF reply: malformed XML, or an entity bomb / external entity, by variant. */
    String soap(DeviceSpec d) {
        String info = "<tds:GetDeviceInformationResponse><tds:Manufacturer>%s</tds:Manufacturer>"
                + "<tds:Model>IPC</tds:Model></tds:GetDeviceInformationResponse>";
        if (kind == Kind.ENTITY_BOMB) {
            return doctype(d, "SOAP-ENV:Envelope")
                    + Onvif.ENVELOPE_OPEN.substring(Onvif.ENVELOPE_OPEN
                            .indexOf("<SOAP-ENV:Envelope"))
                    + info.formatted(entityReference(d))
                    + Onvif.ENVELOPE_CLOSE;
        }
        return switch (variant(d)) {
            // cut off mid-document
            case 0 -> Onvif.ENVELOPE_OPEN + info.formatted("Broken").substring(0, 60);
            // tags crossed
            case 1 -> Onvif.ENVELOPE_OPEN + "<tds:GetDeviceInformationResponse><tds:Manufacturer>"
                    + "Broken</tds:GetDeviceInformationResponse></tds:Manufacturer>"
                    + Onvif.ENVELOPE_CLOSE;
            // an undeclared prefix, a bare ampersand and a control character
            default -> Onvif.ENVELOPE_OPEN + "<x:Info>Broken & \u0001 <tds:Model>IPC</x:Info>"
                    + Onvif.ENVELOPE_CLOSE;
        };
    }

    /**
     * The DOCTYPE of an entity-bomb reply. Variant 0: "billion laughs" (ten levels of ten
     * references, a gigabyte when expanded). Variants 1 and 2: an external entity and an external
     * DTD pointing at a canary path and at the discard port on loopback; neither names a real
     * file or service, so a parser that wrongly resolved them would fail, not leak. The scanner's
     * parser must refuse all three before expanding anything.
     */
    private String doctype(DeviceSpec d, String root) {
        return switch (variant(d)) {
            case 0 -> {
                StringBuilder s = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE " + root
                        + " [\n <!ENTITY lol \"lol\">\n");
                for (int level = 1; level <= 9; level++) {
                    s.append(" <!ENTITY lol").append(level).append(" \"");
                    for (int i = 0; i < 10; i++) {
                        s.append("&lol").append(level == 1 ? "" : Integer.toString(level - 1))
                                .append(';');
                    }
                    s.append("\">\n");
                }
                yield s.append("]>\n").toString();
            }
            case 1 -> "<?xml version=\"1.0\"?>\n<!DOCTYPE " + root + " [\n <!ENTITY xxe SYSTEM"
                    + " \"file:///camaudit-testbed/xxe-canary-does-not-exist\">\n]>\n";
            default -> "<?xml version=\"1.0\"?>\n<!DOCTYPE " + root
                    + " SYSTEM \"http://127.0.0.1:9/camaudit-testbed-xxe.dtd\">\n";
        };
    }

    private String entityReference(DeviceSpec d) {
        return switch (variant(d)) {
            case 0 -> "&lol9;";
            case 1 -> "&xxe;";
            default -> "Camera";
        };
    }

    @Override
    public Optional<byte[]> answer(DeviceSpec d, int port, byte[] request) {
        String text = new String(request, StandardCharsets.UTF_8);
        String xml;
        if (port == 3702) {
            if (!text.contains("Probe")) {
                return Optional.empty();
            }
            String match = "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://www.w3.org/2003/05/soap-envelope\""
                    + " xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\"><SOAP-ENV:Body>"
                    + "<d:ProbeMatches><d:ProbeMatch><d:Types>dn:NetworkVideoTransmitter</d:Types>"
                    + "<d:Scopes>onvif://www.onvif.org/name/%s</d:Scopes>";
            xml = kind == Kind.ENTITY_BOMB
                    ? doctype(d, "SOAP-ENV:Envelope") + match.formatted(entityReference(d))
                            + "</d:ProbeMatch></d:ProbeMatches></SOAP-ENV:Body></SOAP-ENV:Envelope>"
                    : "<?xml version=\"1.0\"?>\n" + match.formatted("Broken")
                            + "</d:ProbeMatches></d:ProbeMatch>"; // crossed, never closed
        } else {
            if (!text.contains("<Probe>")) {
                return Optional.empty();
            }
            xml = kind == Kind.ENTITY_BOMB
                    ? doctype(d, "ProbeMatch") + "<ProbeMatch>\n<Types>inquiry</Types>\n"
                            + "<DeviceDescription>" + entityReference(d)
                            + "</DeviceDescription>\n<MAC>" + d.macDashes()
                            + "</MAC>\n</ProbeMatch>\n"
                    : "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ProbeMatch>\n<Types>inquiry"
                            + "</Types>\n<DeviceDescription>Broken<DeviceSN>\n<MAC>" + d.macDashes()
                            + "</MAC>\n</ProbeMatch\n";
        }
        return Optional.of(xml.getBytes(StandardCharsets.UTF_8));
    }
}
