package org.camaudit.probes.service;

import org.camaudit.probes.DeviceXml;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.camaudit.model.AuthChallenge;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.camaudit.model.SafetyClass;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;
import org.camaudit.probes.ProbeContext;
import org.camaudit.probes.ServiceProbe;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * ONVIF device service calls without credentials (protocol-facts.md §1.2): the PRE_AUTH
 * GetSystemDateAndTime and GetCapabilities, then GetDeviceInformation, which the spec protects
 * but many cheap cameras answer anyway; a 401 or SOAP fault is the compliant, recorded outcome.
 * The scanner runs this only on a port that answered HTTP.
 */
final class OnvifProbe implements ServiceProbe {
    static final String PATH = "/onvif/device_service";
    private static final String DEVICE_NS = "http://www.onvif.org/ver10/device/wsdl";

    /** The calls made, in order, with their SOAP body. */
    enum Operation {
        GET_SYSTEM_DATE_AND_TIME("GetSystemDateAndTime",
                "<tds:GetSystemDateAndTime/>"), GET_CAPABILITIES("GetCapabilities",
                        "<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>"), GET_DEVICE_INFORMATION(
                                "GetDeviceInformation", "<tds:GetDeviceInformation/>");

        final String soapName;
        final String body;

        Operation(String soapName, String body) {
            this.soapName = soapName;
            this.body = body;
        }

        byte[] envelope() {
            return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                    + "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\""
                    + " xmlns:tds=\"" + DEVICE_NS + "\"><s:Body>" + body + "</s:Body></s:Envelope>")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    private final HttpFetcher fetcher;

    OnvifProbe(HttpFetcher fetcher) {
        this.fetcher = fetcher;
    }

    @Override
    public String name() {
        return "onvif";
    }

    @Override
    public SafetyClass safetyClass() {
        return SafetyClass.SAFE_PROBE;
    }

    @Override
    public List<Observation> probe(InetAddress address, int port, ProbeContext context) {
        List<Observation> out = new ArrayList<>();
        for (Operation op : Operation.values()) {
            String contentType = "application/soap+xml; charset=utf-8; action=\"" + DEVICE_NS + "/"
                    + op.soapName + "\"";
            HttpFetcher.Fetched fetched = fetcher.exchange(context, address, port, false, "POST",
                    PATH,
                    List.of(new WireReply.Header("Content-Type", contentType)), op.envelope());
            out.add(observe(address, port, op, fetched.reply()));
            WireReply reply = fetched.reply();
            boolean transportFailed = !reply.answered()
                    || reply.error().map(e -> e.contains("timeout") || e.contains("reset"))
                            .orElse(false);
            if (transportFailed || reply.status() == 404 || !looksLikeSoap(reply)) {
                break; // no ONVIF service here: ask nothing more
            }
        }
        return out;
    }

    /**
     * True when a reply is meant as XML: an XML content type, or a body that opens like an XML
     * document or SOAP envelope. A web server's HTML error page is not, and is not parsed (a
     * DOCTYPE in a reply that is meant as XML is still refused by {@link DeviceXml}).
     */
    static boolean looksLikeSoap(WireReply reply) {
        String type = reply.header("Content-Type").orElse("").toLowerCase(java.util.Locale.ROOT);
        if (type.contains("xml")) {
            return true;
        }
        if (type.contains("html")) {
            return false;
        }
        byte[] body = reply.body();
        String head = new String(body, 0, Math.min(body.length, 512),
                java.nio.charset.StandardCharsets.ISO_8859_1).strip().toLowerCase(
                        java.util.Locale.ROOT);
        if (head.startsWith("\u00ef\u00bb\u00bf")) {
            head = head.substring(3);
        }
        return head.startsWith("<?xml") || (head.startsWith("<") && head.contains("envelope"));
    }

    Observation observe(InetAddress address, int port, Operation op, WireReply reply) {
        Observation.Builder b = Observation.builder(Source.ACTIVE, address.getHostAddress())
                .port(port).transport(Transport.TCP).protocol(name())
                .field(Fields.ONVIF_OPERATION, op.soapName).field(Fields.HTTP_PATH, PATH);
        if (reply.status() > 0) {
            b.field(Fields.HTTP_STATUS, Integer.toString(reply.status()));
        }
        reply.header("Server").ifPresent(v -> b.field(Fields.HTTP_SERVER, v));
        reply.joined("WWW-Authenticate").ifPresent(v -> {
            b.field(Fields.HTTP_WWW_AUTHENTICATE, v);
            AuthChallenge.realm(v).ifPresent(r -> b.field(Fields.HTTP_REALM, r));
        });
        b.raw(reply.raw());
        if (reply.error().isPresent()) {
            return b.error(reply.error().get()).build();
        }
        if (reply.body().length == 0) {
            return b.build();
        }
        if (!looksLikeSoap(reply)) {
            reply.header("Content-Type").ifPresent(v -> b.field(Fields.HTTP_CONTENT_TYPE, v));
            return b.field(Fields.ONVIF_SERVICE, "absent").build();
        }
        Document doc;
        try {
            doc = DeviceXml.parse(reply.body());
        } catch (DeviceXml.Rejected e) {
            return b.error(e.getMessage()).build();
        }
        Optional<Element> fault = DeviceXml.all(doc, "Fault").stream().findFirst();
        if (fault.isPresent()) {
            b.field(Fields.ONVIF_FAULT, describeFault(fault.get()));
            return b.build();
        }
        switch (op) {
            case GET_SYSTEM_DATE_AND_TIME ->
                dateTime(doc).ifPresent(v -> b.field(Fields.ONVIF_DATETIME, v));
            case GET_CAPABILITIES -> {
                Set<String> xaddrs = new LinkedHashSet<>();
                for (Element e : DeviceXml.all(doc, "XAddr")) {
                    String t = e.getTextContent().strip();
                    if (!t.isEmpty()) {
                        xaddrs.add(t);
                    }
                }
                b.field(Fields.ONVIF_CAPABILITIES, String.join(" ", xaddrs));
            }
            case GET_DEVICE_INFORMATION -> {
                DeviceXml.text(doc, "Manufacturer")
                        .ifPresent(v -> b.field(Fields.ONVIF_MANUFACTURER, v));
                DeviceXml.text(doc, "Model").ifPresent(v -> b.field(Fields.ONVIF_MODEL, v));
                DeviceXml.text(doc, "FirmwareVersion")
                        .ifPresent(v -> b.field(Fields.ONVIF_FIRMWARE, v));
                DeviceXml.text(doc, "SerialNumber").ifPresent(v -> b.field(Fields.ONVIF_SERIAL, v));
                DeviceXml.text(doc, "HardwareId")
                        .ifPresent(v -> b.field(Fields.ONVIF_HARDWARE_ID, v));
            }
        }
        return b.build();
    }

    private static String describeFault(Element fault) {
        List<String> parts = new ArrayList<>();
        for (Element value : DeviceXml.all(fault, "Value")) {
            String t = value.getTextContent().strip();
            if (!t.isEmpty()) {
                parts.add(t);
            }
        }
        DeviceXml.text(fault, "Text").or(() -> DeviceXml.text(fault, "faultstring"))
                .ifPresent(parts::add);
        return parts.isEmpty() ? "SOAP fault" : String.join(" ", parts);
    }

    /** UTC date and time as ISO-8601 with Z, else the local one without zone. */
    static Optional<String> dateTime(Document doc) {
        for (String which : List.of("UTCDateTime", "LocalDateTime")) {
            List<Element> found = DeviceXml.all(doc, which);
            if (found.isEmpty()) {
                continue;
            }
            Element e = found.get(0);
            try {
                int year = number(e, "Year");
                int month = number(e, "Month");
                int day = number(e, "Day");
                int hour = number(e, "Hour");
                int minute = number(e, "Minute");
                int second = number(e, "Second");
                return Optional.of(String.format(java.util.Locale.ROOT,
                        "%04d-%02d-%02dT%02d:%02d:%02d%s", year, month, day,
                        hour, minute, second, which.startsWith("UTC") ? "Z" : ""));
            } catch (NumberFormatException ex) {
                continue;
            }
        }
        return Optional.empty();
    }

    private static int number(Element parent, String localName) {
        return Integer.parseInt(DeviceXml.text(parent, localName).orElse("x"));
    }
}
