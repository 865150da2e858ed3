package org.camaudit.rules.findings;

import java.util.Locale;

/**
 * Addresses that cannot be a vendor cloud: loopback, private (RFC 1918, shared 100.64/10),
 * link-local and IPv6 unique-local. Text only, never a name lookup.
 */
final class LocalAddresses {
    private LocalAddresses() {
    }

    static boolean isLocal(String address) {
        String a = address.strip().toLowerCase(Locale.ROOT);
        if (a.contains(":")) {
            return a.equals("::1") || a.startsWith("fe8") || a.startsWith("fe9") || a.startsWith(
                    "fea") || a.startsWith("feb") || a.startsWith("fc") || a.startsWith("fd");
        }
        String[] p = a.split("\\.");
        if (p.length != 4) {
            return false;
        }
        try {
            int first = Integer.parseInt(p[0]);
            int second = Integer.parseInt(p[1]);
            return first == 10 || first == 127 || (first == 172 && second >= 16 && second <= 31)
                    || (first == 192 && second == 168) || (first == 169 && second == 254)
                    || (first == 100 && second >= 64 && second <= 127);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
