package org.camaudit.probes.discovery;

import org.camaudit.probes.DeviceXml;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Hikvision SADP over UDP 37020 (protocol-facts §1.3): only the {@code inquiry} probe with a fresh
 * upper-case UUID. Every child of the ProbeMatch reply becomes {@code sadp.<ElementName>}; MAC (dash
 * separated) becomes the observation's MAC. Modify, reset and getcode messages are never built.
 */
final class Sadp {
    static final String NAME = "sadp";
    static final int PORT = 37020;
    /** Children beyond this many are ignored. */
    static final int MAX_FIELDS = 100;

    private static final String TEMPLATE = Templates.load("sadp_37020.xml");

    private Sadp() {
    }

    static DiscoveryProtocol protocol() {
        return new DiscoveryProtocol(NAME, PORT, Groups.SSDP_WSD_SADP,
                destination -> inquiry(UUID.randomUUID()), Sadp::recognises, Sadp::parse);
    }

    static byte[] inquiry(UUID uuid) {
        return Templates.fill(TEMPLATE, Map.of("UUID", uuid.toString().toUpperCase(Locale.ROOT)))
                .getBytes(StandardCharsets.UTF_8);
    }

    static boolean recognises(byte[] data, int length) {
        String head = Sniff.ascii(data, length, 512);
        return head.contains("<ProbeMatch") && !head.contains("Envelope");
    }

    static void parse(byte[] data, int length, Observation.Builder out)
            throws MalformedReplyException {
        Document doc = MalformedReplyException.xml(data, length, "sadp");
        Element root = doc.getDocumentElement();
        if (!DeviceXml.localName(root).equals("ProbeMatch")) {
            throw new MalformedReplyException("sadp: root element is <"
                    + DeviceXml.oneLine(DeviceXml.localName(root)) + ">, not <ProbeMatch>");
        }
        int count = 0;
        for (Element child : DeviceXml.children(root)) {
            if (count++ >= MAX_FIELDS) {
                break;
            }
            String name = JsonReplies.cleanKey(DeviceXml.localName(child));
            String value = child.getTextContent().strip();
            out.field(Fields.SADP_PREFIX + name, value);
            if (name.equals("MAC")) {
                out.mac(value);
            }
        }
        if (count == 0) {
            throw new MalformedReplyException("sadp: empty ProbeMatch");
        }
    }
}
