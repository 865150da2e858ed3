package org.camaudit.traffic;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;

/**
 * DHCP client messages (UDP 67/68, BOOTREQUEST): the client's hardware address ({@code chaddr}) as
 * the MAC and the {@link LinkBook}'s binding of it to the address (never the frame's MAC, which
 * a relay agent's frame would give), option 60 as {@code dhcp.vendor_class}, option 12 as
 * {@code dhcp.hostname}, option 55 (the parameter request list, in the client's order: a
 * fingerprint of its DHCP client) as {@code dhcp.parameter_list}; the address is the requested one (option 50), else {@code ciaddr}, else
 * the packet's source.
 *
 * <p>
 * A client that has no address yet (a DISCOVER from 0.0.0.0 without option 50) is held by its
 * transaction ({@code xid} and {@code chaddr}, RFC 2131 §2) until the server's OFFER or ACK
 * (BOOTREPLY, option 53 = 2 or 5) of that transaction gives it {@code yiaddr}: then its facts are
 * emitted for that address and the MAC is bound to it. At most {@link #MAX_HELD} transactions are
 * held (the oldest is dropped first); one never answered in the capture names no device.
 */
final class DhcpDecoder {
    private static final int MAGIC = 0x63825363;
    static final int MAX_HELD = 1024;
    private static final String NO_ADDRESS = "0.0.0.0";
    private final Emitter out;
    private final LinkBook links;
    private final Map<String, Held> held = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Held> eldest) {
            return size() > MAX_HELD;
        }
    };

    /** A client message waiting for the server to give its transaction an address. */
    private record Held(Instant time, int port, String vendorClass, String hostname,
            String parameters, int type, String mac) {
    }

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
        int op = p.u8(base);
        if (op != 1 && op != 2) {
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
                if (op == 2) {
                    break; // a reply is read only for its message type: never refused
                }
                throw new Malformed("dhcp: truncated option " + code);
            }
            int len = p.u8(at + 1);
            int value = at + 2;
            if (value + len > end) {
                if (op == 2) {
                    break;
                }
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
        String mac = p.u8(base + 1) == 1 && p.u8(base + 2) == 6
                ? Packet.mac(p.data, base + 28)
                : null;
        String transaction = Long.toHexString(p.u32(base + 4) & 0xffffffffL) + " " + mac;
        if (op == 2) {
            String yiaddr = Packet.address(p.data, base + 16, 4);
            Held client = type == 2 || type == 5 ? held.remove(transaction) : null;
            if (client != null && !yiaddr.equals(NO_ADDRESS)) {
                emit(yiaddr, client);
            }
            return;
        }
        if (vendorClass == null && hostname == null && parameters == null) {
            return;
        }
        String ciaddr = Packet.address(p.data, base + 12, 4);
        String address = requested != null
                ? requested
                : !ciaddr.equals(NO_ADDRESS) ? ciaddr : p.source();
        Held client = new Held(p.time(), p.dstPort, vendorClass, hostname, parameters, type, mac);
        if (address.equals(NO_ADDRESS) && mac != null) {
            held.put(transaction, client);
            return;
        }
        emit(address, client);
    }

    private void emit(String address, Held c) {
        Observation.Builder b = Observation.builder(Source.PASSIVE, address)
                .time(c.time()).protocol("dhcp").port(c.port())
                .transport(Transport.UDP)
                .field(Fields.DHCP_VENDOR_CLASS, c.vendorClass())
                .field(Fields.DHCP_HOSTNAME, c.hostname())
                .field(Fields.DHCP_PARAMETER_LIST, c.parameters())
                .field("dhcp.message_type", c.type() == 0 ? null : Integer.toString(c.type()));
        if (c.mac() != null) {
            b.mac(c.mac());
            links.bind(address, c.mac());
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
