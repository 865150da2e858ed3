package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.camaudit.model.Fields;
import org.camaudit.store.ObservationLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory on a small tmpfs this test mounts itself (as root; skipped, saying why,
 * where mounting is not possible): a disk that fills up and a file system remounted read-only.
 * Each stops the command with one clear line and exit 4, and loses nothing stored before; an
 * analysis stopped by the full disk is finished by the same command once there is room, storing
 * each observation once.
 */
class FullDiskTest {
    /** Distinct DNS names in the capture: each one observation, more than 2 MB of them. */
    private static final int QUERIES = 40_000;

    @TempDir
    Path dir;
    private Path mount;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        mount = Files.createDirectory(dir.resolve("disk"));
        String said = run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString());
        Assumptions.assumeTrue(said.isEmpty(), () -> "cannot mount a tmpfs here (needs root and"
                + " CAP_SYS_ADMIN): " + said);
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            run("umount", "-l", mount.toString());
        }
    }

    @Test
    void analyzeOnAFullDiskStopsWithExit4AndFinishesOnceThereIsRoom() throws Exception {
        Path capture = Files.write(dir.resolve("many-names.pcap"), manyDnsQueries(QUERIES));
        Path elsewhere = dir.resolve("reference");
        CliRun reference = CliRun.of("analyze", capture.toString(), "--data-dir", elsewhere
                .toString());
        assertThat(reference.exit()).as(reference.err()).isZero();
        long expected;
        try (ObservationLog log = ObservationLog.openSqlite(elsewhere)) {
            expected = log.countObservations(1);
        }

        CliRun full = CliRun.of("analyze", "--quiet", capture.toString(), "--data-dir", mount
                .toString());
        assertThat(full.exit()).as(full.out() + full.err()).isEqualTo(ExitCode.RUNTIME);
        assertThat(full.err().lines()).as("lines, no stack trace").allMatch(l -> l.startsWith(
                "camaudit: "));
        assertThat(full.err().lines().filter(l -> l.contains("full"))).as(full.err())
                .singleElement()
                .asString()
                .contains("the disk holding " + mount.resolve("camaudit.db") + " is full");
        long kept = integrityAndCount(1);
        assertThat(kept).as("batches stored before the disk filled").isBetween(1L, expected - 1);

        assertThat(run("mount", "-o", "remount,size=64m", mount.toString())).isEmpty();
        CliRun again = CliRun.of("analyze", capture.toString(), "--data-dir", mount.toString());
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.err()).contains(String.format("finishing it: its %,d stored", kept));
        try (ObservationLog log = ObservationLog.openSqlite(mount)) {
            assertThat(log.scans()).hasSize(1);
            assertThat(log.scan(1).orElseThrow().status()).isEqualTo("complete");
            assertThat(log.countObservations(1)).as("each observation once").isEqualTo(expected);
            List<String> names = new ArrayList<>();
            log.forEachObservation(1, o -> o.field(Fields.DNS_QUERY).ifPresent(names::add));
            assertThat(names).hasSize(QUERIES).doesNotHaveDuplicates();
        }
    }

    @Test
    void aReadOnlyDataDirIsExit4AndWhatWasStoredStays() throws Exception {
        Path capture = Files.write(dir.resolve("few-names.pcap"), manyDnsQueries(20));
        CliRun first = CliRun.of("analyze", capture.toString(), "--data-dir", mount.toString());
        assertThat(first.exit()).as(first.err()).isZero();
        long stored = integrityAndCount(1);
        assertThat(run("mount", "-o", "remount,ro", mount.toString())).isEmpty();
        try (ServerSocket web = new ServerSocket()) {
            web.bind(new InetSocketAddress("127.98.0.1", 18097));
            CliRun scan = CliRun.of("scan", "127.98.0.1", "--ports", "18097", "--no-udp",
                    "--authorized-by", "FullDiskTest", "--data-dir", mount.toString(), "--quiet");
            assertThat(scan.exit()).as(scan.out() + scan.err()).isEqualTo(ExitCode.RUNTIME);
            assertThat(scan.err().lines().toList()).as("one line").hasSize(1);
            assertThat(scan.err()).startsWith("camaudit: ").contains("read-only").contains(mount
                    .toString());
        }
        Path other = Files.write(dir.resolve("other.pcap"), manyDnsQueries(5));
        CliRun analyze = CliRun.of("analyze", other.toString(), "--data-dir", mount.toString());
        assertThat(analyze.exit()).as(analyze.out() + analyze.err()).isEqualTo(ExitCode.RUNTIME);
        assertThat(analyze.err()).startsWith("camaudit: ").contains("read-only");
        assertThat(run("mount", "-o", "remount,rw", mount.toString())).isEmpty();
        assertThat(integrityAndCount(1)).isEqualTo(stored);
        try (ObservationLog log = ObservationLog.openSqlite(mount)) {
            assertThat(log.scans()).as("nothing half-recorded").hasSize(1);
        }
    }

    /** SQLite's integrity check passes; the observations of scan {@code id}. */
    private long integrityAndCount(long id) throws Exception {
        LogIntegrity.assertIntact(mount);
        try (ObservationLog log = ObservationLog.openSqlite(mount)) {
            return log.countObservations(id);
        }
    }

    /** Runs a command to its end; what it printed, empty when it succeeded quietly. */
    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        return exit == 0 ? said.strip() : ("exit " + exit + ": " + said.strip());
    }

    /** A pcap of {@code n} DNS queries for distinct names, from one loopback device. */
    static byte[] manyDnsQueries(int n) {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(65535).putInt(1);
        file.writeBytes(header.array());
        for (int i = 0; i < n; i++) {
            ByteArrayOutputStream q = new ByteArrayOutputStream();
            q.writeBytes(new byte[]{(byte) (i >> 8), (byte) i, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0});
            for (String label : String.format("cam-%06d.example.test", i).split("\\.")) {
                q.write(label.length());
                q.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
            }
            q.writeBytes(new byte[]{0, 0, 1, 0, 1});
            byte[] dns = q.toByteArray();
            ByteBuffer f = ByteBuffer.allocate(14 + 20 + 8 + dns.length);
            f.put(new byte[]{0, 0x11, 0x22, 0x33, 0x44, 0x55}).put(new byte[]{0x02, 0x56,
                    (byte) 0xe3, 0x11, 0x22, 0x33}).putShort((short) 0x0800);
            f.put((byte) 0x45).put((byte) 0).putShort((short) (28 + dns.length)).putInt(0)
                    .put((byte) 64).put((byte) 17).putShort((short) 0)
                    .put(new byte[]{127, 98, 0, 2}).put(new byte[]{127, 98, 0, 53});
            f.putShort((short) 40000).putShort((short) 53).putShort((short) (8 + dns.length))
                    .putShort((short) 0).put(dns);
            ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            record.putInt(1_760_000_000 + i / 1000).putInt(i % 1000 * 1000).putInt(f.capacity())
                    .putInt(f.capacity());
            file.writeBytes(record.array());
            file.writeBytes(f.array());
        }
        return file.toByteArray();
    }
}
