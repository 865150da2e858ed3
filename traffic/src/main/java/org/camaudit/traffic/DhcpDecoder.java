package org.camaudit.traffic;

import java.nio.charset.StandardCharsets;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;

/**
 * DHCP client messages (UDP 67/68, BOOTREQUEST): the client's hardware address ({@code chaddr}) as
 * the MAC and the {@link LinkBook}'s binding of it to the address (never the frame's MAC, which
 * a relay agent's frame would give), option 60 as {@code dhcp.vendor_class}, option 12 as
 * {@code dhcp.hostname}, option 55 (the parameter request list, in the client's order: a
 * fingerprint of its DHCP client) as {@code dhcp.parameter_list}; the address is the requested one (option 50), else {@code ciaddr}, else
 * the packet's source.
 */
final class DhcpDecoder {
    private static final int MAGIC = 0x63825363;
    private final Emitter out;
    private final LinkBook links;

    DhcpDecoder(Emitter out, LinkBook links) {
        this.out = out;
        this.links = links;
    }

    void decode(Packet p) {
        int base = p.payload;
        int end = base + p.payloadLength;
        if (p.payloadLength < 240) {
            throw new Malformed("dhcp: " + p.payloadLength + " bytes, shorter than BOOTP");
        }
        if (p.u32(base + 236) != MAGIC) {
            throw new Malformed("dhcp: no magic cookie");
        }
        if (p.u8(base) != 1) {
            return;
        }
        String vendorClass = null;
        String hostname = null;
        String requested = null;
        String parameters = null;
        int type = 0;
        int at = base + 240;
        while (at < end) {
            int code = p.u8(at);
            if (code == 255) {
                break;
            }
            if (code == 0) {
                at++;
                continue;
            }
            if (at + 2 > end) {
                throw new Malformed("dhcp: truncated option " + code);
            }
            int len = p.u8(at + 1);
            int value = at + 2;
            if (value + len > end) {
                throw new Malformed("dhcp: option " + code + " overruns the message");
            }
            switch (code) {
                case 53 -> type = len >= 1 ? p.u8(value) : 0;
                case 60 -> vendorClass = text(p.data, value, len);
                case 12 -> hostname = text(p.data, value, len);
                case 50 -> requested = len == 4 ? Packet.address(p.data, value, 4) : null;
                case 55 -> parameters = codes(p.data, value, len);
                default -> {
                }
            }
            at = value + len;
        }
        if (vendorClass == null && hostname == null && parameters == null) {
            return;
        }
        String ciaddr = Packet.address(p.data, base + 12, 4);
        String address = requested != null
                ? requested
                : !ciaddr.equals("0.0.0.0") ? ciaddr : p.source();
        Observation.Builder b = Observation.builder(org.camaudit.model.Source.PASSIVE, address)
                .time(p.time()).protocol("dhcp").port(p.dstPort)
                .transport(org.camaudit.model.Transport.UDP)
                .field(Fields.DHCP_VENDOR_CLASS, vendorClass).field(Fields.DHCP_HOSTNAME, hostname)
                .field(Fields.DHCP_PARAMETER_LIST, parameters)
                .field("dhcp.message_type", type == 0 ? null : Integer.toString(type));
        if (p.u8(base + 1) == 1 && p.u8(base + 2) == 6) {
            String mac = Packet.mac(p.data, base + 28);
            b.mac(mac);
            links.bind(address, mac);
        }
        out.emit("dhcp", b);
    }

    /** Option 55 as the client ordered it: decimal option codes joined by commas ("1,3,6,15"). */
    static String codes(byte[] d, int at, int len) {
        StringBuilder sb = new StringBuilder(len * 3);
        for (int i = at; i < at + len; i++) {
            if (i > at) {
                sb.append(',');
            }
            sb.append(d[i] & 0xff);
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    static String text(byte[] d, int at, int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = at; i < at + len; i++) {
            int c = d[i] & 0xff;
            if (c == 0) {
                break;
            }
            sb.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
        }
        return sb.toString();
    }

    static String utf8(byte[] d, int at, int len) {
        return new String(d, at, len, StandardCharsets.UTF_8);
    }
}
