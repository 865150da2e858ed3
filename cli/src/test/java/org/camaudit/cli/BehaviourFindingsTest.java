package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.camaudit.model.Finding;
import org.camaudit.store.ObservationLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code camaudit analyze} stores behaviour findings: a capture (written here; its TEST-NET
 * addresses are data, never contacted) where one device asks for its vendor cloud, one scans
 * telnet and one is quiet; the local resolver forwards a cloud name upstream, one device connects
 * to the address it resolved to, one sends to the Dahua P2P port, and one relays a TCP stream.
 */
class BehaviourFindingsTest {
    static final byte[] RESOLVER = {(byte) 192, 0, 2, 53};
    static final byte[] CLOUD_ASKER = {(byte) 192, 0, 2, 10};
    static final byte[] SCANNER = {(byte) 192, 0, 2, 20};
    static final byte[] QUIET = {(byte) 192, 0, 2, 30};
    static final byte[] UPSTREAM = {(byte) 198, 51, 100, 53};
    static final byte[] CLOUD_ADDRESS = {(byte) 203, 0, 113, 88};
    static final byte[] ADDRESS_USER = {(byte) 192, 0, 2, 41};
    static final byte[] PORT_USER = {(byte) 192, 0, 2, 42};
    static final byte[] RELAY = {(byte) 192, 0, 2, 60};
    static final byte[] RELAY_FROM = {(byte) 198, 51, 100, 70};
    static final byte[] RELAY_TO = {(byte) 203, 0, 113, 70};

    @TempDir
    Path data;

    /** A minimal pcap writer: Ethernet/IPv4 frames with UDP DNS or TCP, one a second. */
    static final class Pcap {
        private final ByteArrayOutputStream file = new ByteArrayOutputStream();
        private int seconds = 1_760_000_000;
        private boolean held;
        private int micros;

        /** From now on frames share one second (a burst), or go back to one a second. */
        void hold(boolean sameSecond) {
            held = sameSecond;
            micros = 0;
        }

        /** Lets {@code n} seconds pass without a frame. */
        void skip(int n) {
            seconds += n;
        }

        Pcap() {
            ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                    .putInt(65535).putInt(1);
            file.writeBytes(h.array());
        }

        void dnsQuery(int macTail, byte[] src, byte[] dst, String name) {
            udp(macTail, src, 40000, dst, 53, question(0x0100, name, 0));
        }

        /** The reply to {@link #dnsQuery}: one A record for the name. */
        void dnsAnswer(int macTail, byte[] src, byte[] dst, String name, byte[] address) {
            ByteBuffer answer = ByteBuffer.allocate(16);
            answer.putShort((short) 0xc00c).putShort((short) 1).putShort((short) 1).putInt(60)
                    .putShort((short) 4).put(address);
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            reply.writeBytes(question(0x8180, name, 1));
            reply.writeBytes(answer.array());
            udp(macTail, src, 53, dst, 40000, reply.toByteArray());
        }

        private static byte[] question(int flags, String name, int answers) {
            ByteArrayOutputStream q = new ByteArrayOutputStream();
            q.writeBytes(new byte[]{0, 7, (byte) (flags >> 8), (byte) flags, 0, 1, 0,
                    (byte) answers, 0, 0, 0, 0});
            for (String label : name.split("\\.")) {
                q.write(label.length());
                q.writeBytes(label.getBytes());
            }
            q.writeBytes(new byte[]{0, 0, 1, 0, 1});
            return q.toByteArray();
        }

        void udp(int macTail, byte[] src, int sport, byte[] dst, int dport, byte[] payload) {
            ByteBuffer udp = ByteBuffer.allocate(8 + payload.length);
            udp.putShort((short) sport).putShort((short) dport).putShort((short) (8
                    + payload.length)).putShort((short) 0).put(payload);
            frame(macTail, src, dst, 17, udp.array());
        }

        void syn(int macTail, byte[] src, byte[] dst, int port) {
            tcp(macTail, src, 41000, dst, port, 0x02, 0);
        }

        /** A TCP segment with {@code length} zero bytes of payload. */
        void tcp(int macTail, byte[] src, int sport, byte[] dst, int dport, int flags,
                int length) {
            ByteBuffer tcp = ByteBuffer.allocate(20 + length);
            tcp.putShort((short) sport).putShort((short) dport).putInt(1).putInt(flags == 2
                    ? 0
                    : 1).put((byte) 0x50).put((byte) flags).putShort((short) 1024)
                    .putShort((short) 0).putShort((short) 0);
            frame(macTail, src, dst, 6, tcp.array());
        }

        private void frame(int macTail, byte[] src, byte[] dst, int protocol, byte[] payload) {
            ByteBuffer f = ByteBuffer.allocate(14 + 20 + payload.length);
            f.put(new byte[]{2, 0, 0, 0, 0, 1}).put(new byte[]{2, 0, 0, 0, 0, (byte) macTail})
                    .putShort((short) 0x0800);
            f.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length)).putInt(0)
                    .put((byte) 64).put((byte) protocol).putShort((short) 0).put(src).put(dst);
            f.put(payload);
            ByteBuffer rec = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            rec.putInt(held ? seconds : seconds++).putInt(held ? micros++ : 0).putInt(f
                    .capacity()).putInt(f.capacity());
            file.writeBytes(rec.array());
            file.writeBytes(f.array());
        }

        byte[] bytes() {
            return file.toByteArray();
        }
    }

    @Test
    void analyzeStoresBehaviourFindings() throws Exception {
        Pcap pcap = new Pcap();
        pcap.dnsQuery(0x10, CLOUD_ASKER, RESOLVER, "litedev.hik-connect.com");
        pcap.dnsQuery(0x30, QUIET, RESOLVER, "ntp.example.org");
        pcap.syn(0x30, QUIET, new byte[]{(byte) 198, 51, 100, 80}, 443);
        for (int i = 1; i <= 25; i++) {
            pcap.syn(0x20, SCANNER, new byte[]{(byte) 198, 51, 100, (byte) i}, 23);
        }
        // the resolver forwards a Dahua cloud name upstream and gets its address back
        pcap.dnsQuery(0x53, RESOLVER, UPSTREAM, "www.easy4ipcloud.com");
        pcap.dnsAnswer(0x01, UPSTREAM, RESOLVER, "www.easy4ipcloud.com", CLOUD_ADDRESS);
        pcap.syn(0x41, ADDRESS_USER, CLOUD_ADDRESS, 443);
        pcap.udp(0x42, PORT_USER, 40100, new byte[]{(byte) 198, 51, 100, 99}, 8800, new byte[48]);
        // the relay: accepts on 9000, opens 9100 a second later, copies 20 x 1,400 bytes each way
        pcap.syn(0x70, RELAY_FROM, RELAY, 9000);
        pcap.syn(0x60, RELAY, RELAY_TO, 9100);
        for (int i = 0; i < 10; i++) {
            pcap.tcp(0x70, RELAY_FROM, 41000, RELAY, 9000, 0x18, 1400);
            pcap.tcp(0x60, RELAY, 41000, RELAY_TO, 9100, 0x18, 1400);
            pcap.tcp(0x71, RELAY_TO, 9100, RELAY, 41000, 0x18, 1400);
            pcap.tcp(0x60, RELAY, 9000, RELAY_FROM, 41000, 0x18, 1400);
        }
        Path file = data.resolve("mirror.pcap");
        Files.write(file, pcap.bytes());

        CliRun run = CliRun.of("analyze", "--local", CliRun.DOC_SITE, file.toString(), "--data-dir",
                data.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("scan 1 (passive)").containsPattern(
                "findings: \\d+ on \\d+ devices \\(5 behaviour\\)");
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            List<Finding> findings = log.findings(1);
            assertThat(findings).anyMatch(f -> f.id().equals("vendor-cloud-hik-connect") && f
                    .address().equals("192.0.2.10") && f.kind() == Finding.Kind.BEHAVIOUR
                    && f.evidence().contains("name litedev.hik-connect.com"));
            assertThat(findings).anyMatch(f -> f.id().equals("outbound-telnet-scan") && f
                    .address().equals("192.0.2.20") && f.severity() == Finding.Severity.CRITICAL
                    && f.details().get("peers").equals("25"));
            assertThat(findings).noneMatch(f -> f.address().equals("192.0.2.30"));
            // the forwarding resolver is not the phone-home device; the one that connected is
            assertThat(findings).noneMatch(f -> f.address().equals("192.0.2.53"));
            assertThat(findings).anyMatch(f -> f.id().equals("vendor-cloud-easy4ip") && f
                    .address().equals("192.0.2.41") && f.severity() == Finding.Severity.HIGH
                    && f.evidence().contains("address 203.0.113.88") && f.details().get(
                            "matched").equals("address"));
            assertThat(findings).anyMatch(f -> f.id().equals("vendor-cloud-easy4ip") && f
                    .address().equals("192.0.2.42") && f.severity() == Finding.Severity.MEDIUM
                    && f.evidence().contains("port udp/8800 to 198.51.100.99"));
            assertThat(findings).anyMatch(f -> f.id().equals("relay-forwarding") && f.address()
                    .equals("192.0.2.60") && f.severity() == Finding.Severity.CRITICAL && f
                            .details().get("from").equals("198.51.100.70")
                    && f.details().get(
                            "to").equals("203.0.113.70:9100")
                    && f.details().get(
                            "bytes_in").equals(f.details().get("bytes_out")));
            assertThat(findings).filteredOn(f -> f.kind() == Finding.Kind.BEHAVIOUR)
                    .extracting(Finding::id)
                    .containsExactlyInAnyOrder("vendor-cloud-hik-connect", "outbound-telnet-scan",
                            "vendor-cloud-easy4ip", "vendor-cloud-easy4ip", "relay-forwarding");
            assertThat(log.identifications(1)).isNotEmpty();
        }
    }

    /**
     * {@code volume-over-baseline} from a capture spanning minutes: a camera that sends a
     * heartbeat a minute and, once, 21 MB in one second is raised; a recorder that uploads 2 MB
     * every minute, steadily, is not.
     */
    @Test
    void aBurstOverTheDevicesOwnBaselineIsRaisedASteadyUploaderIsNot() throws Exception {
        byte[] camera = {(byte) 192, 0, 2, 70};
        byte[] recorder = {(byte) 192, 0, 2, 71};
        byte[] heartbeat = {(byte) 198, 51, 100, 80};
        byte[] sink = {(byte) 203, 0, 113, 99};
        Pcap pcap = new Pcap();
        for (int minute = 0; minute < 10; minute++) {
            pcap.tcp(0x70, camera, 50000, heartbeat, 443, 0x18, 1000);
            pcap.hold(true);
            for (int i = 0; i < 32; i++) {
                pcap.tcp(0x71, recorder, 50001, heartbeat, 8443, 0x18, 64_000);
            }
            if (minute == 6) {
                for (int i = 0; i < 330; i++) {
                    pcap.tcp(0x70, camera, 50002, sink, 8443, 0x18, 64_000);
                }
            }
            pcap.hold(false);
            pcap.skip(58);
        }
        Path capture = Files.write(data.resolve("minutes.pcap"), pcap.bytes());
        CliRun run = CliRun.of("analyze", "--local", CliRun.DOC_SITE, capture.toString(),
                "--data-dir", data.toString());
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            List<Finding> volume = log.findings(1).stream().filter(f -> f.id().equals(
                    "volume-over-baseline")).toList();
            assertThat(volume).singleElement().satisfies(f -> {
                assertThat(f.address()).isEqualTo("192.0.2.70");
                assertThat(f.severity()).isEqualTo(Finding.Severity.HIGH);
                assertThat(f.remediation()).isEqualTo(Finding.Remediation.MONITOR);
            });
        }
    }
}
