package org.camaudit.rules.findings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Vendor cloud / P2P endpoints by platform maker (knowledge {@code clouds/clouds.yaml}). For
 * passive DNS and TLS SNI matching: {@code lookup("litedev.hik-connect.com")} gives the
 * Hik-Connect cloud, platform Hikvision; for flow matching, {@code byPort("udp", 8800)} gives the
 * Dahua P2P cloud. Immutable and thread-safe.
 */
public final class CloudEndpoints {
    /** One vendor cloud. */
    public record Cloud(String id, String title, String platform, List<String> domains,
            List<CloudPort> ports, String source) {
        public Cloud {
            domains = domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
            ports = List.copyOf(ports);
        }

        /** The finding id of a device seen using this cloud: {@code vendor-cloud-<id>}. */
        public String findingId() {
            return "vendor-cloud-" + id;
        }
    }

    /**
     * A port a cloud is reached on, as the facts give it: {@code udp/8800}, or {@code 10001} when
     * they do not say the transport (then TCP and UDP both match); each with its own source.
     */
    public record CloudPort(Optional<String> transport, int port, String source) {
        public CloudPort {
            transport = transport.map(t -> t.toLowerCase(Locale.ROOT));
            if (transport.isPresent() && !transport.get().equals("tcp") && !transport.get()
                    .equals("udp")) {
                throw new IllegalArgumentException("transport must be tcp or udp: " + transport
                        .get());
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            if (source.isBlank()) {
                throw new IllegalArgumentException("a cloud port needs a source");
            }
        }

        /** {@code udp/8800} or {@code 8800}; anything else is an {@link IllegalArgumentException}. */
        public static CloudPort parse(String spec, String source) {
            String s = spec.strip();
            int slash = s.indexOf('/');
            Optional<String> transport = slash < 0
                    ? Optional.empty()
                    : Optional.of(s.substring(0, slash));
            try {
                return new CloudPort(transport, Integer.parseInt(s.substring(slash + 1)), source);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a port: " + spec);
            }
        }

        /** Whether a flow to this transport ({@code tcp}, {@code udp}) and port matches. */
        public boolean matches(String flowTransport, int flowPort) {
            return port == flowPort && transport.map(t -> t.equalsIgnoreCase(flowTransport))
                    .orElse(flowTransport.equals("tcp") || flowTransport.equals("udp"));
        }

        @Override
        public String toString() {
            return transport.map(t -> t + "/").orElse("") + port;
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

    /** The first cloud (in pack order) known to be reached on this transport and port. */
    public Optional<Cloud> byPort(String transport, int port) {
        for (Cloud c : clouds) {
            for (CloudPort p : c.ports()) {
                if (p.matches(transport, port)) {
                    return Optional.of(c);
                }
            }
        }
        return Optional.empty();
    }

    /** The port entry of this cloud that a flow matches. */
    static Optional<CloudPort> port(Cloud cloud, String transport, int port) {
        return cloud.ports().stream().filter(p -> p.matches(transport, port)).findFirst();
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
