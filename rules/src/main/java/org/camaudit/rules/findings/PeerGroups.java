package org.camaudit.rules.findings;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What counts as one peer for {@code many-external-peers}: a CDN or a cloud rotates its addresses,
 * so a device that fetches from one provider talks to many addresses but one organisation. A peer
 * is the registrable domain of the name a DNS answer gave its address (the last two labels, three
 * under a two-letter country code's short second level such as co.uk), else its network: the /24
 * of an IPv4 address, the /48 of an IPv6 one. Bounded: at most {@value #MAX_NAMED} named
 * addresses (the first ones).
 */
final class PeerGroups {
    static final int MAX_NAMED = 1 << 16;
    private final Map<String, String> organisation = new HashMap<>();

    /** Reads the A/AAAA records of a {@code dns.answer} ("owner TYPE value, ..."). */
    void answers(String answer) {
        for (String record : answer.split(",")) {
            String[] p = record.strip().split("\\s+");
            if (p.length != 3 || !(p[1].equalsIgnoreCase("A") || p[1].equalsIgnoreCase("AAAA"))) {
                continue;
            }
            String address = TrafficFlow.lower(p[2]);
            if (organisation.size() < MAX_NAMED || organisation.containsKey(address)) {
                organisation.put(address, registrable(p[0]));
            }
        }
    }

    /** The peer's organisation ("org:example.net") or network ("net:198.51.100.0/24"). */
    String of(String address) {
        String org = organisation.get(address);
        if (org != null) {
            return "org:" + org;
        }
        try {
            InetAddress a = InetAddress.ofLiteral(address);
            byte[] b = a.getAddress();
            if (a instanceof Inet4Address) {
                return "net:" + (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + ".0/24";
            }
            return String.format("net:%02x%02x:%02x%02x:%02x%02x::/48", b[0], b[1], b[2], b[3],
                    b[4], b[5]);
        } catch (IllegalArgumentException notAnAddress) {
            return "addr:" + address;
        }
    }

    static String registrable(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        String[] labels = n.split("\\.");
        if (labels.length <= 2) {
            return n;
        }
        int keep = labels[labels.length - 1].length() == 2 && labels[labels.length - 2]
                .length() <= 3 ? 3 : 2;
        StringBuilder sb = new StringBuilder();
        for (int i = labels.length - keep; i < labels.length; i++) {
            sb.append(i > labels.length - keep ? "." : "").append(labels[i]);
        }
        return sb.toString();
    }
}
