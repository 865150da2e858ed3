package org.camaudit.rules.findings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Vendor cloud / P2P endpoints by platform maker (knowledge {@code clouds/clouds.yaml}). For
 * passive DNS and TLS SNI matching: {@code lookup("litedev.hik-connect.com")} gives the
 * Hik-Connect cloud, platform Hikvision. Immutable and thread-safe.
 */
public final class CloudEndpoints {
    /** One vendor cloud. */
    public record Cloud(String id, String title, String platform, List<String> domains,
            List<Integer> ports, String source) {
        public Cloud {
            domains = domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
            ports = List.copyOf(ports);
        }

        /** The finding id of a device seen using this cloud: {@code vendor-cloud-<id>}. */
        public String findingId() {
            return "vendor-cloud-" + id;
        }
    }

    private final List<Cloud> clouds;

    CloudEndpoints(List<Cloud> clouds) {
        this.clouds = List.copyOf(clouds);
    }

    /** The clouds shipped in the knowledge module. */
    public static CloudEndpoints shipped() {
        return FindingPacks.shipped().clouds();
    }

    public List<Cloud> all() {
        return clouds;
    }

    /**
     * The cloud a queried name belongs to: equal to one of its domains or under it (a trailing dot
     * and letter case are ignored); the most specific domain wins.
     */
    public Optional<Cloud> lookup(String domain) {
        String d = domain.strip().toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        Cloud best = null;
        int bestLength = -1;
        for (Cloud c : clouds) {
            for (String suffix : c.domains()) {
                if ((d.equals(suffix) || d.endsWith("." + suffix))
                        && suffix.length() > bestLength) {
                    best = c;
                    bestLength = suffix.length();
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** The clouds of one platform maker. */
    public List<Cloud> ofPlatform(String platform) {
        List<Cloud> out = new ArrayList<>();
        for (Cloud c : clouds) {
            if (c.platform().equalsIgnoreCase(platform)) {
                out.add(c);
            }
        }
        return out;
    }
}
