package org.camaudit.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.camaudit.model.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostileInputTest {
    @TempDir
    Path dir;

    private FileReport analyze(byte[] file, List<Observation> seen) throws IOException {
        Path p = dir.resolve("hostile");
        Files.write(p, file);
        TrafficAnalyzer a = new TrafficAnalyzer(new TrafficAnalyzer.Options(1 << 17, 64, 256,
                false, TrafficAnalyzerTest.SITE), seen::add);
        FileReport r = a.analyze(p);
        a.finish();
        return r;
    }

    @Test
    void truncatedCaptureKeepsWhatCameBeforeAndSaysWhere() throws IOException {
        byte[] whole = TrafficAnalyzerTest.sample().pcap(ByteOrder.LITTLE_ENDIAN, false, 1);
        byte[] cut = Arrays.copyOf(whole, whole.length - 10);
        List<Observation> seen = new ArrayList<>();
        FileReport r = analyze(cut, seen);
        assertThat(r.error()).isPresent();
        assertThat(r.error().get().message()).contains("truncated record");
        assertThat(r.error().get().offset()).isBetween(24L, (long) whole.length);
        assertThat(r.frames()).isEqualTo(12);
        assertThat(seen).anyMatch(o -> o.fields().containsKey("dns.query"));
    }

    @Test
    void absurdRecordLengthIsRefusedWithItsOffset() throws IOException {
        byte[] file = TrafficAnalyzerTest.sample().pcap(ByteOrder.BIG_ENDIAN, false, 1);
        ByteBuffer.wrap(file).putInt(24 + 8, 0x7fffffff);
        FileReport r = analyze(file, new ArrayList<>());
        assertThat(r.error().orElseThrow().offset()).isEqualTo(24);
        assertThat(r.error().get().message()).contains("exceeds");
    }

    @Test
    void badPcapngBlockLengthIsAnError() throws IOException {
        byte[] file = TrafficAnalyzerTest.sample().pcapng(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(28 + 4, 13);
        FileReport r = analyze(file, new ArrayList<>());
        assertThat(r.error().orElseThrow().toString()).isEqualTo(
                "at byte 28: pcapng: bad block length 13");
    }

    @Test
    void loopingDnsCompressionPointerIsAPacketErrorNotAHang() throws IOException {
        byte[] dns = {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xc0, 12, 0, 1, 0, 1};
        byte[] forward = {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xc0, 14, 1, 'a', 0, 0, 1,
                0, 1};
        CaptureWriter w = new CaptureWriter();
        w.udp("00:00:00:00:00:01", "192.0.2.1", 1000, "00:00:00:00:00:02", "192.0.2.2", 53, dns);
        w.udp("00:00:00:00:00:01", "192.0.2.1", 1000, "00:00:00:00:00:02", "192.0.2.2", 53,
                forward);
        w.udp("00:00:00:00:00:01", "192.0.2.1", 1000, "00:00:00:00:00:02", "192.0.2.2", 53,
                CaptureWriter.dnsQuery(3, "after.example"));
        List<Observation> seen = new ArrayList<>();
        FileReport r = analyze(w.pcap(ByteOrder.LITTLE_ENDIAN, false, 1), seen);
        assertThat(r.error()).isEmpty();
        assertThat(r.errors()).containsEntry("dns", 2L);
        assertThat(r.errorSamples()).first().asString().contains("does not point backwards")
                .startsWith("at byte 24:");
        assertThat(seen).anyMatch(o -> "after.example".equals(o.fields().get("dns.query")));
    }

    @Test
    void giantTlsRecordIsRefused() throws IOException {
        byte[] hello = CaptureWriter.clientHello("x.example");
        hello[3] = (byte) 0xff;
        hello[4] = (byte) 0xff;
        CaptureWriter w = new CaptureWriter();
        w.tcp("00:00:00:00:00:01", "192.0.2.1", 1000, "00:00:00:00:00:02", "192.0.2.2", 443, 0x18,
                hello);
        FileReport r = analyze(w.pcap(ByteOrder.LITTLE_ENDIAN, false, 1), new ArrayList<>());
        assertThat(r.errors()).containsEntry("tls", 1L);
        assertThat(r.errorSamples().get(0)).contains("record length 65535 exceeds");
    }

    @Test
    void unknownFileIsReportedNotThrown() throws IOException {
        FileReport r = analyze("hello world\n".getBytes(), new ArrayList<>());
        assertThat(r.format()).isEqualTo(CaptureFormat.UNKNOWN);
        assertThat(r.error().orElseThrow().offset()).isZero();
    }

    /**
     * Seeded mutation fuzzing over valid generated captures of every container: flipped bytes,
     * overwritten lengths, cuts. Each input must end in a report (error or not), never an
     * exception, and in bounded time.
     */
    @Test
    void mutatedCapturesNeverThrowNorHang() throws IOException {
        CaptureWriter w = TrafficAnalyzerTest.sample();
        w.udp("00:00:00:00:00:09", "192.0.2.9", 5353, "01:00:5e:00:00:fb", "224.0.0.251", 5353,
                CaptureWriter.dnsAnswer(9, "_http._tcp.local", "192.0.2.9"));
        byte[][] seeds = {w.pcap(ByteOrder.LITTLE_ENDIAN, false, 1),
                w.pcap(ByteOrder.BIG_ENDIAN, true, 1), w.pcapng(ByteOrder.LITTLE_ENDIAN),
                w.pcapng(ByteOrder.BIG_ENDIAN), NetflowTest.v9File(), NetflowTest.ipfixFile(),
                NetflowTest.v5File()};
        Random random = new Random(20251109);
        int runs = 0;
        long slowest = 0;
        for (int i = 0; i < 1500; i++) {
            byte[] seed = seeds[i % seeds.length];
            byte[] m = seed.clone();
            int edits = 1 + random.nextInt(8);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(m.length);
                switch (random.nextInt(4)) {
                    case 0 -> m[at] = (byte) random.nextInt(256);
                    case 1 -> m[at] ^= (byte) (1 << random.nextInt(8));
                    case 2 -> {
                        for (int k = at; k < Math.min(m.length, at + 4); k++) {
                            m[k] = (byte) 0xff;
                        }
                    }
                    default -> m = Arrays.copyOf(m, Math.max(1, at));
                }
            }
            long start = System.nanoTime();
            FileReport r = analyze(m, new ArrayList<>());
            long took = System.nanoTime() - start;
            slowest = Math.max(slowest, took);
            assertThat(r).isNotNull();
            r.error().ifPresent(err -> assertThat(err.offset()).isBetween(0L, (long) seed.length));
            runs++;
        }
        assertThat(runs).isEqualTo(1500);
        assertThat(slowest).as("slowest input, ns").isLessThan(2_000_000_000L);
    }
}
