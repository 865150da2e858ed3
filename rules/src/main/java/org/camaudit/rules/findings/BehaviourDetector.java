package org.camaudit.rules.findings;

import java.time.Duration;
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
import org.camaudit.model.SiteRanges;

/**
 * Behaviour findings from a scan's traffic observations ({@code dns.query}, {@code tls.sni} and
 * {@code flow.*}, as the traffic module emits them), per device address. Pure: no I/O.
 *
 * <ul>
 * <li>vendor-cloud phone-home: a DNS query or TLS SNI for a name of a vendor cloud
 * ({@link CloudEndpoints}), or flows to an address such a name resolved to, give
 * {@code vendor-cloud-<id>}, high, isolate; flows only to a cloud's known port give the same id,
 * medium; a forwarding DNS resolver's own DNS queries do not count (see {@link CloudContacts});</li>
 * <li>outbound scanning: flows from the device to at least {@code scanPeers} (default
 * {@value #DEFAULT_SCAN_PEERS}) distinct addresses on TCP port 23 or 2323 give
 * {@code outbound-telnet-scan}, on port 22 {@code outbound-ssh-scan}; critical, isolate;</li>
 * <li>many peers: flows from the device to at least {@code manyPeers} (default
 * {@value #DEFAULT_MANY_PEERS}) distinct external peers give {@code many-external-peers}, high,
 * monitor; a peer is an organisation or a /24 (/48) network ({@link PeerGroups}), not an address,
 * as CDNs rotate theirs; local, multicast and broadcast destinations and the UDP services of
 * {@link #SERVICE_PORTS} (and DNS over TCP) are not counted;</li>
 * <li>relay: an inbound flow forwarded to another peer gives {@code relay-forwarding}, critical,
 * isolate ({@link RelayThresholds}, {@link RelayDetector});</li>
 * <li>volume: a time bin of a device's traffic far over its own median gives
 * {@code volume-over-baseline}, high, monitor ({@link VolumeThresholds}, {@link VolumeBaseline}).
 * </li>
 * </ul>
 * A flow observation is about its initiator ({@code flow.src}), or about its responder when a peer
 * outside the site opened it ({@link TrafficFlow#inbound()}: then it counts only as a relay's
 * inbound leg); a DNS or SNI observation about the asking device. The device key is the first MAC seen for the address, else the address. Memory
 * is bounded: at most {@value #MAX_PEERS} distinct peers are kept per device and counter.
 * Thread-safe and reusable; a {@link Session} is not thread-safe.
 */
public final class BehaviourDetector {
    public static final int DEFAULT_SCAN_PEERS = 20;
    public static final int DEFAULT_MANY_PEERS = 50;
    public static final String TELNET_SCAN = "outbound-telnet-scan";
    public static final String SSH_SCAN = "outbound-ssh-scan";
    public static final String MANY_PEERS = "many-external-peers";
    public static final String RELAY = "relay-forwarding";
    public static final String VOLUME = "volume-over-baseline";
    static final int MAX_PEERS = 4096;
    /**
     * UDP services every device uses with many servers (DNS, NTP pools, DHCP, mDNS, SSDP, LLMNR):
     * not counted as peers.
     */
    static final Set<Integer> SERVICE_PORTS = Set.of(53, 123, 67, 68, 5353, 1900, 5355);
    private static final int MAX_SAMPLE = 5;

    /**
     * Thresholds of {@code relay-forwarding}.
     *
     * @param window how soon after an inbound flow's first packet the outbound flow must start
     *     (default 2 s)
     * @param tolerance how far the outbound byte total may be from the inbound one, as a fraction
     *     of the inbound (default 0.20)
     * @param minBytes the least bytes of both flows (default 2,000: handshakes alone do not count)
     */
    public record RelayThresholds(Duration window, double tolerance, long minBytes) {
        public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(2);
        public static final double DEFAULT_TOLERANCE = 0.20;
        public static final long DEFAULT_MIN_BYTES = 2_000;

        public RelayThresholds {
            if (window.isNegative() || window.isZero() || !(tolerance >= 0 && tolerance < 1)
                    || minBytes < 1) {
                throw new IllegalArgumentException("relay: window must be positive, tolerance in"
                        + " [0, 1), minBytes at least 1");
            }
        }

        public static RelayThresholds defaults() {
            return new RelayThresholds(DEFAULT_WINDOW, DEFAULT_TOLERANCE, DEFAULT_MIN_BYTES);
        }
    }

    /**
     * Thresholds of {@code volume-over-baseline}: a bin is raised when its bytes exceed
     * max({@code factor} x the device's median bin, {@code floorBytes}) with at least
     * {@code minBins} other bins in the scan.
     *
     * @param bin the bin width, whole seconds (default 60 s)
     * @param factor K (default 10)
     * @param floorBytes the floor (default 10,000,000 bytes)
     * @param minBins M, the least other bins (default 5)
     */
    public record VolumeThresholds(Duration bin, double factor, long floorBytes, int minBins) {
        public static final Duration DEFAULT_BIN = Duration.ofSeconds(60);
        public static final double DEFAULT_FACTOR = 10;
        public static final long DEFAULT_FLOOR_BYTES = 10_000_000;
        public static final int DEFAULT_MIN_BINS = 5;

        public VolumeThresholds {
            if (bin.toSeconds() < 1 || !(factor >= 1) || floorBytes < 0 || minBins < 1) {
                throw new IllegalArgumentException("volume: bin at least 1 s, factor at least 1,"
                        + " floor not negative, minBins at least 1");
            }
        }

        public static VolumeThresholds defaults() {
            return new VolumeThresholds(DEFAULT_BIN, DEFAULT_FACTOR, DEFAULT_FLOOR_BYTES,
                    DEFAULT_MIN_BINS);
        }
    }

    private final CloudEndpoints clouds;
    private final int scanPeers;
    private final int manyPeers;
    private final RelayThresholds relay;
    private final VolumeThresholds volume;

    /**
     * @param scanPeers distinct destinations on telnet or SSH ports that make a scan (default
     *     {@value #DEFAULT_SCAN_PEERS})
     * @param manyPeers distinct destinations that make "many peers" (default
     *     {@value #DEFAULT_MANY_PEERS})
     */
    public BehaviourDetector(CloudEndpoints clouds, int scanPeers, int manyPeers,
            RelayThresholds relay, VolumeThresholds volume) {
        if (scanPeers < 1 || manyPeers < 1) {
            throw new IllegalArgumentException("thresholds must be at least 1");
        }
        this.clouds = clouds;
        this.scanPeers = Math.min(scanPeers, MAX_PEERS);
        this.manyPeers = Math.min(manyPeers, MAX_PEERS);
        this.relay = relay;
        this.volume = volume;
    }

    /** These peer thresholds, the default relay and volume thresholds. */
    public BehaviourDetector(CloudEndpoints clouds, int scanPeers, int manyPeers) {
        this(clouds, scanPeers, manyPeers, RelayThresholds.defaults(), VolumeThresholds
                .defaults());
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

    public RelayThresholds relay() {
        return relay;
    }

    public VolumeThresholds volume() {
        return volume;
    }

    /** The behaviour findings of these observations, grouped by device in first-seen order. */
    public List<Finding> detect(Collection<Observation> observations) {
        Session s = newSession();
        observations.forEach(s::accept);
        return s.finish();
    }

    /**
     * A streaming evaluation over the built-in private ranges only: feed every observation of a
     * scan, then {@link Session#finish()}.
     */
    public Session newSession() {
        return newSession(SiteRanges.builtIn());
    }

    /**
     * As {@link #newSession()}, a peer inside the scan's {@code site} ranges (the operator's
     * {@code --local} ones too) being local: no external peer, no cloud by its port.
     */
    public Session newSession(SiteRanges site) {
        return new Session(site);
    }

    private static final class Device {
        String mac;
        final Set<String> telnet = new LinkedHashSet<>();
        final Set<String> ssh = new LinkedHashSet<>();
        final Set<String> peers = new LinkedHashSet<>();
        final Map<String, Integer> telnetPorts = new TreeMap<>();
    }

    /** Accumulates per device; bounded memory per device. */
    public final class Session {
        private final Map<String, Device> devices = new LinkedHashMap<>();
        private final SiteRanges site;
        private CloudContacts cloud;
        private RelayDetector relays = new RelayDetector(relay);
        private VolumeBaseline volumes = new VolumeBaseline(volume);
        private PeerGroups groups = new PeerGroups();

        private Session(SiteRanges site) {
            this.site = site;
            this.cloud = new CloudContacts(clouds, site);
        }

        public void accept(Observation o) {
            if (o.isError()) {
                return;
            }
            Optional<TrafficFlow> flow = TrafficFlow.of(o);
            List<String> queries = new ArrayList<>(2);
            o.field(Fields.DNS_QUERY).ifPresent(q -> {
                for (String n : q.split(",")) {
                    if (!n.isBlank()) {
                        queries.add(n.strip());
                    }
                }
            });
            List<String> sni = o.field(Fields.TLS_SNI).stream().toList();
            o.field(Fields.DNS_ANSWER).ifPresent(cloud::answers);
            o.field(Fields.DNS_ANSWER).ifPresent(groups::answers);
            if (flow.isEmpty() && queries.isEmpty() && sni.isEmpty()) {
                return;
            }
            if (flow.isPresent() && flow.get().inbound()) {
                // a peer's flow into the site: a relay's inbound leg, not the device's own contact
                devices.computeIfAbsent(flow.get().dst(), a -> new Device());
                relays.flow(flow.get());
                return;
            }
            String address = flow.map(TrafficFlow::src).orElse(o.address());
            Device d = devices.computeIfAbsent(address, a -> new Device());
            if (d.mac == null && o.mac().isPresent()) {
                d.mac = o.mac().get();
            }
            cloud.names(address, queries, true);
            cloud.names(address, sni, false);
            if (flow.isEmpty() || ignoredPeer(flow.get().dst())) {
                return;
            }
            TrafficFlow f = flow.get();
            cloud.flow(f);
            relays.flow(f);
            volumes.flow(f);
            String peer = f.dst();
            boolean tcp = f.proto().equals("tcp");
            int port = f.port();
            if (!site.isLocal(peer) && !(!tcp && SERVICE_PORTS.contains(port))
                    && !(tcp && port == 53)) {
                add(d.peers, groups.of(peer));
            }
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
                cloud.finish(address, key, out);
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
                            + " distinct external peers, counted by organisation (DNS answer) or"
                            + " /24 (/48) network (threshold " + manyPeers + ")",
                            "sample " + sample(d.peers));
                    out.add(new Finding(MANY_PEERS, Finding.Kind.BEHAVIOUR,
                            Finding.Severity.HIGH, key, address, "Talks to " + count(d.peers)
                                    + " distinct peers (relay or botnet behaviour?)",
                            evidence, Optional.empty(), Finding.Remediation.MONITOR, Map.of(
                                    "peers", count(d.peers), "threshold", Integer.toString(
                                            manyPeers))));
                }
                relays.finish(address, key, out);
                volumes.finish(address, key, out);
            });
            devices.clear();
            cloud = new CloudContacts(clouds, site);
            relays = new RelayDetector(relay);
            volumes = new VolumeBaseline(volume);
            groups = new PeerGroups();
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
