package org.camaudit.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camaudit.traffic.TrafficAnalyzerTest.macOf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.camaudit.model.SiteRanges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only the site's own hosts are devices: observations about addresses outside the site's ranges
 * are not kept, a flow is about its local side, and a routed frame's MAC (the router's) never names
 * a remote or routed host.
 */
class SiteDevicesTest {
    static final String CAM = "192.168.1.20";
    static final String CAM_MAC = "c0:56:e3:11:22:33";
    static final String GW = "192.168.1.1";
    static final String GW_MAC = "00:11:22:33:44:55";
    static final String CLOUD = "52.1.2.3";

    @TempDir
    Path dir;

    private List<Observation> run(CaptureWriter w, SiteRanges site) throws IOException {
        Path p = dir.resolve("site.pcap");
        Files.write(p, w.pcap(ByteOrder.LITTLE_ENDIAN, false, 1));
        List<Observation> seen = new ArrayList<>();
        TrafficAnalyzer a = new TrafficAnalyzer(TrafficAnalyzer.Options.defaults().withSite(site),
                seen::add);
        assertThat(a.analyze(p).error()).isEmpty();
        a.finish();
        return seen;
    }

    /** A home network: the camera talks to a cloud through its gateway, which also asks DNS. */
    @Test
    void aCloudBehindTheGatewayIsAPeerAndTheGatewaysMacNamesOnlyTheGateway() throws IOException {
        CaptureWriter w = new CaptureWriter();
        w.tcp(CAM_MAC, CAM, 50000, GW_MAC, CLOUD, 443, 2, new byte[0]);
        w.tcp(GW_MAC, CLOUD, 443, CAM_MAC, CAM, 50000, 0x12, new byte[0]);
        w.tcp(GW_MAC, CLOUD, 443, CAM_MAC, CAM, 50000, 0x18, CaptureWriter.serverCertificate(
                "CN=cloud.example", "CN=CA"));
        // the cloud's own server header: about the peer
        w.tcp(GW_MAC, CLOUD, 80, CAM_MAC, CAM, 50001, 0x18, CaptureWriter.text(
                "HTTP/1.1 200 OK\r\nServer: nginx\r\n\r\n"));
        w.udp(GW_MAC, GW, 40000, "00:99:99:99:99:99", "192.168.1.53", 53, CaptureWriter.dnsQuery(1,
                "gateway.example"));
        // a flow between two peers seen on the mirror port
        w.udp(GW_MAC, "198.51.100.7", 1000, CAM_MAC, "203.0.113.9", 2000, new byte[8]);
        List<Observation> obs = run(w, SiteRanges.builtIn());
        assertThat(obs).isNotEmpty().allSatisfy(o -> assertThat(o.address()).startsWith(
                "192.168.1."));
        assertThat(obs).noneMatch(o -> o.fields().containsKey(Fields.HTTP_SERVER) || o.fields()
                .containsKey(Fields.TLS_SUBJECT));
        assertThat(obs).noneMatch(o -> "203.0.113.9".equals(o.fields().get(Fields.FLOW_DST)));
        assertThat(macOf(obs, CAM)).contains(CAM_MAC);
        assertThat(macOf(obs, GW)).as("a router's MAC names the one local address it carries")
                .contains(GW_MAC);
        assertThat(obs).filteredOn(o -> o.protocol().equals("flow")).isNotEmpty().allSatisfy(
                o -> assertThat(o.mac()).isEmpty());
        Observation opened = obs.stream().filter(o -> "443".equals(o.fields().get(
                Fields.FLOW_DPORT))).findFirst().orElseThrow();
        assertThat(opened.fields()).containsEntry(Fields.FLOW_SRC, CAM).doesNotContainKey(
                Fields.FLOW_MIDSTREAM);
        Observation midway = obs.stream().filter(o -> "50001".equals(o.fields().get(
                Fields.FLOW_DPORT))).findFirst().orElseThrow();
        assertThat(midway.fields()).as("met midway: which side opened it is a guess")
                .containsEntry(Fields.FLOW_MIDSTREAM, "true").containsEntry(Fields.FLOW_SRC,
                        CLOUD);
    }

    /** A router between two local subnets: its MAC carries both; it names neither. */
    @Test
    void aRoutedLocalHostDoesNotTakeTheRoutersMacButArpNamesIt() throws IOException {
        CaptureWriter w = new CaptureWriter();
        String router = "00:aa:00:00:00:01";
        w.udp(router, "10.1.0.5", 40000, CAM_MAC, CAM, 53, CaptureWriter.dnsQuery(1,
                "a.example"));
        w.udp(router, "10.2.0.7", 40000, CAM_MAC, CAM, 53, CaptureWriter.dnsQuery(2,
                "b.example"));
        w.udp(router, "169.254.3.4", 5353, "01:00:5e:00:00:fb", "224.0.0.251", 5353,
                CaptureWriter.dnsQuery(3, "c.local"));
        w.add(arp("00:bb:00:00:00:05", "10.1.0.5"), 0);
        List<Observation> obs = run(w, SiteRanges.builtIn());
        assertThat(TrafficAnalyzerTest.find(obs, Fields.DNS_QUERY, "a.example")).isPresent();
        assertThat(macOf(obs, "10.1.0.5")).as("ARP's sender binding").contains(
                "00:bb:00:00:00:05");
        assertThat(macOf(obs, "10.2.0.7")).as("routed: the frame's MAC is the router's")
                .isEmpty();
        assertThat(macOf(obs, "169.254.3.4")).as("link-local is never routed").contains(router);
    }

    /** The operator's public range is the site's; the same capture without it has no devices. */
    @Test
    void theOperatorsRangesAreLocal() throws IOException {
        CaptureWriter w = new CaptureWriter();
        w.udp(CAM_MAC, "203.0.113.20", 40000, GW_MAC, "198.51.100.53", 53, CaptureWriter
                .dnsQuery(1, "litedev.hik-connect.com"));
        w.tcp(GW_MAC, "198.51.100.9", 51000, CAM_MAC, "203.0.113.20", 554, 2, new byte[0]);
        List<Observation> site = run(w, SiteRanges.parse("203.0.113.0/24"));
        assertThat(TrafficAnalyzerTest.find(site, Fields.DNS_QUERY, "litedev.hik-connect.com")
                .orElseThrow().address()).isEqualTo("203.0.113.20");
        Observation inbound = site.stream().filter(o -> "554".equals(o.fields().get(
                Fields.FLOW_DPORT))).findFirst().orElseThrow();
        assertThat(inbound.address()).as("a peer's flow into the site is about the device")
                .isEqualTo("203.0.113.20");
        assertThat(inbound.fields()).containsEntry(Fields.FLOW_SRC, "198.51.100.9");
        assertThat(macOf(site, "203.0.113.20")).contains(CAM_MAC);
        assertThat(run(w, SiteRanges.builtIn())).isEmpty();
    }

    static byte[] arp(String senderMac, String senderIp) {
        ByteBuffer b = ByteBuffer.allocate(14 + 28);
        b.put(CaptureWriter.mac("ff:ff:ff:ff:ff:ff")).put(CaptureWriter.mac(senderMac)).putShort(
                (short) 0x0806);
        b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort(
                (short) 1);
        b.put(CaptureWriter.mac(senderMac)).put(CaptureWriter.ip(senderIp));
        b.put(new byte[6]).put(CaptureWriter.ip("10.1.0.1"));
        return b.array();
    }
}
