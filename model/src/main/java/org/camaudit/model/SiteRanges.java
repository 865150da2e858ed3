package org.camaudit.model;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The address ranges of the site's own hosts, as a passive audit tells devices from peers: the
 * ranges that name no place on the Internet (RFC 1918, shared 100.64/10, IPv6 unique-local
 * fc00::/7, link-local, loopback) plus the ranges the operator names ({@code --local CIDR,...}).
 * An address outside them is a peer: never an inventory device. Multicast, broadcast and
 * unspecified addresses are local but name no device. From the literal only, never a name lookup.
 *
 * @param operator the operator's own ranges (public space a site uses, say)
 */
public record SiteRanges(List<IpRange> operator) {
    public SiteRanges {
        operator = List.copyOf(operator);
    }

    /** The built-in private ranges only. */
    public static SiteRanges builtIn() {
        return new SiteRanges(List.of());
    }

    /**
     * The built-in ranges and those of a comma-separated list of CIDRs, ranges or addresses.
     *
     * @throws IllegalArgumentException naming the entry that is not a range
     */
    public static SiteRanges parse(String list) {
        List<IpRange> ranges = new ArrayList<>();
        for (String part : list.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            if (!IpRange.looksLikeRange(part)) {
                throw new IllegalArgumentException("not an address range: '" + part.strip()
                        + "'");
            }
            ranges.add(IpRange.parse(part));
        }
        return new SiteRanges(ranges);
    }

    /** Whether {@code literal} is in the site's ranges (built-in or the operator's). */
    public boolean isLocal(String literal) {
        InetAddress a = literal(literal);
        return a != null && (isPrivate(a) || inOperator(a));
    }

    /** Whether {@code literal} can be one of the site's devices: local and a unicast host. */
    public boolean isDevice(String literal) {
        InetAddress a = literal(literal);
        return a != null && !isGroupOrNone(a) && (isPrivate(a) || inOperator(a));
    }

    private boolean inOperator(InetAddress a) {
        for (IpRange r : operator) {
            if (r.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /** The ranges written as given to {@link #parse}, for the record of a scan. */
    public List<String> describe() {
        return operator.stream().map(r -> r.firstAddress().getHostAddress() + "-" + r
                .lastAddress().getHostAddress()).toList();
    }

    /**
     * Loopback, private (RFC 1918, 100.64/10), link-local, unique-local, multicast, broadcast,
     * unspecified and 0/8: addresses that name no place on the Internet.
     */
    public static boolean isPrivate(InetAddress a) {
        if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || isGroupOrNone(a)) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            return first == 0 || (first == 100 && (b[1] & 0xc0) == 64); // 0/8, 100.64/10
        }
        return (b[0] & 0xfe) == 0xfc; // fc00::/7 unique-local
    }

    /** Multicast, broadcast (255.255.255.255) and unspecified addresses, and 0/8. */
    static boolean isGroupOrNone(InetAddress a) {
        if (a.isMulticastAddress() || a.isAnyLocalAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        return a instanceof Inet4Address && ((b[0] & b[1] & b[2] & b[3]) == (byte) 0xff
                || b[0] == 0);
    }

    /** Link-local (169.254/16, fe80::/10): never routed, so a frame's MAC is its sender's. */
    public static boolean isLinkLocal(String literal) {
        InetAddress a = literal(literal);
        return a != null && a.isLinkLocalAddress();
    }

    private static InetAddress literal(String text) {
        try {
            return InetAddress.ofLiteral(text.strip());
        } catch (IllegalArgumentException notAnAddress) {
            return null;
        }
    }
}
