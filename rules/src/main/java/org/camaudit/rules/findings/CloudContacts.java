package org.camaudit.rules.findings;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.camaudit.model.Finding;
import org.camaudit.model.SiteRanges;

/**
 * Vendor-cloud phone-home per device, from three kinds of evidence:
 *
 * <ul>
 * <li>names: a DNS query or TLS SNI for a name of a cloud (high);</li>
 * <li>addresses: a flow the device initiated to an address that a cloud name resolved to in any
 * DNS answer of the scan ({@code dns.answer} A/AAAA records, following CNAMEs within one reply),
 * whoever asked (high);</li>
 * <li>port only: a flow to a cloud's known port (clouds pack {@code ports}) on a non-local address
 * not otherwise known (medium: the port alone is weaker evidence).</li>
 * </ul>
 * One {@code vendor-cloud-<id>} finding per device and cloud; the strongest evidence sets the
 * severity and the evidence lists every kind found. A forwarding DNS resolver (the responder on
 * port 53 of a flow from another device) asks for the names its clients ask for: the names it asks
 * by DNS are not held against it (they are not reported anywhere; its clients' own queries or
 * flows name the real devices). Its TLS SNI and flows still count. Whether a device answered DNS is
 * known only from flows: a {@code dns.answer} observation is about the client, not the resolver.
 * Bounded: at most {@value #MAX_ADDRESSES} resolved addresses and resolvers, and per device
 * {@value BehaviourDetector#MAX_PEERS} contacts (twice that for flows already known to match).
 */
final class CloudContacts {
    static final int MAX_ADDRESSES = 4096;
    private static final int MAX_NAMES = 20;
    private static final int MAX_LISTED = 5;

    /** Flows and bytes to one responder, transport and port. */
    private static final class Contact {
        final String address;
        final String proto;
        final int port;
        long flows;
        long bytes;

        Contact(String address, String proto, int port) {
            this.address = address;
            this.proto = proto;
            this.port = port;
        }
    }

    /** What one device showed of one cloud. */
    private static final class Use {
        final Set<String> names = new LinkedHashSet<>();
        final Set<String> addresses = new LinkedHashSet<>();
        final Set<String> portHits = new LinkedHashSet<>();
        long flows;
        long bytes;
        boolean byPortOnly = true;
    }

    private final CloudEndpoints clouds;
    private final SiteRanges site;
    private final Map<String, CloudEndpoints.Cloud> resolved = new HashMap<>();
    private final Set<String> resolvers = new HashSet<>();
    private final Map<String, Map<CloudEndpoints.Cloud, Set<String>>> dnsNames = new HashMap<>();
    private final Map<String, Map<CloudEndpoints.Cloud, Set<String>>> sniNames = new HashMap<>();
    private final Map<String, Map<String, Contact>> contacts = new HashMap<>();

    /** @param site the scan's ranges: a contact inside them is no cloud by its port */
    CloudContacts(CloudEndpoints clouds, SiteRanges site) {
        this.clouds = clouds;
        this.site = site;
    }

    /** Names a device asked for by DNS ({@code dns}) or TLS SNI. */
    void names(String device, List<String> names, boolean dns) {
        for (String n : names) {
            clouds.lookup(n).ifPresent(c -> {
                Set<String> seen = (dns ? dnsNames : sniNames).computeIfAbsent(device,
                        k -> new LinkedHashMap<>()).computeIfAbsent(c, k -> new LinkedHashSet<>());
                if (seen.size() < MAX_NAMES) {
                    seen.add(n.toLowerCase(Locale.ROOT));
                }
            });
        }
    }

    /**
     * A {@code dns.answer} value ("name type value" joined by ", "): A and AAAA addresses of cloud
     * names, directly or through a CNAME of the same reply, map to the cloud.
     */
    void answers(String answer) {
        Map<String, CloudEndpoints.Cloud> aliases = new HashMap<>();
        for (String record : answer.split(",")) {
            String[] p = record.strip().split("\\s+");
            if (p.length != 3) {
                continue;
            }
            String owner = p[0].toLowerCase(Locale.ROOT);
            Optional<CloudEndpoints.Cloud> cloud = clouds.lookup(owner).or(() -> Optional
                    .ofNullable(aliases.get(owner)));
            if (cloud.isEmpty()) {
                continue;
            }
            String type = p[1].toUpperCase(Locale.ROOT);
            String value = TrafficFlow.lower(p[2]);
            if (type.equals("CNAME")) {
                aliases.put(value.endsWith(".") ? value.substring(0, value.length() - 1) : value,
                        cloud.get());
            } else if ((type.equals("A") || type.equals("AAAA"))
                    && (resolved.size() < MAX_ADDRESSES || resolved.containsKey(value))) {
                resolved.put(value, cloud.get());
            }
        }
    }

    void flow(TrafficFlow f) {
        boolean dns = f.port() == 53 && (f.proto().equals("udp") || f.proto().equals("tcp"));
        if (dns && !f.src().equals(f.dst()) && resolvers.size() < MAX_ADDRESSES) {
            resolvers.add(f.dst());
        }
        Map<String, Contact> mine = contacts.computeIfAbsent(f.src(), k -> new HashMap<>());
        String key = f.proto() + "/" + f.port() + " " + f.dst();
        Contact c = mine.get(key);
        if (c == null) {
            boolean known = resolved.containsKey(f.dst()) || clouds.byPort(f.proto(), f.port())
                    .isPresent();
            int cap = known ? 2 * BehaviourDetector.MAX_PEERS : BehaviourDetector.MAX_PEERS;
            if (mine.size() >= cap) {
                return;
            }
            c = new Contact(f.dst(), f.proto(), f.port());
            mine.put(key, c);
        }
        c.flows += f.flows();
        c.bytes += f.bytes();
    }

    /** The device's vendor-cloud findings, in pack order of the clouds. */
    void finish(String address, String key, List<Finding> out) {
        Map<CloudEndpoints.Cloud, Use> uses = new LinkedHashMap<>();
        if (!resolvers.contains(address)) {
            dnsNames.getOrDefault(address, Map.of()).forEach((c, n) -> use(uses, c).names.addAll(
                    n));
        }
        sniNames.getOrDefault(address, Map.of()).forEach((c, n) -> use(uses, c).names.addAll(n));
        uses.values().forEach(u -> u.byPortOnly = false);
        for (Contact c : contacts.getOrDefault(address, Map.of()).values()) {
            CloudEndpoints.Cloud byAddress = resolved.get(c.address);
            if (byAddress != null) {
                Use u = use(uses, byAddress);
                u.byPortOnly = false;
                u.addresses.add(c.address);
                u.flows += c.flows;
                u.bytes += c.bytes;
                continue;
            }
            if (site.isLocal(c.address)) {
                continue;
            }
            clouds.byPort(c.proto, c.port).ifPresent(cloud -> {
                Use u = use(uses, cloud);
                u.portHits.add(CloudEndpoints.port(cloud, c.proto, c.port).orElseThrow() + " to "
                        + c.address);
                u.flows += c.flows;
                u.bytes += c.bytes;
            });
        }
        for (CloudEndpoints.Cloud c : clouds.all()) {
            Use u = uses.get(c);
            if (u != null) {
                out.add(finding(c, u, key, address));
            }
        }
    }

    private static Use use(Map<CloudEndpoints.Cloud, Use> uses, CloudEndpoints.Cloud c) {
        return uses.computeIfAbsent(c, k -> new Use());
    }

    private static Finding finding(CloudEndpoints.Cloud c, Use u, String key, String address) {
        List<String> evidence = new ArrayList<>();
        List<String> matched = new ArrayList<>();
        if (!u.names.isEmpty()) {
            matched.add("name");
            evidence.add("behaviour: asked for " + c.title() + " names (DNS query or TLS SNI)");
            u.names.forEach(n -> evidence.add("name " + n));
        }
        if (!u.addresses.isEmpty()) {
            matched.add("address");
            evidence.add("behaviour: flows to addresses that " + c.title() + " names resolved to"
                    + " (DNS answers)");
            listed(u.addresses).forEach(a -> evidence.add("address " + a));
        }
        if (!u.portHits.isEmpty()) {
            matched.add("port");
            evidence.add("behaviour: flows to a known " + c.title() + " port on addresses not"
                    + " otherwise known (matched by port only)");
            listed(u.portHits).forEach(p -> evidence.add("port " + p));
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("cloud", c.id());
        details.put("platform", c.platform());
        if (!u.names.isEmpty()) {
            details.put("names", String.join(", ", u.names));
        }
        details.put("matched", String.join(", ", matched));
        details.put("flows", Long.toString(u.flows));
        details.put("bytes", Long.toString(u.bytes));
        details.put("source", c.source());
        Finding.Severity severity = u.byPortOnly ? Finding.Severity.MEDIUM : Finding.Severity.HIGH;
        String title = "Phones home to " + c.title() + " (" + c.platform() + " vendor cloud"
                + (u.byPortOnly ? ", by port only)" : ")");
        return new Finding(c.findingId(), Finding.Kind.BEHAVIOUR, severity, key, address, title,
                evidence, Optional.empty(), Finding.Remediation.ISOLATE, details);
    }

    private static List<String> listed(Set<String> values) {
        List<String> out = new ArrayList<>(values).subList(0, Math.min(values.size(),
                MAX_LISTED));
        if (values.size() > MAX_LISTED) {
            out = new ArrayList<>(out);
            out.add("... (" + values.size() + " in all)");
        }
        return out;
    }
}
