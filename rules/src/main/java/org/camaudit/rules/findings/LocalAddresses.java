package org.camaudit.rules.findings;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Addresses that name no place on the Internet: loopback, private (RFC 1918, shared 100.64/10),
 * link-local, IPv6 unique-local, multicast, broadcast and unspecified. They cannot be a vendor
 * cloud and have no country. From the literal only, never a name lookup.
 */
public final class LocalAddresses {
    private LocalAddresses() {
    }

    /** Whether {@code literal} is a local address; false for what is not an IP literal. */
    public static boolean isLocal(String literal) {
        try {
            return isLocal(InetAddress.ofLiteral(literal.strip()));
        } catch (IllegalArgumentException notAnAddress) {
            return false;
        }
    }

    public static boolean isLocal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a
                .isMulticastAddress() || a.isAnyLocalAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            return (b[0] & b[1] & b[2] & b[3]) == (byte) 0xff // 255.255.255.255
                    || first == 0 || (first == 100 && (b[1] & 0xc0) == 64); // 0/8, 100.64/10
        }
        return (b[0] & 0xfe) == 0xfc; // fc00::/7 unique-local
    }
}
