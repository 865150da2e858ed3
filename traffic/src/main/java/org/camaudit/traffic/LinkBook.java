package org.camaudit.traffic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camaudit.model.Observation;
import org.camaudit.model.SiteRanges;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;

/**
 * Which MAC names which of the site's addresses. A frame's source MAC is its sender's only on
 * the sender's own link: a routed frame carries the router's MAC, whoever sent the packet. So no
 * observation takes its frame's MAC as it is decoded; the frames' (MAC, source address) pairs are
 * kept here and, when reading ends, one {@code link} observation per local address says its MAC:
 * <ul>
 * <li>an ARP sender or a DHCP client hardware address always names its address;</li>
 * <li>a link-local address (169.254/16, fe80::/10, never routed) takes its frame MAC;</li>
 * <li>a MAC is a router's when it sends for an address outside the site or for two or more
 * routable local IPv4 addresses; it then names only the one local IPv4 address it carries, if
 * there is exactly one (the router's own);</li>
 * <li>any other MAC names the local addresses it sends for.</li>
 * </ul>
 * Bounded: at most {@value #MAX_MACS} MACs with {@value #MAX_ADDRESSES} addresses each, and
 * {@value #MAX_BINDINGS} ARP/DHCP bindings; beyond that, new ones are not kept.
 */
final class LinkBook {
    static final int MAX_MACS = 1 << 16;
    static final int MAX_ADDRESSES = 4;
    static final int MAX_BINDINGS = 1 << 16;

    private static final class Sender {
        final List<String> addresses = new ArrayList<>(2);
        boolean outsideSite;
        int routableV4;
    }

    private final SiteRanges site;
    private final Map<Long, Sender> senders = new LinkedHashMap<>();
    /** address -> MAC from ARP or DHCP, first one kept. */
    private final Map<String, String> bound = new LinkedHashMap<>();
    private long lastMac = -1;
    private long lastAddressHash;

    LinkBook(SiteRanges site) {
        this.site = site;
    }

    /** The frame's source MAC and source IP address, if the frame has both. */
    void frame(Packet p) {
        if (p.srcMac < 0 || p.ipVersion == 0) {
            return;
        }
        long mac = macWord(p.data, p.srcMac);
        long addressHash = p.ipVersion == 4
                ? p.u32(p.srcIp) & 0xffffffffL
                : (long) p.u32(p.srcIp) * 31 ^ p.u32(p.srcIp + 4) * 17L ^ (long) p.u32(p.srcIp
                        + 8) << 7 ^ p.u32(p.srcIp + 12);
        if (mac == lastMac && addressHash == lastAddressHash) {
            return;
        }
        lastMac = mac;
        lastAddressHash = addressHash;
        Sender s = senders.get(mac);
        if (s == null) {
            if (senders.size() >= MAX_MACS) {
                return;
            }
            s = new Sender();
            senders.put(mac, s);
        }
        if (s.outsideSite && s.addresses.size() >= MAX_ADDRESSES) {
            return;
        }
        String address = p.source();
        if (s.addresses.contains(address)) {
            return;
        }
        if (!site.isLocal(address)) {
            s.outsideSite = true;
            return;
        }
        if (!site.isDevice(address)) {
            return;
        }
        if (p.ipVersion == 4 && !SiteRanges.isLinkLocal(address)) {
            s.routableV4++;
        }
        if (s.addresses.size() < MAX_ADDRESSES) {
            s.addresses.add(address);
        }
    }

    /** An ARP sender or DHCP client binding: this MAC is this address's own. */
    void bind(String address, String mac) {
        if (bound.size() < MAX_BINDINGS && site.isDevice(address)) {
            bound.putIfAbsent(address, mac);
        }
    }

    /** One {@code link} observation per local address whose MAC is known; then forgets. */
    void emit(Emitter out) {
        Map<String, String> macOf = new HashMap<>(bound);
        senders.forEach((mac, s) -> {
            boolean router = s.outsideSite || s.routableV4 >= 2;
            List<String> named = new ArrayList<>();
            for (String a : s.addresses) {
                if (!router || SiteRanges.isLinkLocal(a)) {
                    named.add(a);
                }
            }
            if (router && s.routableV4 == 1) {
                s.addresses.stream().filter(a -> a.indexOf('.') > 0 && !SiteRanges.isLinkLocal(a))
                        .findFirst().ifPresent(named::add);
            }
            for (String a : named) {
                macOf.putIfAbsent(a, macText(mac));
            }
        });
        macOf.forEach((address, mac) -> out.emit("link", Observation.builder(Source.PASSIVE,
                address).protocol("link").transport(Transport.NONE).mac(mac).field("link.source",
                        bound.containsKey(address) ? "arp-or-dhcp" : "frame")));
        senders.clear();
        bound.clear();
        lastMac = -1;
    }

    static long macWord(byte[] d, int at) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = v << 8 | (d[at + i] & 0xff);
        }
        return v;
    }

    static String macText(long v) {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (v >>> (40 - 8 * i));
        }
        return Packet.mac(b, 0);
    }
}
