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
 * telnet and one is quiet.
 */
class BehaviourFindingsTest {
    static final byte[] RESOLVER = {(byte) 192, 0, 2, 53};
    static final byte[] CLOUD_ASKER = {(byte) 192, 0, 2, 10};
    static final byte[] SCANNER = {(byte) 192, 0, 2, 20};
    static final byte[] QUIET = {(byte) 192, 0, 2, 30};

    @TempDir
    Path data;

    /** A minimal pcap writer: Ethernet/IPv4 frames with UDP DNS queries or TCP SYNs. */
    static final class Pcap {
        private final ByteArrayOutputStream file = new ByteArrayOutputStream();
        private int seconds = 1_760_000_000;

        Pcap() {
            ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                    .putInt(65535).putInt(1);
            file.writeBytes(h.array());
        }

        void dnsQuery(int macTail, byte[] src, byte[] dst, String name) {
            ByteArrayOutputStream q = new ByteArrayOutputStream();
            q.writeBytes(new byte[]{0, 7, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0});
            for (String label : name.split("\\.")) {
                q.write(label.length());
                q.writeBytes(label.getBytes());
            }
            q.writeBytes(new byte[]{0, 0, 1, 0, 1});
            byte[] dns = q.toByteArray();
            ByteBuffer udp = ByteBuffer.allocate(8 + dns.length);
            udp.putShort((short) 40000).putShort((short) 53).putShort((short) (8 + dns.length))
                    .putShort((short) 0).put(dns);
            frame(macTail, src, dst, 17, udp.array());
        }

        void syn(int macTail, byte[] src, byte[] dst, int port) {
            ByteBuffer tcp = ByteBuffer.allocate(20);
            tcp.putShort((short) 41000).putShort((short) port).putInt(1).putInt(0)
                    .put((byte) 0x50).put((byte) 0x02).putShort((short) 1024).putShort((short) 0)
                    .putShort((short) 0);
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
            rec.putInt(seconds++).putInt(0).putInt(f.capacity()).putInt(f.capacity());
            file.writeBytes(rec.array());
            file.writeBytes(f.array());
        }

        byte[] bytes() {
            return file.toByteArray();
        }
    }

    @Test
    void analyzeStoresPhoneHomeAndTelnetScanFindings() throws Exception {
        Pcap pcap = new Pcap();
        pcap.dnsQuery(0x10, CLOUD_ASKER, RESOLVER, "litedev.hik-connect.com");
        pcap.dnsQuery(0x30, QUIET, RESOLVER, "ntp.example.org");
        pcap.syn(0x30, QUIET, new byte[]{(byte) 198, 51, 100, 80}, 443);
        for (int i = 1; i <= 25; i++) {
            pcap.syn(0x20, SCANNER, new byte[]{(byte) 198, 51, 100, (byte) i}, 23);
        }
        Path file = data.resolve("mirror.pcap");
        Files.write(file, pcap.bytes());

        CliRun run = CliRun.of("analyze", file.toString(), "--data-dir", data.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("scan 1 (passive)").containsPattern(
                "findings: \\d+ on \\d+ devices \\(2 behaviour\\)");
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            List<Finding> findings = log.findings(1);
            assertThat(findings).anyMatch(f -> f.id().equals("vendor-cloud-hik-connect") && f
                    .address().equals("192.0.2.10") && f.kind() == Finding.Kind.BEHAVIOUR
                    && f.evidence().contains("name litedev.hik-connect.com"));
            assertThat(findings).anyMatch(f -> f.id().equals("outbound-telnet-scan") && f
                    .address().equals("192.0.2.20") && f.severity() == Finding.Severity.CRITICAL
                    && f.details().get("peers").equals("25"));
            assertThat(findings).noneMatch(f -> f.address().equals("192.0.2.30"));
            assertThat(findings).filteredOn(f -> f.kind() == Finding.Kind.BEHAVIOUR)
                    .extracting(Finding::id)
                    .containsExactlyInAnyOrder("vendor-cloud-hik-connect", "outbound-telnet-scan");
            assertThat(log.identifications(1)).isNotEmpty();
        }
    }
}
