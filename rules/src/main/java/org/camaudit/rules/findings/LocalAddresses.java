package org.camaudit.rules.findings;

import java.net.InetAddress;
import org.camaudit.model.SiteRanges;

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

    /** The built-in private ranges of {@link SiteRanges#isPrivate}: one rule for both. */
    public static boolean isLocal(InetAddress a) {
        return SiteRanges.isPrivate(a);
    }
}
