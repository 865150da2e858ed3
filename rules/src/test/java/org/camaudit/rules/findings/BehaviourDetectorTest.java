package org.camaudit.rules.findings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.camaudit.model.Fields;
import org.camaudit.model.Finding;
import org.camaudit.model.Observation;
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
        List<Observation> obs = new ArrayList<>(flows("192.0.2.40", 50, 443, "tcp"));
        obs.addAll(flows("192.0.2.41", 49, 443, "udp"));
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
}
