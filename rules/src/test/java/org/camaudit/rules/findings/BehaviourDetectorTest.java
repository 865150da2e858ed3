package org.camaudit.rules.findings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.camaudit.model.Fields;
import org.camaudit.model.Finding;
import org.camaudit.model.Observation;
import org.camaudit.model.SiteRanges;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;
import org.junit.jupiter.api.Test;

/** Behaviour findings from hand-built traffic observations (TEST-NET addresses only). */
class BehaviourDetectorTest {
    static final BehaviourDetector DETECTOR = new BehaviourDetector(FindingPacksTest.PACKS
            .clouds());

    static Observation dns(String device, String mac, String name) {
        Observation.Builder b = Observation.builder(Source.PASSIVE, device).protocol("dns")
                .port(53).transport(Transport.UDP).field(Fields.DNS_QUERY, name);
        if (mac != null) {
            b.mac(mac);
        }
        return b.build();
    }

    static Observation sni(String device, String name) {
        return Observation.builder(Source.PASSIVE, device).protocol("tls").port(443)
                .transport(Transport.TCP).field(Fields.TLS_SNI, name).build();
    }

    static Observation flow(String device, String peer, int port, String proto) {
        return Observation.builder(Source.PASSIVE, device).protocol("flow").port(port)
                .transport(proto.equals("tcp") ? Transport.TCP : Transport.UDP)
                .field(Fields.FLOW_SRC, device).field(Fields.FLOW_DST, peer)
                .field(Fields.FLOW_DPORT, Integer.toString(port)).field(Fields.FLOW_PROTO, proto)
                .field(Fields.FLOW_BYTES, "60").field(Fields.FLOW_PACKETS, "1")
                .field(Fields.FLOW_COUNT, "1").field(Fields.FLOW_ORIGIN, "capture").build();
    }

    static final Instant T0 = Instant.ofEpochSecond(1_760_000_040);

    /** A flow as the traffic module's FlowBook folds it: totals of both directions, times. */
    static Observation flow(String device, String peer, int port, String proto, long bytes,
            Instant first, Instant last) {
        return Observation.builder(Source.PASSIVE, device).time(first).protocol("flow").port(port)
                .transport(proto.equals("tcp") ? Transport.TCP : Transport.UDP)
                .field(Fields.FLOW_SRC, device).field(Fields.FLOW_DST, peer)
                .field(Fields.FLOW_DPORT, Integer.toString(port)).field(Fields.FLOW_PROTO, proto)
                .field(Fields.FLOW_BYTES, Long.toString(bytes))
                .field(Fields.FLOW_PACKETS, Long.toString(1 + bytes / 1500))
                .field(Fields.FLOW_COUNT, "1").field(Fields.FLOW_FIRST, first.toString())
                .field(Fields.FLOW_LAST, last.toString()).field(Fields.FLOW_ORIGIN, "capture")
                .build();
    }

    /** A DNS reply as the traffic module's DnsDecoder reports it: about the client. */
    static Observation dnsReply(String client, String name, String answers) {
        return Observation.builder(Source.PASSIVE, client).protocol("dns").port(53)
                .transport(Transport.UDP).field(Fields.DNS_QUERY, name)
                .field(Fields.DNS_ANSWER, answers).build();
    }

    /** X -> device:9000 at T0, then device -> Y:9100 {@code laterMillis} after. */
    static List<Observation> relayed(String x, String device, String y, long bytesIn,
            long bytesOut, long laterMillis) {
        Instant out = T0.plusMillis(laterMillis);
        return List.of(flow(x, device, 9000, "tcp", bytesIn, T0, T0), flow(device, y, 9100, "tcp",
                bytesOut, out, out.plusSeconds(1)));
    }

    static Finding only(List<Finding> findings, String address) {
        List<Finding> mine = findings.stream().filter(f -> f.address().equals(address))
                .toList();
        assertThat(mine).as(address).hasSize(1);
        return mine.get(0);
    }

    /** Flows from a device to {@code n} distinct TEST-NET-2 and TEST-NET-3 addresses. */
    static List<Observation> flows(String device, int n, int port, String proto) {
        List<Observation> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String peer = (i < 250 ? "198.51.100." : "203.0.113.") + (1 + i % 250);
            out.add(flow(device, peer, port, proto));
        }
        return out;
    }

    static List<String> ids(List<Finding> findings, String address) {
        return findings.stream().filter(f -> f.address().equals(address)).map(Finding::id)
                .toList();
    }

    @Test
    void vendorCloudNamesByDnsAndSniArePhoneHome() {
        List<Finding> f = DETECTOR.detect(List.of(
                dns("192.0.2.10", "c0:56:e3:11:22:33", "litedev.hik-connect.com."),
                dns("192.0.2.10", null, "api.HIK-CONNECT.com"),
                sni("192.0.2.11", "www.easy4ipcloud.com"),
                dns("192.0.2.12", null, "www.example.com, time.example.org"),
                sni("192.0.2.12", "hik-connect.com.example.net")));
        assertThat(ids(f, "192.0.2.10")).containsExactly("vendor-cloud-hik-connect");
        assertThat(ids(f, "192.0.2.11")).containsExactly("vendor-cloud-easy4ip");
        assertThat(ids(f, "192.0.2.12")).isEmpty();
        Finding hik = f.get(0);
        assertThat(hik.kind()).isEqualTo(Finding.Kind.BEHAVIOUR);
        assertThat(hik.severity()).isEqualTo(Finding.Severity.HIGH);
        assertThat(hik.remediation()).isEqualTo(Finding.Remediation.ISOLATE);
        assertThat(hik.deviceKey()).isEqualTo("c0:56:e3:11:22:33");
        assertThat(hik.evidence()).contains("name litedev.hik-connect.com.",
                "name api.hik-connect.com");
        assertThat(f.get(1).deviceKey()).isEqualTo("192.0.2.11");
    }

    @Test
    void telnetScanNeedsTheThresholdOfDistinctAddresses() {
        List<Observation> obs = new ArrayList<>(flows("192.0.2.20", 19, 23, "tcp"));
        obs.add(flow("192.0.2.20", "198.51.100.200", 2323, "tcp"));
        // the same address again and UDP to port 23 do not count
        obs.add(flow("192.0.2.20", "198.51.100.1", 2323, "tcp"));
        obs.addAll(flows("192.0.2.21", 19, 23, "tcp"));
        obs.addAll(flows("192.0.2.22", 30, 23, "udp"));
        List<Finding> f = DETECTOR.detect(obs);
        assertThat(ids(f, "192.0.2.20")).containsExactly(BehaviourDetector.TELNET_SCAN);
        assertThat(ids(f, "192.0.2.21")).isEmpty();
        assertThat(ids(f, "192.0.2.22")).isEmpty();
        Finding scan = f.get(0);
        assertThat(scan.severity()).isEqualTo(Finding.Severity.CRITICAL);
        assertThat(scan.remediation()).isEqualTo(Finding.Remediation.ISOLATE);
        assertThat(scan.details()).containsEntry("peers", "20").containsEntry("port_2323", "1");
    }

    @Test
    void sshScanAndCustomThreshold() {
        List<Observation> obs = new ArrayList<>(flows("192.0.2.30", 5, 22, "tcp"));
        obs.addAll(flows("192.0.2.31", 4, 22, "tcp"));
        List<Finding> f = new BehaviourDetector(FindingPacksTest.PACKS.clouds(), 5, 50).detect(
                obs);
        assertThat(ids(f, "192.0.2.30")).containsExactly(BehaviourDetector.SSH_SCAN);
        assertThat(ids(f, "192.0.2.31")).isEmpty();
        assertThat(ids(DETECTOR.detect(obs), "192.0.2.30")).isEmpty();
    }

    @Test
    void manyDistinctPeersIsMonitored() {
        List<Observation> obs = new ArrayList<>(networks("192.0.2.40", 50, 443, "tcp"));
        obs.addAll(networks("192.0.2.41", 49, 443, "udp"));
        // multicast and broadcast are not peers
        for (int i = 1; i <= 10; i++) {
            obs.add(flow("192.0.2.41", "239.255.255." + i, 1900, "udp"));
        }
        obs.add(flow("192.0.2.41", "255.255.255.255", 67, "udp"));
        List<Finding> f = DETECTOR.detect(obs);
        assertThat(ids(f, "192.0.2.40")).containsExactly(BehaviourDetector.MANY_PEERS);
        assertThat(ids(f, "192.0.2.41")).isEmpty();
        assertThat(f.get(0).severity()).isEqualTo(Finding.Severity.HIGH);
        assertThat(f.get(0).remediation()).isEqualTo(Finding.Remediation.MONITOR);
        assertThat(f.get(0).details()).containsEntry("peers", "50");
    }

    /** Flows from a device to one address in each of {@code n} distinct external /24s. */
    static List<Observation> networks(String device, int n, int port, String proto) {
        List<Observation> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(flow(device, "198.18." + i + ".1", port, proto));
        }
        return out;
    }

    /**
     * Benign IoT traffic that meets many addresses: a CDN's rotating addresses (named by DNS
     * answers), one provider's /24, an NTP pool, DNS resolvers, a gateway and LAN hosts. None is
     * many peers; the same count of distinct networks is.
     */
    @Test
    void cdnNtpPoolResolversAndTheLanAreNotManyPeers() {
        List<Observation> obs = new ArrayList<>();
        StringBuilder answer = new StringBuilder("media.cam-vendor.example CNAME a1.cdn-edge.net");
        for (int i = 0; i < 80; i++) {
            answer.append(", a1.cdn-edge.net A 198.18.").append(i).append(".7");
            obs.add(flow("127.0.1.50", "198.18." + i + ".7", 443, "tcp"));
        }
        obs.add(0, dnsReply("127.0.1.50", "media.cam-vendor.example", answer.toString()));
        obs.addAll(flows("127.0.1.51", 120, 443, "tcp")); // one provider: 198.51.100/24 ...
        for (int i = 0; i < 80; i++) {
            obs.add(flow("127.0.1.52", "198.19." + i + ".123", 123, "udp")); // an NTP pool
            obs.add(flow("127.0.1.53", "198.19." + i + ".53", 53, "udp")); // resolvers
            obs.add(flow("127.0.1.54", "127.0.1." + (100 + i), 80, "tcp")); // LAN hosts
        }
        obs.add(flow("127.0.1.54", "127.0.1.1", 53, "udp"));
        assertThat(DETECTOR.detect(obs))
                .noneMatch(f -> f.id().equals(BehaviourDetector.MANY_PEERS));
        List<Finding> spread = DETECTOR.detect(networks("127.0.1.55", 50, 443, "tcp"));
        assertThat(ids(spread, "127.0.1.55")).containsExactly(BehaviourDetector.MANY_PEERS);
    }

    /** Hosts in the operator's own ranges ({@code --local}) are the site's, not external peers. */
    @Test
    void peersInTheOperatorsRangesAreNotExternal() {
        List<Observation> obs = networks("127.0.1.56", 60, 443, "tcp"); // 198.18.0-59.1
        BehaviourDetector.Session builtIn = DETECTOR.newSession();
        obs.forEach(builtIn::accept);
        assertThat(ids(builtIn.finish(), "127.0.1.56")).containsExactly(
                BehaviourDetector.MANY_PEERS);
        BehaviourDetector.Session site = DETECTOR.newSession(SiteRanges.parse("198.18.0.0/15"));
        obs.forEach(site::accept);
        assertThat(site.finish()).isEmpty();
    }

    /**
     * A resolver forwarding queries, a time server, a UDP stream and a TCP flow met midway are no
     * relays, though their bytes match; the same legs over TCP with their openings seen are.
     */
    @Test
    void dnsNtpUdpAndMidstreamLegsAreNoRelay() {
        Instant out = T0.plusMillis(200);
        List<Observation> obs = new ArrayList<>();
        obs.add(flow("127.0.0.2", "127.0.0.10", 53, "udp", 40_960, T0, T0));
        obs.add(flow("127.0.0.10", "127.0.0.20", 53, "udp", 40_960, out, out));
        obs.add(flow("127.0.0.3", "127.0.0.11", 123, "udp", 40_960, T0, T0));
        obs.add(flow("127.0.0.11", "127.0.0.21", 123, "udp", 40_960, out, out));
        obs.add(flow("127.0.0.4", "127.0.0.12", 9000, "udp", 40_960, T0, T0));
        obs.add(flow("127.0.0.12", "127.0.0.22", 9100, "udp", 40_960, out, out));
        obs.add(flow("127.0.0.5", "127.0.0.13", 53, "tcp", 40_960, T0, T0));
        obs.add(flow("127.0.0.13", "127.0.0.23", 53, "tcp", 40_960, out, out));
        Observation.Builder midway = Observation.builder(Source.PASSIVE, "127.0.0.6").time(T0)
                .protocol("flow");
        flow("127.0.0.6", "127.0.0.14", 9000, "tcp", 40_960, T0, T0).fields().forEach(
                midway::field);
        obs.add(midway.field(Fields.FLOW_MIDSTREAM, "true").build());
        obs.add(flow("127.0.0.14", "127.0.0.24", 9100, "tcp", 40_960, out, out));
        assertThat(DETECTOR.detect(obs)).noneMatch(f -> f.id().equals(BehaviourDetector.RELAY));
        List<Finding> tcp = DETECTOR.detect(relayed("127.0.0.7", "127.0.0.15", "127.0.0.25",
                40_960, 40_960, 200));
        assertThat(ids(tcp, "127.0.0.15")).containsExactly(BehaviourDetector.RELAY);
    }

    @Test
    void quietDeviceAndActiveProbesGiveNothing() {
        Observation http = Observation.builder(Source.ACTIVE, "192.0.2.50").protocol("http")
                .port(80).transport(Transport.TCP).field(Fields.HTTP_STATUS, "200").build();
        List<Observation> obs = new ArrayList<>(flows("192.0.2.51", 3, 53, "udp"));
        obs.add(http);
        obs.add(dns("192.0.2.51", null, "ntp.example.org"));
        assertThat(DETECTOR.detect(obs)).isEmpty();
        assertThatThrownBy(() -> new BehaviourDetector(FindingPacksTest.PACKS.clouds(), 0, 5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void flowsToAddressesCloudNamesResolvedToArePhoneHomeWhoeverAsked() {
        List<Finding> f = DETECTOR.detect(List.of(
                // flows first: the answer arrives later in the log, the match is made at the end
                flow("192.0.2.11", "203.0.113.80", 443, "tcp", 3_000, T0, T0.plusSeconds(4)),
                flow("192.0.2.11", "2001:db8::80", 8800, "udp", 500, T0, T0),
                flow("192.0.2.12", "203.0.113.81", 443, "tcp", 3_000, T0, T0),
                flow("192.0.2.13", "203.0.113.90", 443, "tcp", 3_000, T0, T0),
                dnsReply("192.0.2.10", "www.easy4ipcloud.com", "www.easy4ipcloud.com CNAME"
                        + " edge.example.net, edge.example.net A 203.0.113.80, edge.example.net"
                        + " AAAA 2001:db8::80"),
                dnsReply("192.0.2.10", "www.example.com", "www.example.com A 203.0.113.90")));
        // the asker is reported by name; the device that only connected, by address
        assertThat(only(f, "192.0.2.10").details()).containsEntry("matched", "name")
                .containsEntry("flows", "0");
        Finding byAddress = only(f, "192.0.2.11");
        assertThat(byAddress.id()).isEqualTo("vendor-cloud-easy4ip");
        assertThat(byAddress.severity()).isEqualTo(Finding.Severity.HIGH);
        assertThat(byAddress.details()).containsEntry("matched", "address")
                .containsEntry("flows", "2").containsEntry("bytes", "3500")
                .doesNotContainKey("names");
        assertThat(byAddress.evidence()).contains("address 203.0.113.80", "address 2001:db8::80");
        assertThat(ids(f, "192.0.2.12")).isEmpty();
        assertThat(ids(f, "192.0.2.13")).isEmpty();
    }

    @Test
    void knownPortAloneIsMediumAndANameMakesItHigh() {
        List<Finding> f = DETECTOR.detect(List.of(
                flow("192.0.2.20", "198.51.100.88", 8800, "udp", 400, T0, T0),
                flow("192.0.2.21", "198.51.100.88", 8800, "tcp", 400, T0, T0),
                flow("192.0.2.22", "127.0.0.5", 8800, "udp", 400, T0, T0),
                flow("192.0.2.23", "198.51.100.89", 8800, "udp", 400, T0, T0),
                dns("192.0.2.23", null, "www.easy4ipcloud.com")));
        Finding portOnly = only(f, "192.0.2.20");
        assertThat(portOnly.id()).isEqualTo("vendor-cloud-easy4ip");
        assertThat(portOnly.severity()).isEqualTo(Finding.Severity.MEDIUM);
        assertThat(portOnly.remediation()).isEqualTo(Finding.Remediation.ISOLATE);
        assertThat(portOnly.evidence()).anyMatch(e -> e.contains("matched by port only"))
                .contains("port udp/8800 to 198.51.100.88");
        assertThat(portOnly.details()).containsEntry("matched", "port").containsEntry("bytes",
                "400");
        // the facts give UDP for 8800; a local address is never a vendor cloud
        assertThat(ids(f, "192.0.2.21")).isEmpty();
        assertThat(ids(f, "192.0.2.22")).isEmpty();
        Finding both = only(f, "192.0.2.23");
        assertThat(both.severity()).isEqualTo(Finding.Severity.HIGH);
        assertThat(both.details()).containsEntry("matched", "name, port");
        assertThat(both.evidence()).contains("name www.easy4ipcloud.com",
                "port udp/8800 to 198.51.100.89");
    }

    @Test
    void forwardingDnsResolverIsNotAPhoneHomeDevice() {
        List<Observation> resolverAsks = List.of(
                dns("192.0.2.53", null, "litedev.hik-connect.com"),
                flow("192.0.2.53", "198.51.100.53", 53, "udp", 180, T0, T0));
        assertThat(ids(DETECTOR.detect(resolverAsks), "192.0.2.53")).as(
                "alone, its queries are phone-home").containsExactly("vendor-cloud-hik-connect");
        List<Observation> obs = new ArrayList<>(resolverAsks);
        obs.add(dns("192.0.2.10", null, "litedev.hik-connect.com"));
        obs.add(flow("192.0.2.10", "192.0.2.53", 53, "udp", 180, T0, T0));
        // a resolver over TCP with its own TLS connection to the cloud still counts for that
        obs.add(flow("192.0.2.11", "192.0.2.54", 53, "tcp", 300, T0, T0));
        obs.add(dns("192.0.2.54", null, "api.ezvizlife.com"));
        obs.add(sni("192.0.2.54", "litedev.hik-connect.com"));
        List<Finding> f = DETECTOR.detect(obs);
        assertThat(ids(f, "192.0.2.53")).isEmpty();
        assertThat(ids(f, "192.0.2.10")).containsExactly("vendor-cloud-hik-connect");
        assertThat(ids(f, "192.0.2.54")).containsExactly("vendor-cloud-hik-connect");
        assertThat(f).noneMatch(x -> String.join(" ", x.evidence()).contains("192.0.2.53"));
    }

    @Test
    void relayForwardsAboutTheSameBytesToAnotherPeerSoonAfter() {
        Instant in = T0;
        List<Observation> obs = new ArrayList<>();
        // the relay: 127.0.0.2 -> 127.0.0.10:9000, then 127.0.0.10 -> 127.0.0.20:9100
        obs.addAll(relayed("127.0.0.2", "127.0.0.10", "127.0.0.20", 40_960, 43_000, 300));
        // too late, too different, too small, back to the same peer, before the inbound
        obs.addAll(relayed("127.0.0.3", "127.0.0.11", "127.0.0.21", 40_960, 40_960, 3_000));
        obs.addAll(relayed("127.0.0.4", "127.0.0.12", "127.0.0.22", 40_960, 50_000, 1_000));
        obs.addAll(relayed("127.0.0.5", "127.0.0.13", "127.0.0.23", 1_500, 1_500, 1_000));
        obs.addAll(relayed("127.0.0.6", "127.0.0.14", "127.0.0.6", 40_960, 40_960, 1_000));
        obs.addAll(relayed("127.0.0.7", "127.0.0.15", "127.0.0.25", 40_960, 40_960, -1_000));
        List<Finding> f = DETECTOR.detect(obs);
        Finding relay = only(f, "127.0.0.10");
        assertThat(relay.id()).isEqualTo(BehaviourDetector.RELAY);
        assertThat(relay.severity()).isEqualTo(Finding.Severity.CRITICAL);
        assertThat(relay.remediation()).isEqualTo(Finding.Remediation.ISOLATE);
        assertThat(relay.evidence()).anyMatch(e -> e.startsWith(
                "relay 127.0.0.2 -> 127.0.0.10:9000 (tcp, 40960 bytes, " + in
                        + ") -> 127.0.0.20:9100"
                        + " (tcp, 43000 bytes"));
        assertThat(relay.details()).containsEntry("from", "127.0.0.2").containsEntry("to",
                "127.0.0.20:9100").containsEntry("bytes_in", "40960");
        for (String quiet : List.of("127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14",
                "127.0.0.15")) {
            assertThat(f).as(quiet).noneMatch(x -> x.address().equals(quiet));
        }
        // a wider window and tolerance, a lower minimum catch the late, different and small ones
        BehaviourDetector wide = new BehaviourDetector(FindingPacksTest.PACKS.clouds(), 20, 50,
                new BehaviourDetector.RelayThresholds(Duration.ofSeconds(5), 0.3, 1_000),
                BehaviourDetector.VolumeThresholds.defaults());
        List<Finding> g = wide.detect(obs);
        for (String relayed : List.of("127.0.0.10", "127.0.0.11", "127.0.0.12", "127.0.0.13")) {
            assertThat(ids(g, relayed)).as(relayed).containsExactly(BehaviourDetector.RELAY);
        }
        assertThat(ids(g, "127.0.0.14")).isEmpty();
        assertThat(ids(g, "127.0.0.15")).isEmpty();
    }

    @Test
    void volumeOverTheDevicesOwnBaseline() {
        List<Observation> obs = new ArrayList<>();
        for (int minute = 0; minute < 10; minute++) {
            Instant at = T0.plusSeconds(60L * minute);
            long spike = minute == 7 ? 50_000_000 : 1_000_000;
            obs.add(flow("192.0.2.70", "203.0.113.70", 443, "tcp", spike, at, at.plusSeconds(30)));
            // always busy: 20 MB a minute is its baseline
            obs.add(flow("192.0.2.71", "203.0.113.71", 443, "tcp", minute == 7
                    ? 60_000_000
                    : 20_000_000, at, at.plusSeconds(30)));
        }
        // 100 MB spread over its nine-minute span: about 11 MB in each bin, every bin like the
        // others (were it all put in its first bin, that bin would be raised)
        obs.add(flow("192.0.2.72", "203.0.113.72", 443, "tcp", 100_000_000, T0, T0.plusSeconds(
                540)));
        // 100 MB within one minute: over the floor, and its baseline is silence
        obs.add(flow("192.0.2.73", "203.0.113.73", 443, "tcp", 100_000_000, T0.plusSeconds(120),
                T0.plusSeconds(150)));
        List<Finding> f = DETECTOR.detect(obs);
        Finding v = only(f, "192.0.2.70");
        assertThat(v.id()).isEqualTo(BehaviourDetector.VOLUME);
        assertThat(v.severity()).isEqualTo(Finding.Severity.HIGH);
        assertThat(v.remediation()).isEqualTo(Finding.Remediation.MONITOR);
        assertThat(v.details()).containsEntry("peak_bytes", "50000000").containsEntry(
                "median_bytes", "1000000").containsEntry("threshold_bytes", "10000000")
                .containsEntry("bins", "10").containsEntry("bins_over", "1").containsEntry(
                        "peak_bin", T0.plusSeconds(420).toString());
        assertThat(ids(f, "192.0.2.71")).isEmpty();
        assertThat(ids(f, "192.0.2.72")).isEmpty();
        assertThat(ids(f, "192.0.2.73")).containsExactly(BehaviourDetector.VOLUME);
        // history: with the scan spanning five bins (four besides the spike) nothing is said,
        // with six bins the spike is raised
        Observation burst = obs.get(obs.size() - 1);
        List<Observation> fiveBins = new ArrayList<>(obs.subList(0, 10));
        fiveBins.add(burst);
        assertThat(DETECTOR.detect(fiveBins)).isEmpty();
        List<Observation> sixBins = new ArrayList<>(obs.subList(0, 12));
        sixBins.add(burst);
        assertThat(ids(DETECTOR.detect(sixBins), "192.0.2.73")).containsExactly(
                BehaviourDetector.VOLUME);
        // a lower factor and floor raise the busy device too
        BehaviourDetector strict = new BehaviourDetector(FindingPacksTest.PACKS.clouds(), 20, 50,
                BehaviourDetector.RelayThresholds.defaults(),
                new BehaviourDetector.VolumeThresholds(
                        Duration.ofSeconds(60), 2, 1_000_000, 5));
        assertThat(ids(strict.detect(obs), "192.0.2.71")).containsExactly(
                BehaviourDetector.VOLUME);
    }

    @Test
    void volumeMedianLeavesTheTestedBinOut() {
        long[] sorted = {1, 5, 100};
        assertThat(VolumeBaseline.medianWithout(sorted, 0, 2)).isEqualTo(3.0);
        // two silent bins: 0, 0, 1, 5
        assertThat(VolumeBaseline.medianWithout(sorted, 2, 2)).isEqualTo(0.5);
        assertThat(VolumeBaseline.medianWithout(sorted, 1, 0)).isEqualTo(5.0);
        assertThat(VolumeBaseline.medianWithout(new long[]{7}, 0, 0)).isZero();
    }

    @Test
    void newThresholdsAreChecked() {
        assertThatThrownBy(() -> new BehaviourDetector.RelayThresholds(Duration.ZERO, 0.2, 2000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BehaviourDetector.RelayThresholds(Duration.ofSeconds(2), 1,
                2000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BehaviourDetector.VolumeThresholds(Duration.ofMillis(500),
                10, 0, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BehaviourDetector.VolumeThresholds(Duration.ofSeconds(60),
                10, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(BehaviourDetector.shipped().volume()).isEqualTo(
                new BehaviourDetector.VolumeThresholds(Duration.ofSeconds(60), 10, 10_000_000, 5));
        assertThat(BehaviourDetector.shipped().relay()).isEqualTo(
                new BehaviourDetector.RelayThresholds(Duration.ofSeconds(2), 0.2, 2_000));
    }
}
