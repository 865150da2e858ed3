package org.camaudit.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camaudit.traffic.CaptureWriter.text;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.camaudit.model.SiteRanges;
import org.camaudit.model.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrafficAnalyzerTest {
    static final String CAM_MAC = "c0:56:e3:11:22:33";
    static final String CAM = "192.0.2.103";
    static final String GW_MAC = "00:11:22:33:44:55";
    static final String DNS = "198.51.100.53";
    /** The tests' site: the camera's documentation range (192.0.2.0/24) is its own. */
    static final SiteRanges SITE = SiteRanges.parse("192.0.2.0/24");
    static final TrafficAnalyzer.Options OPTIONS = TrafficAnalyzer.Options.defaults().withSite(
            SITE);

    @TempDir
    Path dir;

    /** One camera's chatter, as §6 of protocol-facts describes. */
    static CaptureWriter sample() {
        CaptureWriter w = new CaptureWriter();
        w.udp(CAM_MAC, CAM, 40001, GW_MAC, DNS, 53,
                CaptureWriter.dnsQuery(1, "litedev.hik-connect.com"));
        w.udp(GW_MAC, DNS, 53, CAM_MAC, CAM, 40001,
                CaptureWriter.dnsAnswer(1, "litedev.hik-connect.com", "52.1.2.3"));
        w.udp(CAM_MAC, CAM, 40002, GW_MAC, DNS, 53,
                CaptureWriter.dnsQuery(2, "www.easy4ipcloud.com"));
        w.udp(CAM_MAC, CAM, 40003, GW_MAC, DNS, 53,
                CaptureWriter.dnsQuery(3, "access-dss.secu100.net"));
        w.tcp(CAM_MAC, CAM, 50000, GW_MAC, "52.1.2.3", 443, 2, new byte[0]);
        w.tcp(GW_MAC, "52.1.2.3", 443, CAM_MAC, CAM, 50000, 0x12, new byte[0]);
        w.tcp(CAM_MAC, CAM, 50000, GW_MAC, "52.1.2.3", 443, 0x18,
                CaptureWriter.clientHello("litedev.hik-connect.com"));
        w.tcp(GW_MAC, "52.1.2.3", 443, CAM_MAC, CAM, 50000, 0x18,
                CaptureWriter.serverCertificate("CN=litedev.hik-connect.com,O=Hikvision",
                        "CN=Example CA,O=Example"));
        w.udp(CAM_MAC, CAM, 37020, "01:00:5e:7f:ff:fa", "239.255.255.250", 37020,
                text("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ProbeMatch><Uuid>A</Uuid>"
                        + "<Types>inquiry</Types><DeviceType>138</DeviceType>"
                        + "<DeviceDescription>DS-2CD2042WD-I</DeviceDescription>"
                        + "<MAC>c0-56-e3-11-22-33</MAC><SoftwareVersion>V5.4.5build 170124"
                        + "</SoftwareVersion></ProbeMatch>"));
        w.udp(CAM_MAC, "0.0.0.0", 68, "ff:ff:ff:ff:ff:ff", "255.255.255.255", 67,
                CaptureWriter.dhcpRequest(CAM_MAC, "udhcp 1.19.4", "IPCAMERA", CAM));
        w.tcp("00:aa:bb:cc:dd:ee", "198.51.100.9", 51000, CAM_MAC, CAM, 80, 0x18,
                text("GET / HTTP/1.1\r\nHost: 192.0.2.103\r\nUser-Agent: curl/8\r\n\r\n"));
        w.tcp(CAM_MAC, CAM, 80, "00:aa:bb:cc:dd:ee", "198.51.100.9", 51000, 0x18,
                text("HTTP/1.1 401 Unauthorized\r\nServer: App-webs/\r\n"
                        + "WWW-Authenticate: Digest realm=\"IP Camera\"\r\n"
                        + "Content-Length: 0\r\n\r\n"));
        w.tcp(CAM_MAC, CAM, 554, "00:aa:bb:cc:dd:ee", "198.51.100.9", 51001, 0x18,
                text("RTSP/1.0 200 OK\r\nCSeq: 1\r\nServer: Hikvision RTSP/1.0\r\n"
                        + "Public: OPTIONS, DESCRIBE\r\n\r\n"));
        return w;
    }

    List<Observation> run(byte[] file, List<FileReport> reports) throws IOException {
        Path p = dir.resolve("in-" + reports.size());
        Files.write(p, file);
        List<Observation> seen = new ArrayList<>();
        TrafficAnalyzer a = new TrafficAnalyzer(OPTIONS, seen::add);
        reports.add(a.analyze(p));
        a.finish();
        return seen;
    }

    /** The MAC the {@code link} observation gives the address, if any. */
    static Optional<String> macOf(List<Observation> obs, String address) {
        List<Observation> links = obs.stream().filter(o -> o.protocol().equals("link") && o
                .address().equals(address)).toList();
        assertThat(links).as("link observations of %s", address).hasSizeLessThan(2);
        return links.stream().findFirst().flatMap(Observation::mac);
    }

    static Optional<Observation> find(List<Observation> obs, String key, String value) {
        return obs.stream().filter(o -> value.equals(o.fields().get(key))).findFirst();
    }

    @Test
    void decodesEveryProtocolOfTheSample() throws IOException {
        List<FileReport> reports = new ArrayList<>();
        List<Observation> obs = run(sample().pcap(ByteOrder.LITTLE_ENDIAN, false, 1), reports);
        FileReport r = reports.get(0);
        assertThat(r.error()).isEmpty();
        assertThat(r.format()).isEqualTo(CaptureFormat.PCAP);
        assertThat(r.frames()).isEqualTo(13);
        assertThat(r.errors()).isEmpty();
        assertThat(obs).allMatch(o -> o.source() == Source.PASSIVE);

        Observation q = find(obs, Fields.DNS_QUERY, "www.easy4ipcloud.com").orElseThrow();
        assertThat(q.address()).isEqualTo(CAM);
        assertThat(q.mac()).isEmpty(); // the frame's MAC waits for the link observation
        assertThat(macOf(obs, CAM)).contains(CAM_MAC);
        assertThat(q.port()).isEqualTo(53);
        assertThat(find(obs, Fields.DNS_QUERY, "access-dss.secu100.net")).isPresent();
        Observation answer = obs.stream().filter(o -> o.fields().containsKey(Fields.DNS_ANSWER))
                .findFirst().orElseThrow();
        assertThat(answer.address()).isEqualTo(CAM);
        assertThat(answer.fields().get(Fields.DNS_ANSWER))
                .isEqualTo("litedev.hik-connect.com A 52.1.2.3");

        Observation sni = find(obs, Fields.TLS_SNI, "litedev.hik-connect.com").orElseThrow();
        assertThat(sni.address()).isEqualTo(CAM);
        assertThat(sni.port()).isEqualTo(443);
        // the cloud's certificate and the outside client's request are about peers: not kept
        assertThat(obs).noneMatch(o -> o.fields().containsKey(Fields.TLS_SUBJECT));
        assertThat(obs).allSatisfy(o -> assertThat(o.address()).startsWith("192.0.2."));

        Observation sadp = obs.stream().filter(o -> o.protocol().equals("sadp")).findFirst()
                .orElseThrow();
        assertThat(sadp.address()).isEqualTo(CAM);
        assertThat(sadp.mac()).contains(CAM_MAC);
        assertThat(sadp.fields()).containsEntry("sadp.DeviceDescription", "DS-2CD2042WD-I");

        Observation dhcp = find(obs, Fields.DHCP_VENDOR_CLASS, "udhcp 1.19.4").orElseThrow();
        assertThat(dhcp.address()).isEqualTo(CAM);
        assertThat(dhcp.mac()).contains(CAM_MAC);
        assertThat(dhcp.fields()).containsEntry(Fields.DHCP_HOSTNAME, "IPCAMERA");

        Observation server = find(obs, Fields.HTTP_SERVER, "App-webs/").orElseThrow();
        assertThat(server.address()).isEqualTo(CAM);
        assertThat(server.port()).isEqualTo(80);
        assertThat(server.fields()).containsEntry(Fields.HTTP_STATUS, "401")
                .containsEntry(Fields.HTTP_WWW_AUTHENTICATE, "Digest realm=\"IP Camera\"")
                .containsEntry(Fields.HTTP_REALM, "IP Camera");
        assertThat(find(obs, Fields.HTTP_USER_AGENT, "curl/8")).isEmpty();
        Observation viewer = obs.stream().filter(o -> "198.51.100.9".equals(o.fields().get(
                Fields.FLOW_SRC))).findFirst().orElseThrow();
        assertThat(viewer.address()).as("a peer's flow into the site is about the device")
                .isEqualTo(CAM);
        Observation rtsp = find(obs, Fields.RTSP_SERVER, "Hikvision RTSP/1.0").orElseThrow();
        assertThat(rtsp.port()).isEqualTo(554);
        assertThat(rtsp.fields()).containsEntry(Fields.RTSP_PUBLIC, "OPTIONS, DESCRIBE");

        Observation flow = obs.stream().filter(o -> o.protocol().equals("flow")
                && "443".equals(o.fields().get(Fields.FLOW_DPORT))).findFirst().orElseThrow();
        assertThat(flow.address()).isEqualTo(CAM);
        assertThat(flow.mac()).isEmpty();
        assertThat(flow.fields()).containsEntry(Fields.FLOW_DST, "52.1.2.3")
                .containsEntry(Fields.FLOW_PROTO, "tcp").containsEntry(Fields.FLOW_PACKETS, "4")
                .containsEntry(Fields.FLOW_COUNT, "1");
        assertThat(r.facts()).containsEntry("dns.query", 4L).containsEntry("tls.sni", 1L)
                .containsEntry("http.server", 1L);
    }

    @Test
    void aClientWithNoAddressIsNamedAtTheAddressItsOfferGivesAndAtMostMaxHeldWait()
            throws IOException {
        CaptureWriter w = new CaptureWriter();
        String first = "00:11:22:00:00:01";
        w.udp(first, "0.0.0.0", 68, "ff:ff:ff:ff:ff:ff", "255.255.255.255", 67,
                CaptureWriter.dhcpDiscover(first, 1, "first-client"));
        // MAX_HELD more clients: the first one's transaction is dropped to keep the bound
        for (int i = 2; i <= DhcpDecoder.MAX_HELD + 1; i++) {
            String mac = String.format("00:11:22:00:%02x:%02x", i >> 8, i & 0xff);
            w.udp(mac, "0.0.0.0", 68, "ff:ff:ff:ff:ff:ff", "255.255.255.255", 67,
                    CaptureWriter.dhcpDiscover(mac, i, "client-" + i));
        }
        String last = String.format("00:11:22:00:%02x:%02x", (DhcpDecoder.MAX_HELD + 1) >> 8,
                (DhcpDecoder.MAX_HELD + 1) & 0xff);
        String second = "00:11:22:00:00:02";
        w.udp(GW_MAC, "192.0.2.1", 67, first, "192.0.2.201", 68,
                CaptureWriter.dhcpReply(first, 1, "192.0.2.201", 2));
        w.udp(GW_MAC, "192.0.2.1", 67, last, "192.0.2.202", 68,
                CaptureWriter.dhcpReply(last, DhcpDecoder.MAX_HELD + 1, "192.0.2.202", 2));
        // another transaction's number, and a NAK, give no address
        w.udp(GW_MAC, "192.0.2.1", 67, second, "192.0.2.203", 68,
                CaptureWriter.dhcpReply(second, 99, "192.0.2.203", 2));
        String third = "00:11:22:00:00:03";
        w.udp(GW_MAC, "192.0.2.1", 67, third, "192.0.2.204", 68,
                CaptureWriter.dhcpReply(third, 3, "192.0.2.204", 6));
        List<Observation> obs = run(w.pcap(ByteOrder.LITTLE_ENDIAN, false, 1), new ArrayList<>());
        List<Observation> dhcp = obs.stream().filter(o -> o.protocol().equals("dhcp")).toList();
        assertThat(dhcp).extracting(Observation::address).containsExactly("192.0.2.202");
        assertThat(dhcp.get(0).mac()).contains(last);
        assertThat(dhcp.get(0).fields()).containsEntry(Fields.DHCP_HOSTNAME, "client-"
                + (DhcpDecoder.MAX_HELD + 1)).containsEntry("dhcp.message_type", "1");
        assertThat(obs).noneMatch(o -> o.address().equals("0.0.0.0"));
    }

    @Test
    void aPageTitleInTheHeadsSegmentIsReadAsTheActiveProbeReadsIt() throws IOException {
        CaptureWriter w = new CaptureWriter();
        // a printer's status page (title as Brother's embedded server writes it) in one segment
        w.tcp(CAM_MAC, CAM, 80, "00:aa:bb:cc:dd:ee", "192.0.2.50", 51000, 0x18,
                text("HTTP/1.1 200 OK\r\nServer: debut/1.30\r\nContent-Type: text/html;"
                        + " charset=UTF-8\r\n\r\n<html><head><title>Brother HL-L2350DW"
                        + " series&nbsp;&nbsp;192.0.2.103</title></head><body>Ready</body>"));
        // a title the segment cuts off, and a binary body, give no title
        w.tcp(CAM_MAC, CAM, 8080, "00:aa:bb:cc:dd:ee", "192.0.2.50", 51001, 0x18,
                text("HTTP/1.1 200 OK\r\nServer: cut\r\n\r\n<html><title>NETSurveil"));
        w.tcp(CAM_MAC, CAM, 8081, "00:aa:bb:cc:dd:ee", "192.0.2.50", 51002, 0x18,
                text("HTTP/1.1 200 OK\r\nServer: bin\r\nContent-Type: image/jpeg\r\n\r\n"
                        + "<title>x</title>"));
        List<Observation> obs = run(w.pcap(ByteOrder.LITTLE_ENDIAN, false, 1), new ArrayList<>());
        assertThat(find(obs, Fields.HTTP_SERVER, "debut/1.30").orElseThrow().fields())
                .containsEntry(Fields.HTTP_TITLE, "Brother HL-L2350DW series 192.0.2.103");
        assertThat(find(obs, Fields.HTTP_SERVER, "cut").orElseThrow().fields())
                .doesNotContainKey(Fields.HTTP_TITLE);
        assertThat(find(obs, Fields.HTTP_SERVER, "bin").orElseThrow().fields())
                .doesNotContainKey(Fields.HTTP_TITLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pcap-le-micro", "pcap-be-micro", "pcap-le-nano", "pcap-be-nano",
            "pcapng-le", "pcapng-be"})
    void everyContainerGivesTheSameObservations(String variant) throws IOException {
        CaptureWriter w = sample();
        byte[] file = switch (variant) {
            case "pcap-le-micro" -> w.pcap(ByteOrder.LITTLE_ENDIAN, false, 1);
            case "pcap-be-micro" -> w.pcap(ByteOrder.BIG_ENDIAN, false, 1);
            case "pcap-le-nano" -> w.pcap(ByteOrder.LITTLE_ENDIAN, true, 1);
            case "pcap-be-nano" -> w.pcap(ByteOrder.BIG_ENDIAN, true, 1);
            case "pcapng-le" -> w.pcapng(ByteOrder.LITTLE_ENDIAN);
            default -> w.pcapng(ByteOrder.BIG_ENDIAN);
        };
        List<FileReport> reports = new ArrayList<>();
        List<Observation> obs = run(file, reports);
        assertThat(reports.get(0).error()).isEmpty();
        List<Observation> reference = run(sample().pcap(ByteOrder.LITTLE_ENDIAN, false, 1),
                reports);
        assertThat(obs).hasSameSizeAs(reference);
        assertThat(obs.get(0).time().truncatedTo(java.time.temporal.ChronoUnit.MICROS))
                .isEqualTo(reference.get(0).time());
    }

    @Test
    void pcapngPacketsOnSeveralInterfacesKeepTheirResolution() throws IOException {
        CaptureWriter w = new CaptureWriter();
        w.udp(CAM_MAC, CAM, 40001, GW_MAC, DNS, 53, CaptureWriter.dnsQuery(1, "a.example"));
        CaptureWriter.Frame f = w.frames.get(0);
        w.frames.add(new CaptureWriter.Frame(f.nanos() + 7, CaptureWriter.ethernet(CAM_MAC, GW_MAC,
                CaptureWriter.ipv4(CAM, DNS, 17, udp(40002, 53, CaptureWriter.dnsQuery(2,
                        "b.example")))),
                1));
        List<FileReport> reports = new ArrayList<>();
        List<Observation> obs = run(w.pcapng(ByteOrder.LITTLE_ENDIAN), reports);
        Observation a = find(obs, Fields.DNS_QUERY, "a.example").orElseThrow();
        Observation b = find(obs, Fields.DNS_QUERY, "b.example").orElseThrow();
        assertThat(a.time().getNano() % 1000).isZero(); // interface 0: microseconds
        assertThat(java.time.Duration.between(a.time(), b.time()).toNanos()).isEqualTo(574);
    }

    static byte[] udp(int sport, int dport, byte[] payload) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + payload.length);
        b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length))
                .putShort((short) 0).put(payload);
        return b.array();
    }

    /**
     * Linux's loopback interface writes all-zero MACs into every frame (a capture on {@code lo});
     * a zero or group address names no device, so it must not become a device key that would
     * merge every address of the capture into one device.
     */
    @Test
    void zeroAndGroupMacsNameNoDevice() throws IOException {
        String zero = "00:00:00:00:00:00";
        CaptureWriter w = new CaptureWriter();
        w.udp(zero, "127.91.0.39", 40001, zero, "127.250.0.53", 53,
                CaptureWriter.dnsQuery(1, "access-dss.secu100.net"));
        w.udp(zero, "127.250.0.53", 53, zero, "127.91.0.39", 40001,
                CaptureWriter.dnsAnswer(1, "access-dss.secu100.net", "127.250.1.3"));
        w.udp("01:00:5e:00:00:fb", CAM, 40002, GW_MAC, DNS, 53,
                CaptureWriter.dnsQuery(2, "group.example"));
        w.udp(CAM_MAC, CAM, 40003, GW_MAC, DNS, 53, CaptureWriter.dnsQuery(3, "cam.example"));
        List<Observation> obs = run(w.pcap(ByteOrder.LITTLE_ENDIAN, false, 1), new ArrayList<>());
        Observation query = obs.stream().filter(o -> o.address().equals("127.91.0.39") && !o
                .fields().containsKey(Fields.DNS_ANSWER) && o.fields().containsKey(
                        Fields.DNS_QUERY))
                .findFirst().orElseThrow();
        Observation answer = find(obs, Fields.DNS_ANSWER,
                "access-dss.secu100.net A 127.250.1.3").orElseThrow();
        assertThat(query.mac()).isEmpty();
        assertThat(answer.address()).isEqualTo("127.91.0.39");
        assertThat(answer.mac()).isEmpty();
        assertThat(find(obs, Fields.DNS_QUERY, "group.example").orElseThrow().mac()).isEmpty();
        assertThat(macOf(obs, CAM)).contains(CAM_MAC);
        assertThat(macOf(obs, "127.91.0.39")).isEmpty();
        assertThat(obs.stream().filter(o -> o.fields().containsKey(Fields.FLOW_SRC) && o.address()
                .startsWith("127.")).toList()).isNotEmpty().allSatisfy(o -> assertThat(o.mac())
                        .isEmpty());
    }

    @Test
    void vlanTaggedAndQinqFramesAreDecoded() throws IOException {
        CaptureWriter w = new CaptureWriter();
        byte[] frame = CaptureWriter.ethernet(CAM_MAC, GW_MAC, CaptureWriter.ipv4(CAM, DNS, 17,
                udp(40001, 53, CaptureWriter.dnsQuery(1, "vlan.example"))));
        w.add(CaptureWriter.vlan(frame, 10), 0);
        w.add(CaptureWriter.vlan(frame, 100, 10), 0);
        List<FileReport> reports = new ArrayList<>();
        run(w.pcap(ByteOrder.BIG_ENDIAN, false, 1), reports);
        assertThat(reports.get(0).facts()).containsEntry("dns.query", 2L);
    }

    @Test
    void linuxCookedAndRawIpLinkTypes() throws IOException {
        byte[] ip = CaptureWriter.ipv4(CAM, DNS, 17, udp(40001, 53,
                CaptureWriter.dnsQuery(1, "sll.example")));
        java.nio.ByteBuffer sll = java.nio.ByteBuffer.allocate(16 + ip.length);
        sll.putShort((short) 4).putShort((short) 1).putShort((short) 6)
                .put(CaptureWriter.mac(CAM_MAC)).putShort((short) 0).putShort((short) 0x0800)
                .put(ip);
        java.nio.ByteBuffer sll2 = java.nio.ByteBuffer.allocate(20 + ip.length);
        sll2.putShort((short) 0x0800).putShort((short) 0).putInt(2).putShort((short) 1)
                .put((byte) 4).put((byte) 6).put(CaptureWriter.mac(CAM_MAC)).putShort((short) 0)
                .put(ip);
        Object[][] cases = {{113, sll.array()}, {276, sll2.array()}, {101, ip}, {228, ip}};
        for (Object[] c : cases) {
            CaptureWriter w = new CaptureWriter();
            w.add((byte[]) c[1], 0);
            List<FileReport> reports = new ArrayList<>();
            List<Observation> obs = run(w.pcap(ByteOrder.LITTLE_ENDIAN, false, (int) c[0]),
                    reports);
            Observation q = find(obs, Fields.DNS_QUERY, "sll.example").orElseThrow();
            if ((int) c[0] == 113 || (int) c[0] == 276) {
                assertThat(macOf(obs, CAM)).as("link type %s", c[0]).contains(CAM_MAC);
            }
        }
    }

    @Test
    void ipv6WithExtensionHeaders() throws IOException {
        byte[] l4 = udp(40001, 53, CaptureWriter.dnsQuery(1, "v6.example"));
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(40 + 8 + l4.length);
        b.putInt(0x60000000).putShort((short) (8 + l4.length)).put((byte) 0).put((byte) 64);
        byte[] src = new byte[16];
        src[0] = (byte) 0xfd;
        src[15] = 1;
        byte[] dst = src.clone();
        dst[15] = 2;
        b.put(src).put(dst);
        b.put((byte) 17).put((byte) 0).put(new byte[6]); // hop-by-hop, then UDP
        b.put(l4);
        java.nio.ByteBuffer eth = java.nio.ByteBuffer.allocate(14 + b.capacity());
        eth.put(CaptureWriter.mac(GW_MAC)).put(CaptureWriter.mac(CAM_MAC))
                .putShort((short) 0x86dd).put(b.array());
        CaptureWriter w = new CaptureWriter();
        w.add(eth.array(), 0);
        List<FileReport> reports = new ArrayList<>();
        List<Observation> obs = run(w.pcap(ByteOrder.LITTLE_ENDIAN, false, 1), reports);
        assertThat(find(obs, Fields.DNS_QUERY, "v6.example").orElseThrow().address())
                .isEqualTo("fd00:0:0:0:0:0:0:1");
    }

    @Test
    void fragmentsAreCountedNotDecoded() throws IOException {
        byte[] ip = CaptureWriter.ipv4(CAM, DNS, 17, udp(40001, 53,
                CaptureWriter.dnsQuery(1, "frag.example")));
        ip[6] = 0x20; // more fragments
        CaptureWriter w = new CaptureWriter();
        w.add(CaptureWriter.ethernet(CAM_MAC, GW_MAC, ip), 0);
        List<FileReport> reports = new ArrayList<>();
        run(w.pcap(ByteOrder.LITTLE_ENDIAN, false, 1), reports);
        assertThat(reports.get(0).fragments()).isEqualTo(1);
        assertThat(reports.get(0).facts()).containsEntry("dns.query", 0L);
    }
}
