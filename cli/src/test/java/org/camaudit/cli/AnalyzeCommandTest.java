package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.camaudit.model.Observation;
import org.camaudit.model.Scan;
import org.camaudit.model.Source;
import org.camaudit.store.ObservationLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code camaudit analyze} end to end: a capture and a Zeek log become one passive scan. */
class AnalyzeCommandTest {
    @TempDir
    Path data;

    /** A pcap with one Ethernet/IPv4/UDP DNS query for litedev.hik-connect.com. */
    static byte[] dnsPcap() {
        ByteArrayOutputStream q = new ByteArrayOutputStream();
        q.writeBytes(new byte[]{0, 7, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : "litedev.hik-connect.com".split("\\.")) {
            q.write(label.length());
            q.writeBytes(label.getBytes());
        }
        q.writeBytes(new byte[]{0, 0, 1, 0, 1});
        byte[] dns = q.toByteArray();
        ByteBuffer f = ByteBuffer.allocate(14 + 20 + 8 + dns.length);
        f.put(new byte[]{0, 0x11, 0x22, 0x33, 0x44, 0x55}).put(new byte[]{(byte) 0xc0, 0x56,
                (byte) 0xe3, 0x11, 0x22, 0x33}).putShort((short) 0x0800);
        f.put((byte) 0x45).put((byte) 0).putShort((short) (28 + dns.length)).putInt(0)
                .put((byte) 64).put((byte) 17).putShort((short) 0)
                .put(new byte[]{(byte) 192, 0, 2, 3})
                .put(new byte[]{(byte) 198, 51, 100, 53});
        f.putShort((short) 40000).putShort((short) 53).putShort((short) (8 + dns.length))
                .putShort((short) 0).put(dns);
        ByteBuffer file = ByteBuffer.allocate(24 + 16 + f.capacity())
                .order(ByteOrder.LITTLE_ENDIAN);
        file.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(65535).putInt(1);
        file.putInt(1_760_000_000).putInt(0).putInt(f.capacity()).putInt(f.capacity())
                .put(f.array());
        return file.array();
    }

    @Test
    void theSameFilesAnalysedAgainAreNotStoredTwice() throws Exception {
        Path pcap = data.resolve("cam.pcap");
        Files.write(pcap, dnsPcap());
        Path store = data.resolve("store");
        CliRun first = CliRun.of("analyze", "--local", CliRun.DOC_SITE,
                pcap.toString(), "--data-dir", store.toString());
        assertThat(first.exit()).as(first.err()).isZero();
        long stored;
        try (ObservationLog log = ObservationLog.openSqlite(store)) {
            stored = log.countObservations(1);
        }
        assertThat(stored).isPositive();
        CliRun again = CliRun.of("analyze", "--local", CliRun.DOC_SITE,
                pcap.toString(), "--data-dir", store.toString());
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains(String.format("were analysed as scan 1 (complete, %,d"
                + " observations); nothing stored again", stored)).contains("findings: ");
        // a file that changed since is new evidence: a scan of its own
        Files.setLastModifiedTime(pcap, java.nio.file.attribute.FileTime.fromMillis(Files
                .getLastModifiedTime(pcap).toMillis() + 2000));
        CliRun changed = CliRun.of("analyze", "--local", CliRun.DOC_SITE,
                pcap.toString(), "--data-dir", store.toString());
        assertThat(changed.exit()).as(changed.err()).isZero();
        assertThat(changed.out()).contains("scan 2 (passive)");
        // and with --facts-only it decodes other things: another analysis
        CliRun facts = CliRun.of("analyze", "--local", CliRun.DOC_SITE,
                "--facts-only", pcap.toString(), "--data-dir", store
                        .toString());
        assertThat(facts.out()).contains("scan 3 (passive)");
        try (ObservationLog log = ObservationLog.openSqlite(store)) {
            assertThat(log.scans()).hasSize(3);
            assertThat(log.countObservations(1)).isEqualTo(stored);
            assertThat(log.countObservations(2)).isEqualTo(stored);
        }
    }

    @Test
    void captureAndZeekLogBecomeOnePassiveScan() throws Exception {
        Path pcap = data.resolve("cam.pcap");
        Files.write(pcap, dnsPcap());
        Path zeek = data.resolve("ssl.log");
        Files.writeString(zeek, "{\"ts\":1760000000.5,\"id.orig_h\":\"192.0.2.3\",\"id.orig_p\":5,"
                + "\"id.resp_h\":\"198.51.100.7\",\"id.resp_p\":443,\"server_name\":\"www.easy4ipcloud.com\"}\n");
        CliRun run = CliRun.of("analyze", "--local", CliRun.DOC_SITE, pcap.toString(),
                zeek.toString(), "--data-dir",
                data.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("cam.pcap: pcap").contains("dns.query 1")
                .contains("ssl.log: zeek-json").contains("tls.sni 1").contains("scan 1 (passive)");
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            Scan scan = log.scan(1).orElseThrow();
            assertThat(scan.kind()).isEqualTo("passive");
            assertThat(scan.authorizedBy()).startsWith("passive analysis of ").contains("cam.pcap");
            List<Observation> obs = new ArrayList<>();
            log.forEachObservation(1, obs::add);
            assertThat(obs).allMatch(o -> o.source() == Source.PASSIVE);
            assertThat(obs)
                    .anyMatch(o -> "litedev.hik-connect.com".equals(o.fields().get("dns.query"))
                            && o.address().equals("192.0.2.3"));
            assertThat(obs).as("the frame's MAC, told by the link observation").anyMatch(
                    o -> o.protocol().equals("link") && o.address().equals("192.0.2.3") && o.mac()
                            .equals(java.util.Optional.of("c0:56:e3:11:22:33")));
            assertThat(obs).anyMatch(o -> "www.easy4ipcloud.com".equals(o.fields().get("tls.sni")));
            assertThat(obs).anyMatch(o -> "198.51.100.53".equals(o.fields().get("flow.dst")));
        }
    }

    @Test
    void unknownOrTruncatedFileExitsTwoAndKeepsTheRest() throws Exception {
        Path pcap = data.resolve("cam.pcap");
        byte[] whole = dnsPcap();
        Files.write(pcap, java.util.Arrays.copyOf(whole, whole.length - 3));
        Path junk = data.resolve("notes.txt");
        Files.writeString(junk, "hello\n");
        Path good = data.resolve("good.pcap");
        Files.write(good, whole);
        CliRun run = CliRun.of("analyze", "--local", CliRun.DOC_SITE, pcap.toString(),
                junk.toString(), good.toString(),
                data.resolve("missing.pcap").toString(), "--data-dir", data.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("cam.pcap: stopped at byte 24: pcap: truncated record")
                .contains("notes.txt: stopped at byte 0").contains("missing.pcap");
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            assertThat(log.scan(1).orElseThrow().status()).isEqualTo("partial");
            assertThat(log.countObservations(1)).isPositive();
        }
    }

    @Test
    void countModeStoresNothing() throws Exception {
        Path pcap = data.resolve("cam.pcap");
        Files.write(pcap, dnsPcap());
        CliRun run = CliRun.of("analyze", "--local", CliRun.DOC_SITE, "--facts-only", "--count",
                pcap.toString(),
                "--data-dir", data.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("dns.query 1").contains("not stored");
        assertThat(Files.exists(data.resolve("camaudit.db"))).isFalse();
    }
}
