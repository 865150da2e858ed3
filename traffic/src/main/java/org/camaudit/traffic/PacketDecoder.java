package org.camaudit.traffic;

import org.camaudit.probes.discovery.DiscoveryDatagrams;

/**
 * Link layer (Ethernet with 802.1Q/QinQ, Linux cooked SLL and SLL2, raw IPv4/IPv6, BSD loopback),
 * IPv4 with options (fragments counted, not reassembled), IPv6 past its extension headers, then
 * TCP and UDP, each payload handed to the decoder its ports or first bytes point at, and every
 * packet to the flow table. Each frame's source MAC and source address, and each ARP sender's
 * binding, go to the {@link LinkBook}.
 */
final class PacketDecoder implements PacketHandler {
    static final int LINK_NULL = 0;
    static final int LINK_ETHERNET = 1;
    static final int LINK_RAW = 101;
    static final int LINK_SLL = 113;
    static final int LINK_IPV4 = 228;
    static final int LINK_IPV6 = 229;
    static final int LINK_SLL2 = 276;
    private static final int MAX_VLAN_TAGS = 4;
    private static final int MAX_IPV6_EXTENSIONS = 8;

    private final Packet p = new Packet();
    private final Emitter out;
    private final FlowTable flows;
    private final LinkBook links;
    private final DnsDecoder dns;
    private final DhcpDecoder dhcp;
    private final TextHeadDecoder text;
    private final TlsDecoder tls;
    private final NetflowDecoder netflow;
    private final boolean factsOnly;
    /** the decoder at work, named in per-packet errors. */
    private String current = "";

    PacketDecoder(Emitter out, FlowTable flows, LinkBook links, NetflowDecoder netflow,
            boolean factsOnly) {
        this.out = out;
        this.flows = flows;
        this.links = links;
        this.netflow = netflow;
        this.factsOnly = factsOnly;
        this.dns = new DnsDecoder(out);
        this.dhcp = new DhcpDecoder(out, links);
        this.text = new TextHeadDecoder(out);
        this.tls = new TlsDecoder(out);
    }

    @Override
    public void frame(int linkType, long nanos, byte[] d, int offset, int captured, int original,
            long fileOffset) {
        Tally t = out.tally;
        t.frames++;
        t.bytes += captured;
        p.reset(d, nanos, fileOffset, original);
        int end = offset + captured;
        try {
            if (!link(linkType, offset, end)) {
                return;
            }
        } catch (IndexOutOfBoundsException | Malformed e) {
            t.undecodable++;
            return;
        }
        if (p.protocol != 6 && p.protocol != 17) {
            return;
        }
        if (!factsOnly) {
            flows.add(p);
            links.frame(p);
        }
        if (p.payloadLength == 0) {
            return;
        }
        current = "";
        try {
            if (p.protocol == 17) {
                udp();
            } else {
                tcp();
            }
        } catch (Malformed e) {
            t.error(current, fileOffset, e.getMessage());
        } catch (IndexOutOfBoundsException e) {
            t.error(current, fileOffset, current + ": field beyond the end of the packet");
        }
    }

    /**
     * The offset of a sender MAC that names a station, or -1: the all-zero address (what the
     * Linux loopback interface writes into every frame) and group addresses name no device.
     */
    private int stationMac(int at) {
        if ((p.u8(at) & 1) != 0) {
            return -1;
        }
        for (int i = 0; i < 6; i++) {
            if (p.u8(at + i) != 0) {
                return at;
            }
        }
        return -1;
    }

    private boolean link(int linkType, int at, int end) {
        switch (linkType) {
            case LINK_ETHERNET -> {
                need(at + 14, end);
                p.dstMac = stationMac(at);
                p.srcMac = stationMac(at + 6);
                int type = p.u16(at + 12);
                at += 14;
                for (int tags = 0; (type == 0x8100 || type == 0x88a8 || type == 0x9100)
                        && tags < MAX_VLAN_TAGS; tags++) {
                    need(at + 4, end);
                    type = p.u16(at + 2);
                    at += 4;
                }
                return network(type, at, end);
            }
            case LINK_SLL -> {
                need(at + 16, end);
                if (p.u16(at + 4) == 6) {
                    p.srcMac = stationMac(at + 6);
                }
                return network(p.u16(at + 14), at + 16, end);
            }
            case LINK_SLL2 -> {
                need(at + 20, end);
                if (p.u8(at + 11) == 6) {
                    p.srcMac = stationMac(at + 12);
                }
                return network(p.u16(at), at + 20, end);
            }
            case LINK_RAW, LINK_IPV4, LINK_IPV6 -> {
                need(at + 1, end);
                int version = p.u8(at) >> 4;
                return network(version == 6 ? 0x86dd : 0x0800, at, end);
            }
            case LINK_NULL -> {
                need(at + 5, end);
                int version = p.u8(at + 4) >> 4;
                return network(version == 6 ? 0x86dd : 0x0800, at + 4, end);
            }
            default -> {
                out.tally.undecodable++;
                return false;
            }
        }
    }

    private static void need(int upTo, int end) {
        if (upTo > end) {
            throw new Malformed("truncated header");
        }
    }

    private boolean network(int etherType, int at, int end) {
        if (etherType == 0x0800) {
            need(at + 20, end);
            int vihl = p.u8(at);
            int headerLength = (vihl & 15) * 4;
            if (vihl >> 4 != 4 || headerLength < 20) {
                throw new Malformed("bad IPv4 header");
            }
            int total = p.u16(at + 2);
            int ipEnd = Math.min(end, at + Math.max(total, headerLength));
            need(at + headerLength, ipEnd);
            int fragment = p.u16(at + 6);
            p.ipVersion = 4;
            p.protocol = p.u8(at + 9);
            p.srcIp = at + 12;
            p.dstIp = at + 16;
            if ((fragment & 0x3fff) != 0) {
                out.tally.fragments++;
                return false;
            }
            return transport(at + headerLength, ipEnd);
        }
        if (etherType == 0x86dd) {
            need(at + 40, end);
            if (p.u8(at) >> 4 != 6) {
                throw new Malformed("bad IPv6 header");
            }
            int ipEnd = Math.min(end, at + 40 + p.u16(at + 4));
            p.ipVersion = 6;
            p.srcIp = at + 8;
            p.dstIp = at + 24;
            int next = p.u8(at + 6);
            int cursor = at + 40;
            for (int i = 0; i < MAX_IPV6_EXTENSIONS; i++) {
                switch (next) {
                    case 0, 43, 60, 135, 139, 140 -> {
                        need(cursor + 8, ipEnd);
                        next = p.u8(cursor);
                        cursor += (p.u8(cursor + 1) + 1) * 8;
                    }
                    case 51 -> {
                        need(cursor + 8, ipEnd);
                        next = p.u8(cursor);
                        cursor += (p.u8(cursor + 1) + 2) * 4;
                    }
                    case 44 -> {
                        out.tally.fragments++;
                        p.protocol = 44;
                        return false;
                    }
                    default -> {
                        p.protocol = next;
                        return transport(cursor, ipEnd);
                    }
                }
            }
            throw new Malformed("too many IPv6 extension headers");
        }
        if (etherType == 0x0806 && !factsOnly) {
            arp(at, end);
        }
        return false;
    }

    /** An Ethernet/IPv4 ARP request or reply: its sender's MAC is its sender address's own. */
    private void arp(int at, int end) {
        need(at + 28, end);
        if (p.u16(at) != 1 || p.u16(at + 2) != 0x0800 || p.u8(at + 4) != 6 || p.u8(at + 5) != 4) {
            return;
        }
        int mac = stationMac(at + 8);
        String sender = Packet.address(p.data, at + 14, 4);
        if (mac >= 0 && !sender.equals("0.0.0.0")) {
            links.bind(sender, Packet.mac(p.data, mac));
        }
    }

    private boolean transport(int at, int end) {
        if (p.protocol == 6) {
            need(at + 20, end);
            p.srcPort = p.u16(at);
            p.dstPort = p.u16(at + 2);
            int headerLength = (p.u8(at + 12) >> 4) * 4;
            if (headerLength < 20) {
                throw new Malformed("bad TCP header length");
            }
            p.tcpFlags = p.u8(at + 13);
            p.payload = Math.min(end, at + headerLength);
            p.payloadLength = end - p.payload;
            return true;
        }
        if (p.protocol == 17) {
            need(at + 8, end);
            p.srcPort = p.u16(at);
            p.dstPort = p.u16(at + 2);
            int length = p.u16(at + 4);
            p.payload = at + 8;
            p.payloadLength = Math.max(0, Math.min(end, at + Math.max(length, 8)) - p.payload);
            return true;
        }
        return true;
    }

    private String udp() {
        int s = p.srcPort;
        int d = p.dstPort;
        if (s == 53 || d == 53 || s == 5355 || d == 5355) {
            current = "dns";
            dns.decode(p, false);
            return "dns";
        }
        if (factsOnly) {
            return "";
        }
        if (s == 5353 || d == 5353) {
            current = "mdns";
            dns.decode(p, true);
            return "mdns";
        }
        if ((s == 67 || s == 68) && (d == 67 || d == 68)) {
            current = "dhcp";
            dhcp.decode(p);
            return "dhcp";
        }
        if (NetflowDecoder.isCollectorPort(d)) {
            current = "netflow";
            netflow.datagram(p.source(), p.data, p.payload, p.payloadLength, p.fileOffset);
            return "netflow";
        }
        if (DiscoveryDatagrams.isDiscoveryPort(s) || DiscoveryDatagrams.isDiscoveryPort(d)) {
            current = "discovery";
            return discovery();
        }
        return "";
    }

    private String discovery() {
        byte[] copy = new byte[p.payloadLength];
        System.arraycopy(p.data, p.payload, copy, 0, copy.length);
        var builder = out.about(p, true, "udp-discovery", p.srcPort);
        builder.raw(copy, copy.length);
        var outcome = DiscoveryDatagrams.parse(p.srcPort, p.dstPort, copy, copy.length, builder);
        String protocol = builder.build().protocol();
        switch (outcome) {
            case PARSED -> out.emit(protocol, builder);
            case MALFORMED -> out.tally.error(protocol, p.fileOffset,
                    builder.build().field("error").orElse(protocol + ": malformed"));
            case NOT_A_REPLY -> {
            }
        }
        return protocol;
    }

    private String tcp() {
        int first = p.u8(p.payload);
        if (first == 0x16 && p.payloadLength >= 5 && p.u8(p.payload + 1) == 3) {
            current = "tls";
            tls.decode(p);
            return "tls";
        }
        if (first >= 'A' && first <= 'Z' && p.payloadLength >= 8) {
            current = "http";
            return text.decode(p);
        }
        return "";
    }
}
