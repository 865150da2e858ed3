package org.camaudit.rules.findings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.camaudit.model.Fields;
import org.camaudit.model.Finding;
import org.camaudit.model.Observation;

/**
 * Behaviour findings from a scan's traffic observations ({@code dns.query}, {@code tls.sni} and
 * {@code flow.*}, as the traffic module emits them), per device address. Pure: no I/O.
 *
 * <ul>
 * <li>vendor-cloud phone-home: a DNS query or TLS SNI for a name of a vendor cloud
 * ({@link CloudEndpoints}) gives {@code vendor-cloud-<id>}, high, isolate;</li>
 * <li>outbound scanning: flows from the device to at least {@code scanPeers} (default
 * {@value #DEFAULT_SCAN_PEERS}) distinct addresses on TCP port 23 or 2323 give
 * {@code outbound-telnet-scan}, on port 22 {@code outbound-ssh-scan}; critical, isolate;</li>
 * <li>many peers: flows from the device to at least {@code manyPeers} (default
 * {@value #DEFAULT_MANY_PEERS}) distinct destination addresses (multicast and broadcast not
 * counted) give {@code many-external-peers}, high, monitor.</li>
 * </ul>
 * A flow observation is about its initiator ({@code flow.src}); a DNS or SNI observation about the
 * asking device. The device key is the first MAC seen for the address, else the address. Memory
 * is bounded: at most {@value #MAX_PEERS} distinct peers are kept per device and counter.
 * Thread-safe and reusable; a {@link Session} is not thread-safe.
 */
public final class BehaviourDetector {
    public static final int DEFAULT_SCAN_PEERS = 20;
    public static final int DEFAULT_MANY_PEERS = 50;
    public static final String TELNET_SCAN = "outbound-telnet-scan";
    public static final String SSH_SCAN = "outbound-ssh-scan";
    public static final String MANY_PEERS = "many-external-peers";
    static final int MAX_PEERS = 4096;
    private static final int MAX_NAMES = 20;
    private static final int MAX_SAMPLE = 5;

    private final CloudEndpoints clouds;
    private final int scanPeers;
    private final int manyPeers;

    /**
     * @param scanPeers distinct destinations on telnet or SSH ports that make a scan (default
     *     {@value #DEFAULT_SCAN_PEERS})
     * @param manyPeers distinct destinations that make "many peers" (default
     *     {@value #DEFAULT_MANY_PEERS})
     */
    public BehaviourDetector(CloudEndpoints clouds, int scanPeers, int manyPeers) {
        if (scanPeers < 1 || manyPeers < 1) {
            throw new IllegalArgumentException("thresholds must be at least 1");
        }
        this.clouds = clouds;
        this.scanPeers = Math.min(scanPeers, MAX_PEERS);
        this.manyPeers = Math.min(manyPeers, MAX_PEERS);
    }

    /** The default thresholds. */
    public BehaviourDetector(CloudEndpoints clouds) {
        this(clouds, DEFAULT_SCAN_PEERS, DEFAULT_MANY_PEERS);
    }

    /** The shipped clouds, the default thresholds. */
    public static BehaviourDetector shipped() {
        return new BehaviourDetector(CloudEndpoints.shipped());
    }

    public int scanPeers() {
        return scanPeers;
    }

    public int manyPeers() {
        return manyPeers;
    }

    /** The behaviour findings of these observations, grouped by device in first-seen order. */
    public List<Finding> detect(Collection<Observation> observations) {
        Session s = newSession();
        observations.forEach(s::accept);
        return s.finish();
    }

    /** A streaming evaluation: feed every observation of a scan, then {@link Session#finish()}. */
    public Session newSession() {
        return new Session();
    }

    private static final class Device {
        String mac;
        final Map<CloudEndpoints.Cloud, Set<String>> clouds = new LinkedHashMap<>();
        final Set<String> telnet = new LinkedHashSet<>();
        final Set<String> ssh = new LinkedHashSet<>();
        final Set<String> peers = new LinkedHashSet<>();
        final Map<String, Integer> telnetPorts = new TreeMap<>();
    }

    /** Accumulates per device; bounded memory per device. */
    public final class Session {
        private final Map<String, Device> devices = new LinkedHashMap<>();

        private Session() {
        }

        public void accept(Observation o) {
            if (o.isError()) {
                return;
            }
            Optional<String> dst = o.field(Fields.FLOW_DST);
            List<String> names = new ArrayList<>(2);
            o.field(Fields.DNS_QUERY).ifPresent(q -> {
                for (String n : q.split(",")) {
                    if (!n.isBlank()) {
                        names.add(n.strip());
                    }
                }
            });
            o.field(Fields.TLS_SNI).ifPresent(names::add);
            if (dst.isEmpty() && names.isEmpty()) {
                return;
            }
            String address = o.field(Fields.FLOW_SRC).orElse(o.address());
            Device d = devices.computeIfAbsent(address, a -> new Device());
            if (d.mac == null && o.mac().isPresent()) {
                d.mac = o.mac().get();
            }
            for (String n : names) {
                clouds.lookup(n).ifPresent(c -> {
                    Set<String> seen = d.clouds.computeIfAbsent(c, k -> new LinkedHashSet<>());
                    if (seen.size() < MAX_NAMES) {
                        seen.add(n.toLowerCase(java.util.Locale.ROOT));
                    }
                });
            }
            if (dst.isEmpty() || ignoredPeer(dst.get())) {
                return;
            }
            String peer = dst.get();
            add(d.peers, peer);
            boolean tcp = o.field(Fields.FLOW_PROTO).map("tcp"::equals).orElse(false);
            int port = o.field(Fields.FLOW_DPORT).map(BehaviourDetector::port).orElse(-1);
            if (tcp && (port == 23 || port == 2323)) {
                if (add(d.telnet, peer)) {
                    d.telnetPorts.merge(Integer.toString(port), 1, Integer::sum);
                }
            } else if (tcp && port == 22) {
                add(d.ssh, peer);
            }
        }

        /** The findings, grouped by device in first-seen order. */
        public List<Finding> finish() {
            List<Finding> out = new ArrayList<>();
            devices.forEach((address, d) -> {
                String key = d.mac != null ? d.mac : address;
                d.clouds.forEach((c, names) -> {
                    List<String> evidence = new ArrayList<>();
                    evidence.add("behaviour: asked for " + c.title() + " names (DNS query or TLS"
                            + " SNI)");
                    names.forEach(n -> evidence.add("name " + n));
                    Map<String, String> details = new LinkedHashMap<>();
                    details.put("cloud", c.id());
                    details.put("platform", c.platform());
                    details.put("names", String.join(", ", names));
                    details.put("source", c.source());
                    out.add(new Finding(c.findingId(), Finding.Kind.BEHAVIOUR,
                            Finding.Severity.HIGH, key, address, "Phones home to " + c.title()
                                    + " (" + c.platform() + " vendor cloud)",
                            evidence, Optional.empty(), Finding.Remediation.ISOLATE, details));
                });
                if (d.telnet.size() >= scanPeers) {
                    out.add(scan(TELNET_SCAN, "telnet (TCP 23/2323)", key, address, d.telnet,
                            d.telnetPorts));
                }
                if (d.ssh.size() >= scanPeers) {
                    out.add(scan(SSH_SCAN, "SSH (TCP 22)", key, address, d.ssh, Map.of("22", d.ssh
                            .size())));
                }
                if (d.peers.size() >= manyPeers) {
                    List<String> evidence = List.of("behaviour: flows to " + count(d.peers)
                            + " distinct destinations (threshold " + manyPeers + ")",
                            "sample " + sample(d.peers));
                    out.add(new Finding(MANY_PEERS, Finding.Kind.BEHAVIOUR,
                            Finding.Severity.HIGH, key, address, "Talks to " + count(d.peers)
                                    + " distinct peers (relay or botnet behaviour?)",
                            evidence, Optional.empty(), Finding.Remediation.MONITOR, Map.of(
                                    "peers", count(d.peers), "threshold", Integer.toString(
                                            manyPeers))));
                }
            });
            devices.clear();
            return List.copyOf(out);
        }

        private Finding scan(String id, String service, String key, String address,
                Set<String> peers, Map<String, Integer> ports) {
            List<String> evidence = new ArrayList<>();
            evidence.add("behaviour: outbound " + service + " flows to " + count(peers)
                    + " distinct addresses (threshold " + scanPeers + ")");
            evidence.add("sample " + sample(peers));
            Map<String, String> details = new LinkedHashMap<>();
            details.put("peers", count(peers));
            details.put("threshold", Integer.toString(scanPeers));
            ports.forEach((p, n) -> details.put("port_" + p, Integer.toString(n)));
            return new Finding(id, Finding.Kind.BEHAVIOUR, Finding.Severity.CRITICAL, key,
                    address, "Scans outward on " + service + " (" + count(peers) + " addresses)",
                    evidence, Optional.empty(), Finding.Remediation.ISOLATE, details);
        }
    }

    private static boolean add(Set<String> set, String value) {
        return set.size() < MAX_PEERS && set.add(value);
    }

    private static String count(Set<String> peers) {
        return peers.size() >= MAX_PEERS
                ? "at least " + MAX_PEERS
                : Integer.toString(peers
                        .size());
    }

    private static String sample(Set<String> peers) {
        List<String> out = new ArrayList<>();
        for (String p : peers) {
            if (out.size() == MAX_SAMPLE) {
                out.add("...");
                break;
            }
            out.add(p);
        }
        return String.join(", ", out);
    }

    private static int port(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Multicast and broadcast destinations are not peers. */
    static boolean ignoredPeer(String address) {
        String a = address.strip().toLowerCase(java.util.Locale.ROOT);
        if (a.startsWith("ff")) {
            return a.contains(":");
        }
        if (a.equals("255.255.255.255")) {
            return true;
        }
        int dot = a.indexOf('.');
        if (dot <= 0 || a.contains(":")) {
            return false;
        }
        try {
            int first = Integer.parseInt(a.substring(0, dot));
            return first >= 224 && first <= 239;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
