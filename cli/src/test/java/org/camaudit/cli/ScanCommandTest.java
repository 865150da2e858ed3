package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.camaudit.model.Observation;
import org.camaudit.store.ObservationJson;
import org.camaudit.store.ObservationLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan verb end to end, on loopback listeners, each on its own 127.50.x.y address. */
class ScanCommandTest {
    private static final int[] UDP_PORTS = {3702, 1900, 37020, 37810, 34569};

    @TempDir
    Path data;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** A TCP listener that counts connections and answers like a small web server. */
    private AtomicInteger webServer(String address, int port, String serverHeader)
            throws Exception {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(address, port));
        open.add(s);
        AtomicInteger connections = new AtomicInteger();
        Thread.ofVirtual().start(() -> {
            while (!s.isClosed()) {
                try (Socket c = s.accept()) {
                    connections.incrementAndGet();
                    c.setSoTimeout(2000);
                    InputStream in = c.getInputStream();
                    byte[] buf = new byte[4096];
                    int n = in.read(buf);
                    if (n > 0) {
                        String body = "<html><head><title>Test camera</title></head></html>";
                        OutputStream o = c.getOutputStream();
                        o.write(("HTTP/1.1 200 OK\r\nServer: " + serverHeader
                                + "\r\nContent-Type: text/html\r\nContent-Length: " + body.length()
                                + "\r\nConnection: close\r\n\r\n" + body).getBytes(
                                        StandardCharsets.US_ASCII));
                    }
                } catch (Exception e) {
                    // the test closes the socket; a probe may hang up early
                }
            }
        });
        return connections;
    }

    private List<DatagramChannel> udpListeners(String address) throws Exception {
        List<DatagramChannel> out = new ArrayList<>();
        for (int p : UDP_PORTS) {
            DatagramChannel ch = DatagramChannel.open();
            ch.bind(new InetSocketAddress(address, p));
            ch.configureBlocking(false);
            open.add(ch);
            out.add(ch);
        }
        return out;
    }

    private static int datagrams(List<DatagramChannel> channels) throws Exception {
        int n = 0;
        ByteBuffer b = ByteBuffer.allocate(65536);
        for (DatagramChannel ch : channels) {
            while (ch.receive(b) != null) {
                b.clear();
                n++;
            }
        }
        return n;
    }

    private List<Observation> stored(long scanId) {
        List<Observation> out = new ArrayList<>();
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            log.forEachObservation(scanId, out::add);
        }
        return out;
    }

    @Test
    void excludedAddressesReceiveNothingTcpOrUdp() throws Exception {
        AtomicInteger included = webServer("127.50.0.10", 18080, "App-webs/");
        AtomicInteger excludedOne = webServer("127.50.0.9", 18080, "excluded");
        AtomicInteger excludedRange = webServer("127.50.0.25", 18080, "excluded");
        AtomicInteger outside = webServer("127.50.1.10", 18080, "outside");
        List<DatagramChannel> udpExcluded = udpListeners("127.50.0.9");
        List<DatagramChannel> udpIncluded = udpListeners("127.50.0.11");

        CliRun run = CliRun.of("scan", "127.50.0.0/24", "--exclude",
                "127.50.0.9,127.50.0.20-127.50.0.29", "--ports", "18080,18554", "--authorized-by",
                "unit test, 2026-11-22", "--data-dir", data.toString(), "--quiet");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(excludedOne.get()).isZero();
        assertThat(excludedRange.get()).isZero();
        assertThat(outside.get()).isZero();
        assertThat(datagrams(udpExcluded)).isZero();
        assertThat(included.get()).isPositive();
        assertThat(datagrams(udpIncluded)).as("every discovery protocol reached the included"
                + " address").isEqualTo(UDP_PORTS.length);
        assertThat(run.out()).contains("245 addresses probed").contains(
                "127.50.0.10");
        List<Observation> obs = stored(1);
        assertThat(obs).extracting(Observation::address).doesNotContain("127.50.0.9",
                "127.50.0.25", "127.50.1.10");
        assertThat(obs).anySatisfy(o -> {
            assertThat(o.address()).isEqualTo("127.50.0.10");
            assertThat(o.field("http.server")).contains("App-webs/");
        });
    }

    @Test
    void dryRunSendsNothing() throws Exception {
        AtomicInteger listener = webServer("127.51.0.5", 18080, "x");
        List<DatagramChannel> udp = udpListeners("127.51.0.5");
        CliRun run = CliRun.of("scan", "127.51.0.0/28", "--ports", "18080", "--dry-run",
                "--authorized-by", "unit test", "--data-dir", data.toString());
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("16 addresses").contains("dry run: nothing was sent");
        Thread.sleep(200);
        assertThat(listener.get()).isZero();
        assertThat(datagrams(udp)).isZero();
    }

    @Test
    void silentDeviceDoesNotStopTheScan() throws Exception {
        ServerSocket silent = new ServerSocket();
        silent.bind(new InetSocketAddress("127.52.0.3", 18080));
        open.add(silent);
        List<Socket> held = new ArrayList<>();
        Thread.ofVirtual().start(() -> {
            while (!silent.isClosed()) {
                try {
                    held.add(silent.accept()); // accept, then say nothing, forever
                } catch (Exception e) {
                    return;
                }
            }
        });
        webServer("127.52.0.4", 18080, "Webs");
        long t0 = System.nanoTime();
        CliRun run = CliRun.of("scan", "127.52.0.0/29", "--ports", "18080", "--no-udp",
                "--timeout", "2", "--authorized-by", "unit test", "--data-dir", data.toString(),
                "--quiet");
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(seconds).as("bounded by the exchange timeout").isLessThan(15);
        List<Observation> obs = stored(1);
        assertThat(obs).anySatisfy(o -> {
            assertThat(o.address()).isEqualTo("127.52.0.3");
            assertThat(o.isError()).isTrue();
        });
        assertThat(obs).anySatisfy(o -> assertThat(o.field("http.server")).contains("Webs"));
        for (Socket s : held) {
            s.close();
        }
    }

    @Test
    void scopeRefusalsAndUsageErrorsHaveTheirExitCodes() {
        String d = data.toString();
        CliRun noAuth = CliRun.of("scan", "127.53.0.1", "--data-dir", d);
        assertThat(noAuth.exit()).isEqualTo(2);
        assertThat(noAuth.err()).contains("--authorized-by is required");
        CliRun large = CliRun.of("scan", "127.0.0.0/15", "--authorized-by", "t", "--data-dir", d);
        assertThat(large.exit()).isEqualTo(3);
        assertThat(large.err()).contains("--allow-large");
        CliRun bad = CliRun.of("scan", "127.0.0.300", "--authorized-by", "t", "--data-dir", d);
        assertThat(bad.exit()).isEqualTo(3);
        CliRun badPorts = CliRun.of("scan", "127.53.0.1", "--ports", "80,99999",
                "--authorized-by", "t", "--data-dir", d);
        assertThat(badPorts.exit()).isEqualTo(2);
        assertThat(badPorts.err()).contains("99999");
        CliRun unknown = CliRun.of("scan", "--no-such-flag");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("--no-such-flag");
        assertThat(CliRun.of("scans", "--data-dir", d).out()).contains("no scans yet");
    }

    @Test
    void scopeFileIsReadAndTyposRefused() throws Exception {
        AtomicInteger excluded = webServer("127.54.0.2", 18081, "x");
        AtomicInteger included = webServer("127.54.0.3", 18081, "Boa/0.94");
        Path scope = data.resolve("scope.yaml");
        Files.writeString(scope, """
                targets: [127.54.0.0/29]
                exclude: 127.54.0.2
                ports: "18081"
                rate: 2000
                concurrency: 50
                safety_classes: [passive, safe-probe]
                authorized_by: "Site A security, 2026-11-22"
                """);
        CliRun run = CliRun.of("scan", "--scope", scope.toString(), "--no-udp", "--data-dir", data
                .toString(), "--quiet");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(excluded.get()).isZero();
        assertThat(included.get()).isPositive();
        CliRun scans = CliRun.of("scans", "--json", "--data-dir", data.toString());
        assertThat(scans.out()).contains("Site A security").contains("127.54.0.2");

        Path typo = data.resolve("typo.yaml");
        Files.writeString(typo, "targets: [127.54.0.0/29]\nexlude: [127.54.0.2]\n");
        CliRun bad = CliRun.of("scan", "--scope", typo.toString(), "--authorized-by", "t",
                "--data-dir", data.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown key 'exlude'");
    }

    @Test
    void observationsExportAsJsonLines() throws Exception {
        webServer("127.55.0.7", 18082, "uc-httpd 1.0.0");
        assertThat(CliRun.of("scan", "127.55.0.7", "--ports", "18082", "--no-udp",
                "--authorized-by", "t", "--data-dir", data.toString(), "--quiet").exit()).isZero();
        Path out = data.resolve("obs.jsonl");
        CliRun export = CliRun.of("observations", "--scan", "1", "--out", out.toString(),
                "--data-dir", data.toString());
        assertThat(export.exit()).as(export.err()).isZero();
        List<Observation> lines = Files.readAllLines(out).stream().map(ObservationJson::fromLine)
                .toList();
        assertThat(lines).isNotEmpty().allSatisfy(o -> assertThat(o.address()).isEqualTo(
                "127.55.0.7"));
        assertThat(lines).anySatisfy(o -> assertThat(o.field("http.server")).contains(
                "uc-httpd 1.0.0"));
        assertThat(CliRun.of("observations", "--scan", "99", "--data-dir", data.toString())
                .exit()).isEqualTo(2);
    }

    @Test
    void everyVerbHasHelpAndTheToolHasAVersion() {
        for (String verb : List.of("scan", "scans", "observations", "import")) {
            CliRun help = CliRun.of(verb, "--help");
            assertThat(help.exit()).isZero();
            assertThat(help.out()).contains("Usage: camaudit " + verb).contains("Examples:");
        }
        // a word that names no verb is refused, with or without --help (a script must see it)
        for (List<String> line : List.of(List.of("server", "--help"), List.of("server"), List.of(
                "scna", "127.0.0.1", "--help"))) {
            CliRun unknown = CliRun.of(line.toArray(String[]::new));
            assertThat(unknown.exit()).as(String.join(" ", line)).isEqualTo(2);
            assertThat(unknown.err()).contains("unknown command '" + line.get(0) + "'");
            assertThat(unknown.out()).doesNotContain("Usage:");
        }
        assertThat(CliRun.of("--help").exit()).isZero();
        CliRun version = CliRun.of("--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).matches("(?s)camaudit \\d+\\.\\d+\\.\\d+.*");
    }
}
