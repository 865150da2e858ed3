package org.camaudit.probes.discovery;

import org.camaudit.probes.DeviceXml;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;

/**
 * UPnP SSDP (protocol-facts §1.6): an M-SEARCH for {@code upnp:rootdevice} with HOST set to the
 * destination, to UDP 1900. The HTTP-like reply gives SERVER, LOCATION, ST and USN; LOCATION is
 * recorded, never fetched here.
 */
final class Ssdp {
    static final String NAME = "ssdp";
    static final int PORT = 1900;

    private static final String TEMPLATE = String.join("\r\n",
            Templates.load("ssdp_1900.txt").lines().toList()) + "\r\n\r\n";

    private Ssdp() {
    }

    static DiscoveryProtocol protocol() {
        return new DiscoveryProtocol(NAME, PORT, Groups.SSDP_WSD_SADP, Ssdp::search,
                Ssdp::recognises, Ssdp::parse);
    }

    static byte[] search(InetSocketAddress destination) {
        String host = destination.getAddress() instanceof Inet6Address
                ? "[" + destination.getAddress().getHostAddress() + "]"
                : destination.getAddress().getHostAddress();
        return Templates.fill(TEMPLATE, Map.of("HOST", host + ":" + destination.getPort()))
                .getBytes(StandardCharsets.US_ASCII);
    }

    static boolean recognises(byte[] data, int length) {
        String head = Sniff.ascii(data, length, 16);
        return head.startsWith("HTTP/1.") || head.startsWith("NOTIFY * HTTP/");
    }

    static void parse(byte[] data, int length, Observation.Builder out)
            throws MalformedReplyException {
        String text = new String(data, 0, length, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r?\n", -1);
        String status = lines[0].strip();
        if (!status.startsWith("HTTP/1.") && !status.startsWith("NOTIFY * HTTP/1.")) {
            throw new MalformedReplyException("ssdp: not an SSDP reply: "
                    + DeviceXml.oneLine(status));
        }
        if (status.startsWith("HTTP/1.") && !status.matches("HTTP/1\\.\\d\\s+200(\\s.*)?")) {
            throw new MalformedReplyException("ssdp: status " + DeviceXml.oneLine(status));
        }
        boolean any = false;
        for (int i = 1; i < lines.length && !lines[i].isBlank(); i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).strip().toUpperCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).strip();
            String key = switch (name) {
                case "SERVER" -> Fields.UPNP_SERVER;
                case "LOCATION" -> Fields.UPNP_LOCATION;
                case "ST", "NT" -> Fields.UPNP_ST;
                case "USN" -> Fields.UPNP_USN;
                default -> null;
            };
            if (key != null && !out.hasField(key)) {
                out.field(key, value);
                any = true;
            }
        }
        if (!any) {
            throw new MalformedReplyException("ssdp: reply without SERVER, LOCATION, ST or USN");
        }
    }
}
