package org.camaudit.probes.discovery;

import org.camaudit.probes.DeviceXml;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * ONVIF WS-Discovery (protocol-facts §1.1): a SOAP 1.2 Probe, WS-Discovery 2005/04, with a fresh
 * {@code urn:uuid} MessageID and no Types filter, to UDP 3702. The first ProbeMatch of a reply
 * (2005/04 or 2009/01 namespace) gives the endpoint, types, scopes and XAddrs; the mandatory
 * {@code name} and {@code hardware} scopes are also set URL-decoded on their own.
 */
final class WsDiscovery {
    static final String NAME = "onvif-discovery";
    static final int PORT = 3702;

    private static final String TEMPLATE = Templates.load("wsd_3702.xml");
    private static final String SCOPE_BASE = "onvif://www.onvif.org/";

    private WsDiscovery() {
    }

    static DiscoveryProtocol protocol() {
        return new DiscoveryProtocol(NAME, PORT, Groups.SSDP_WSD_SADP,
                destination -> probe(UUID.randomUUID()), WsDiscovery::recognises,
                WsDiscovery::parse);
    }

    static byte[] probe(UUID messageId) {
        return Templates.fill(TEMPLATE, Map.of("MESSAGE_ID", messageId.toString()))
                .getBytes(StandardCharsets.UTF_8);
    }

    static boolean recognises(byte[] data, int length) {
        String head = Sniff.ascii(data, length, 2048);
        return head.contains("Envelope") && head.toLowerCase(Locale.ROOT).contains("discovery");
    }

    static void parse(byte[] data, int length, Observation.Builder out)
            throws MalformedReplyException {
        Document doc = MalformedReplyException.xml(data, length, "ws-discovery");
        Element match = DeviceXml.first(doc.getDocumentElement(), "ProbeMatch").orElse(null);
        if (match == null) {
            Element fault = DeviceXml.first(doc.getDocumentElement(), "Fault").orElse(null);
            throw new MalformedReplyException(fault != null
                    ? "ws-discovery: SOAP fault: " + DeviceXml.oneLine(fault.getTextContent())
                    : "ws-discovery: no ProbeMatch in reply");
        }
        Element reference = DeviceXml.first(match, "EndpointReference").orElse(null);
        if (reference != null) {
            out.field(Fields.ONVIF_ENDPOINT,
                    text(DeviceXml.first(reference, "Address").orElse(null)));
        }
        out.field(Fields.ONVIF_TYPES, text(childNamed(match, "Types")));
        String scopes = text(childNamed(match, "Scopes"));
        out.field(Fields.ONVIF_SCOPES, scopes);
        out.field(Fields.ONVIF_XADDRS, text(childNamed(match, "XAddrs")));
        if (scopes != null) {
            out.field(Fields.ONVIF_SCOPE_NAME, scopeValues(scopes, "name"));
            out.field(Fields.ONVIF_SCOPE_HARDWARE, scopeValues(scopes, "hardware"));
        }
    }

    private static Element childNamed(Element parent, String local) {
        for (Element child : DeviceXml.children(parent)) {
            if (DeviceXml.localName(child).equals(local)) {
                return child;
            }
        }
        return null;
    }

    private static String text(Element e) {
        return e == null ? null : e.getTextContent().strip();
    }

    /** Values of the {@code onvif://www.onvif.org/<category>/...} scopes, decoded, joined by ", ". */
    static String scopeValues(String scopes, String category) {
        String prefix = SCOPE_BASE + category.toLowerCase(Locale.ROOT) + "/";
        Set<String> values = new LinkedHashSet<>();
        for (String scope : scopes.strip().split("\\s+")) {
            if (scope.length() > prefix.length()
                    && scope.substring(0, prefix.length()).toLowerCase(Locale.ROOT)
                            .equals(prefix)) {
                String value = percentDecode(scope.substring(prefix.length())).strip();
                if (!value.isEmpty()) {
                    values.add(value);
                }
            }
        }
        List<String> list = new ArrayList<>(values);
        return list.isEmpty() ? null : String.join(", ", list);
    }

    /** RFC 3986 percent-decoding as UTF-8; a '+' stays a '+', a broken escape stays as written. */
    static String percentDecode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                bytes.write(hex(in[i + 1]) * 16 + hex(in[i + 2]));
                i += 2;
            } else {
                bytes.write(in[i]);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        return Character.digit(b, 16);
    }
}
