package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.camaudit.store.ObservationLog;
import org.camaudit.traffic.CaptureWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code camaudit collect}: a UDP NetFlow/IPFIX collector on loopback. The flows softflowd (a
 * Debian package) exports from a capture must be stored exactly as the capture holds them; hostile
 * datagrams are counted and skipped; an allow-list of exporters drops the others. The TEST-NET
 * addresses live only inside the capture and the export records: nothing is sent to them.
 */
class CollectCommandTest {
    @TempDir
    Path data;

    /** Device flows to documentation addresses: TCP and UDP, several flows folding into one. */
    static CaptureWriter capture() {
        CaptureWriter w = new CaptureWriter();
        String cam = "02:00:00:00:00:10";
        String nvr = "02:00:00:00:00:20";
        String gw = "02:00:00:00:00:01";
        for (int flow = 0; flow < 3; flow++) {
            for (int i = 0; i <= flow + 1; i++) {
                w.tcp(cam, "192.0.2.10", 40001 + flow, gw, "198.51.100.7", 554, 0x18,
                        new byte[100 + 37 * i + flow]);
            }
        }
        w.udp(cam, "192.0.2.10", 53001, gw, "198.51.100.53", 53, new byte[31]);
        w.udp(cam, "192.0.2.10", 53001, gw, "198.51.100.53", 53, new byte[45]);
        for (int i = 0; i < 5; i++) {
            w.tcp(nvr, "192.0.2.20", 45000, gw, "198.51.100.80", 443, 0x18, new byte[512 + i]);
        }
        w.udp(nvr, "192.0.2.20", 34567, gw, "198.51.100.9", 8000, new byte[1200]);
        return w;
    }

    /**
     * What the capture holds, read from its IPv4 headers: "src dst dport proto" to "bytes packets"
     * (IP bytes, as NetFlow counts them).
     */
    static Map<String, String> expected(CaptureWriter w) {
        Map<String, long[]> sums = new TreeMap<>();
        for (byte[] f : w.frameBytes()) {
            ByteBuffer b = ByteBuffer.wrap(f);
            int ip = 14;
            int proto = b.get(ip + 9) & 0xff;
            int headerLength = (b.get(ip) & 0x0f) * 4;
            String key = address(f, ip + 12) + " " + address(f, ip + 16) + " "
                    + (b.getShort(ip + headerLength + 2) & 0xffff) + " "
                    + (proto == 6 ? "tcp" : "udp");
            long[] s = sums.computeIfAbsent(key, k -> new long[2]);
            s[0] += b.getShort(ip + 2) & 0xffff;
            s[1]++;
        }
        Map<String, String> out = new TreeMap<>();
        sums.forEach((k, s) -> out.put(k, s[0] + " " + s[1]));
        return out;
    }

    private static String address(byte[] f, int at) {
        return (f[at] & 0xff) + "." + (f[at + 1] & 0xff) + "." + (f[at + 2] & 0xff) + "."
                + (f[at + 3] & 0xff);
    }

    /** The stored flows of scan 1 in the same form. */
    private Map<String, String> storedFlows() {
        return storedFlows(data);
    }

    /**
     * The flows of scan 1 in {@code dataDir} in the same form: a pair's totals over every
     * observation of it (a collector stores one per pair and period).
     */
    static Map<String, String> storedFlows(Path dataDir) {
        Map<String, long[]> sums = new TreeMap<>();
        try (ObservationLog log = ObservationLog.openSqlite(dataDir)) {
            log.forEachObservation(1, o -> {
                if (o.protocol().equals("flow")) {
                    Map<String, String> f = o.fields();
                    long[] t = sums.computeIfAbsent(f.get(Fields.FLOW_SRC) + " " + f.get(
                            Fields.FLOW_DST) + " " + f.get(Fields.FLOW_DPORT) + " "
                            + f.get(
                                    Fields.FLOW_PROTO),
                            k -> new long[2]);
                    t[0] += Long.parseLong(f.get(Fields.FLOW_BYTES));
                    t[1] += Long.parseLong(f.get(Fields.FLOW_PACKETS));
                }
            });
        }
        Map<String, String> flows = new TreeMap<>();
        sums.forEach((k, t) -> flows.put(k, t[0] + " " + t[1]));
        return flows;
    }

    private static String softflowd() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "softflowd"))) {
                return Path.of(dir, "softflowd").toString();
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin/softflowd")) ? "/usr/sbin/softflowd" : null;
    }

    static int freePort(String host) throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(host, 0))) {
            return s.getLocalPort();
        }
    }

    /** Runs collect on a thread; returns once it says its socket is bound. */
    private CompletableFuture<CliRun> collector(String host, int port, String... more)
            throws Exception {
        List<String> args = new ArrayList<>(
                List.of("collect", "--local", CliRun.DOC_SITE, "--netflow", host + ":" + port,
                        "--data-dir", data.toString(), "--duration", "60"));
        args.addAll(List.of(more));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() -> new CliRun(Main.run(
                args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err,
                        true)),
                out.toString(), err.toString()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!err.toString().contains("collect: listening on")) {
            if (run.isDone() || System.nanoTime() > deadline) {
                fail("collector did not start: " + err);
            }
            Thread.sleep(10);
        }
        return run;
    }

    /**
     * softflowd 1.1.0 with {@code -r} never initialises its poll array, so whether it calls a
     * blocking {@code accept()} on its control socket after the capture depends on stack garbage:
     * {@code -c none} (no control socket) makes it flush and exit at the end of the file.
     */
    @ParameterizedTest(name = "NetFlow v{0}")
    @ValueSource(ints = {5, 9, 10})
    void softflowdExportsOfACaptureAreStoredAsTheCaptureHoldsThem(int version) throws Exception {
        String softflowd = softflowd();
        if (softflowd == null) {
            assumeTrue(System.getenv("CI") == null, "softflowd not installed");
            fail("softflowd is not installed, and CI is set: .ci/run installs it");
        }
        CaptureWriter w = capture();
        Path pcap = data.resolve("capture.pcap");
        Files.write(pcap, w.pcap(ByteOrder.LITTLE_ENDIAN, false, 1));
        int port = freePort("127.0.0.1");
        CompletableFuture<CliRun> run = collector("127.0.0.1", port, "--idle", "2");
        Path log = data.resolve("softflowd.txt");
        Process p = new ProcessBuilder(softflowd, "-d", "-c", "none", "-p", data.resolve(
                "softflowd.pid").toString(), "-r", pcap.toString(), "-n", "127.0.0.1:" + port,
                "-v", Integer.toString(version)).redirectInput(
                        ProcessBuilder.Redirect.from(
                                new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(log
                        .toFile())
                .start();
        boolean exited = p.waitFor(30, TimeUnit.SECONDS);
        if (!exited) {
            p.destroy(); // SIGTERM: softflowd flushes its flows on it
            p.waitFor(10, TimeUnit.SECONDS);
        }
        String softflowdOutput = Files.readString(log);
        assertThat(exited).as("softflowd exits at the end of the capture: " + softflowdOutput)
                .isTrue();
        assertThat(p.exitValue()).as(softflowdOutput).isZero();
        CliRun result = run.get(60, TimeUnit.SECONDS);
        assertThat(result.exit()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).contains("collect: stopped (idle for 2.0 s)")
                .contains("0 malformed").contains("scan 1 (passive)").contains("findings:");
        assertThat(storedFlows()).as(softflowdOutput).isEqualTo(expected(w));
        try (ObservationLog store = ObservationLog.openSqlite(data)) {
            assertThat(store.scan(1).orElseThrow().status()).isEqualTo("complete");
            List<Observation> flows = new ArrayList<>();
            store.forEachObservation(1, flows::add);
            String origin = version == 5 ? "netflow-v5" : version == 9 ? "netflow-v9" : "ipfix";
            assertThat(flows).filteredOn(o -> o.protocol().equals("flow")).allMatch(o -> origin
                    .equals(o.fields().get(Fields.FLOW_ORIGIN)));
        }
    }

    /** A v5 datagram with one record from {@code src} to {@code dst}:dport over UDP. */
    static byte[] v5(String src, String dst, int dport, int bytes) {
        ByteBuffer b = ByteBuffer.allocate(24 + 48);
        b.putShort((short) 5).putShort((short) 1).putInt(100_000).putInt(1_760_000_000).putInt(0)
                .putInt(1).putInt(0);
        b.put(CaptureWriter.ip(src)).put(CaptureWriter.ip(dst)).putInt(0).putInt(0).putInt(1)
                .putInt(bytes).putInt(90_000).putInt(99_000).putShort((short) 40000)
                .putShort((short) dport).put((byte) 0).put((byte) 0).put((byte) 17)
                .put(new byte[7]);
        return b.array();
    }

    static void send(String from, int port, byte[]... datagrams) throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(from, 0))) {
            for (byte[] d : datagrams) {
                s.send(new DatagramPacket(d, d.length, new InetSocketAddress("127.0.0.1", port)));
            }
        }
    }

    @Test
    void malformedDatagramsAreCountedWithExporterAndOffsetAndCollectingGoesOn() throws Exception {
        int port = freePort("127.0.0.1");
        CompletableFuture<CliRun> run = collector("127.0.0.1", port, "--idle", "1");
        byte[] truncated = {0, 9};
        ByteBuffer noTemplate = ByteBuffer.allocate(20 + 12);
        noTemplate.putShort((short) 9).putShort((short) 1).putInt(5000).putInt(1_760_000_000)
                .putInt(1).putInt(42).putShort((short) 256).putShort((short) 12).putLong(7);
        ByteBuffer giant = ByteBuffer.allocate(40);
        giant.putShort((short) 10).putShort((short) 65535).putInt(1_760_000_000).putInt(1)
                .putInt(7);
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            String exporter = "127.0.0.1:" + s.getLocalPort();
            for (byte[] d : List.of(truncated, noTemplate.array(), giant.array(), v5("192.0.2.30",
                    "198.51.100.30", 8000, 900))) {
                s.send(new DatagramPacket(d, d.length, new InetSocketAddress("127.0.0.1", port)));
            }
            CliRun result = run.get(60, TimeUnit.SECONDS);
            assertThat(result.exit()).as(result.out() + result.err()).isZero();
            assertThat(result.out()).contains("4 datagrams").contains("3 malformed")
                    .contains("at byte 0: from " + exporter + ": netflow: 2-byte datagram")
                    .contains("at byte 20: netflow: data for unknown template 256 (domain 42)"
                            + " from " + exporter)
                    .contains("at byte 2: from " + exporter + ": ipfix: message length 65535");
        }
        assertThat(storedFlows()).containsExactly(Map.entry("192.0.2.30 198.51.100.30 8000 udp",
                "900 1"));
    }

    @Test
    void exportersOutsideTheAllowListAreCountedAndDropped() throws Exception {
        int port = freePort("127.0.0.1");
        CompletableFuture<CliRun> run = collector("127.0.0.1", port, "--exporters",
                "127.0.0.2/32", "--max-datagrams", "1");
        send("127.0.0.3", port, v5("192.0.2.40", "198.51.100.40", 23, 100), v5("192.0.2.41",
                "198.51.100.41", 23, 100));
        send("127.0.0.2", port, v5("192.0.2.50", "198.51.100.50", 554, 700));
        CliRun result = run.get(60, TimeUnit.SECONDS);
        assertThat(result.exit()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).contains("collect: stopped (--max-datagrams 1 reached)")
                .contains("1 datagrams").contains(
                        "2 dropped (not an allowed exporter)")
                .contains("0 malformed");
        assertThat(storedFlows()).containsOnlyKeys("192.0.2.50 198.51.100.50 554 udp");
    }

    @Test
    void sigtermKeepsTheCollectedFlowsMarksTheScanInterruptedAndExits130() throws Exception {
        int port = freePort("127.0.0.1");
        String java = ProcessHandle.current().info().command().orElse("java");
        Path output = data.resolve("output.txt");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System
                .getProperty("java.class.path"), Main.class.getName(), "collect", "--local",
                CliRun.DOC_SITE, "--netflow",
                "127.0.0.1:" + port, "--data-dir", data.toString()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(output).contains("collect: listening on")) {
                assertThat(p.isAlive() && System.nanoTime() < deadline).as(Files.readString(
                        output)).isTrue();
                Thread.sleep(20);
            }
            send("127.0.0.1", port, v5("192.0.2.60", "198.51.100.60", 554, 1234));
            // SIGTERM only once the collector says it has the datagram (its progress line, every
            // 5 s): a fixed pause lost the race on a busy machine
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(output).contains(" 1 datagrams (")) {
                assertThat(p.isAlive() && System.nanoTime() < deadline).as(Files.readString(
                        output)).isTrue();
                Thread.sleep(20);
            }
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        String text = Files.readString(output);
        assertThat(p.exitValue()).as(text).isEqualTo(ExitCode.INTERRUPTED);
        assertThat(text).contains("collect: stopped (interrupted)").contains("1 datagrams")
                .contains("scan 1 (passive, interrupted)");
        try (ObservationLog store = ObservationLog.openSqlite(data)) {
            assertThat(store.scan(1).orElseThrow().status()).isEqualTo("interrupted");
            assertThat(store.scan(1).orElseThrow().finished()).isPresent();
        }
        assertThat(storedFlows()).containsExactly(Map.entry("192.0.2.60 198.51.100.60 554 udp",
                "1234 1"));
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertThat(CliRun.of("collect", "--netflow", "localhost", "--data-dir", data.toString())
                .exit()).isEqualTo(ExitCode.USAGE);
        assertThat(CliRun.of("collect", "--netflow", "127.0.0.1:70000", "--data-dir", data
                .toString()).exit()).isEqualTo(ExitCode.USAGE);
        assertThat(CliRun.of("collect", "--exporters", "127.0.0.0/99", "--data-dir", data
                .toString()).err()).contains("--exporters");
    }
}
