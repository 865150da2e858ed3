package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camaudit.model.Fields;
import org.camaudit.model.IpRange;
import org.camaudit.model.Observation;
import org.camaudit.model.Scan;
import org.camaudit.model.Scope;
import org.camaudit.model.Transport;
import org.camaudit.probes.ScopeGuard;
import org.camaudit.store.ObservationLog;
import org.camaudit.testbed.DeviceSpec;
import org.camaudit.testbed.Fleet;
import org.camaudit.testbed.FleetPlan;
import org.camaudit.testbed.Personalities;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code camaudit scan} killed with SIGKILL (no shutdown hook, no last flush) three times during a
 * real testbed scan, each time at a moment chosen by what the scan reported (its stored count and
 * phase), never by time. After each kill: every observation the progress line had reported stored
 * is in the log, the database passes SQLite's integrity check, the next start lists the scan as
 * {@code interrupted}, and what the checkpoint says is done stays exactly as stored. The last
 * {@code scan --resume} finishes the scan with its own scope and authorisation: every open port
 * of the fleet is in the log exactly once (a target swept twice would show its ports twice), and
 * no target done before a kill gained an observation afterwards.
 *
 * <p>A held device on the last address of the range keeps each run from finishing until the test
 * lets it go: it answers port 80 with a reply that never ends (a byte every 200 ms, under the
 * probe's read limit), so each kill comes while the scan still runs, however fast or slow the
 * machine.
 */
class KilledScanTest {
    private static final String FLEET = "127.96.0.0/27";
    private static final String SCOPE = "127.96.0.0/26";
    private static final String HELD = "127.96.0.62";
    private static final String WHO = "KilledScanTest, kill -9 at chosen moments";
    /** Devices whose misbehaviour would hold a probe for the whole (long) exchange limit. */
    private static final Set<String> SLOW = Set.of("slow-drip", "endless-headers", "huge-body",
            "accept-silence", "entity-bomb", "malformed-xml", "reset-on-connect");
    private static final Pattern STORED = Pattern.compile(" · ([\\d,]+) stored$");

    @TempDir
    Path data;

    /** A progress line of the child scan: its phase and what it had stored. */
    record Progress(String phase, long stored) {
    }

    /** A fleet of well-behaved devices and, per address, the camera ports each has open. */
    private static List<DeviceSpec> fleet(int count, String range, Personalities catalog,
            Map<String, Set<Integer>> expectedOpen) {
        Map<String, Integer> mix = new LinkedHashMap<>(FleetPlan.defaultMix());
        mix.keySet().removeAll(SLOW);
        List<DeviceSpec> devices = FleetPlan.generate(count, IpRange.parse(range), mix, 15,
                catalog);
        for (DeviceSpec d : devices) {
            Set<Integer> ports = new TreeSet<>(catalog.get(d.personality()).tcpPorts(d));
            ports.retainAll(Scope.CAMERA_PORTS);
            if (!ports.isEmpty()) {
                expectedOpen.put(d.address(), ports);
            }
        }
        return devices;
    }

    @Test
    void scanKilledAtThreeMomentsLosesNothingStoredAndResumesWithoutResending() throws Exception {
        Personalities catalog = Personalities.standard();
        Map<String, Set<Integer>> expectedOpen = new TreeMap<>();
        List<DeviceSpec> devices = fleet(24, FLEET, catalog, expectedOpen);
        long fleetPorts = expectedOpen.values().stream().mapToLong(Set::size).sum();
        expectedOpen.put(HELD, Set.of(80));

        /** Per target done before some kill: its non-UDP observations then; UDP likewise. */
        Map<String, Long> frozenTcp = new HashMap<>();
        Map<String, Long> frozenUdp = new HashMap<>();
        Scan first;
        String finalOutput;
        try (Fleet fleet = Fleet.start(devices, catalog);
                HeldDevice held = HeldDevice.start(HELD,
                        80)) {
            // 1: early in the sweep, at the first committed unit
            Child run = Child.start(data, "scan", SCOPE, "--rate", "400", "--timeout", "300",
                    "--authorized-by", WHO, "--data-dir", data.toString());
            long reported = run.killWhen(p -> p.stored() >= 1, "a first stored unit");
            first = afterKill(reported, frozenTcp, frozenUdp);
            assertThat(first.authorizedBy()).isEqualTo(WHO);

            // 2: resumed, killed once it stored half as many observations as the fleet has ports
            // (or, should the first run have stored all but the held device, when only service
            // probes remain)
            long half = Math.max(fleetPorts / 2, storedNow() + 1);
            run = Child.start(data, "scan", "--resume", "1", "--data-dir", data.toString());
            reported = run.killWhen(p -> p.stored() >= half || p.phase().equals("service probes"),
                    half + " stored");
            assertThat(run.said()).contains("resuming scan 1:");
            afterKill(reported, frozenTcp, frozenUdp);

            // 3: resumed, killed once only service probes remain (the sweep and UDP are done)
            run = Child.start(data, "scan", "--resume", "1", "--data-dir", data.toString());
            reported = run.killWhen(p -> p.phase().equals("service probes"), "the service probe"
                    + " phase");
            Scan third = afterKill(reported, frozenTcp, frozenUdp);
            assertThat(checkpoint().path("udp").asBoolean()).as("UDP discovery is done").isTrue();
            assertThat(third.scope()).isEqualTo(first.scope());

            // 4: resumed with the held device let go: it finishes
            held.release();
            long doneBefore = doneTargets().size();
            run = Child.start(data, "scan", "--resume", "1", "--data-dir", data.toString());
            int exit = run.process.waitFor();
            finalOutput = run.readAll();
            assertThat(exit).as(finalOutput).isZero();
            assertThat(finalOutput).contains(String.format("resuming scan 1: %,d targets and UDP"
                    + " discovery were done before", doneBefore)).contains("scan 1 complete");
        }

        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            Scan scan = log.scan(1).orElseThrow();
            assertThat(scan.scope()).as("the same scope").isEqualTo(first.scope());
            Map<String, Long> tcp = new HashMap<>();
            Map<String, Long> udp = new HashMap<>();
            assertCompleteWithEveryOpenPortOnce(log, expectedOpen, finalOutput, tcp, udp);
            frozenTcp.forEach((a, n) -> assertThat(tcp.getOrDefault(a, 0L)).as(a
                    + " was done before a kill: nothing more was stored for it").isEqualTo(n));
            frozenUdp.forEach((a, n) -> assertThat(udp.getOrDefault(a, 0L)).as(a
                    + " UDP discovery was done before a kill").isEqualTo(n));
            assertThat(scan.summary().observations()).isEqualTo(log.countObservations(1));
        }
    }

    /**
     * SIGTERM (not kill -9) while the held device is still being probed: the scan keeps what its
     * unfinished targets gathered (the held device's sweep record among it) and exits 130; the
     * resumed scan probes them again and stores what they answer, but not a second copy of what
     * the stopped run had kept.
     */
    @Test
    void scanStoppedWhileAHostIsProbedStoresItsEvidenceOnceWhenResumed() throws Exception {
        Personalities catalog = Personalities.standard();
        Map<String, Set<Integer>> expectedOpen = new TreeMap<>();
        List<DeviceSpec> devices = fleet(6, "127.96.1.0/29", catalog, expectedOpen);
        String held = "127.96.1.14";
        expectedOpen.put(held, Set.of(80));
        String output;
        try (Fleet fleet = Fleet.start(devices, catalog);
                HeldDevice device = HeldDevice.start(held, 80)) {
            Child run = Child.start(data, "scan", "127.96.1.0/28", "--rate", "400", "--timeout",
                    "300", "--authorized-by", WHO, "--data-dir", data.toString());
            String line = run.awaitLine(l -> l.startsWith("progress: service probes"),
                    "the service probe phase");
            // SIGTERM through the handle: Process.destroy() would also close the output pipe
            run.process.toHandle().destroy();
            assertThat(run.process.waitFor()).as(run.readAll()).isEqualTo(130);
            System.out.printf("camaudit child: stopped at '%s'%n", line);
            assertThat(checkpoint().path("partial").has(held)).as("the held device's evidence"
                    + " is kept unfinished: " + checkpoint()).isTrue();

            device.release();
            run = Child.start(data, "scan", "--resume", "1", "--data-dir", data.toString());
            int exit = run.process.waitFor();
            output = run.readAll();
            assertThat(exit).as(output).isZero();
        }
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            assertCompleteWithEveryOpenPortOnce(log, expectedOpen, output, new HashMap<>(),
                    new HashMap<>());
        }
        assertThat(checkpoint().path("partial").has(held)).as("finished: no longer partial")
                .isFalse();
    }

    /**
     * Scan 1 is complete, with the test's authorisation, every observation in its scope, and
     * the sweep's record of each open port exactly once; counts observations per address.
     */
    private static void assertCompleteWithEveryOpenPortOnce(ObservationLog log,
            Map<String, Set<Integer>> expectedOpen, String output, Map<String, Long> tcp,
            Map<String, Long> udp) {
        Scan scan = log.scan(1).orElseThrow();
        assertThat(scan.status()).isEqualTo("complete");
        assertThat(scan.authorizedBy()).as("the same authorisation").isEqualTo(WHO);
        Map<String, List<Integer>> open = new TreeMap<>();
        ScopeGuard guard = new ScopeGuard(ScanCommand.storedScope(scan));
        log.forEachObservation(1, o -> {
            assertThat(guard.allows(address(o))).as(o.address() + " in scope").isTrue();
            (o.transport() == Transport.UDP ? udp : tcp).merge(o.address(), 1L, Long::sum);
            // the sweep's own record of an open port (service probes say 'open' too)
            if (o.transport() == Transport.TCP && o.protocol().equals("tcp") && o.field(
                    Fields.STATE).filter("open"::equals).isPresent()) {
                open.computeIfAbsent(o.address(), a -> new ArrayList<>()).add(o.port());
            }
        });
        Map<String, List<Integer>> expected = new TreeMap<>();
        expectedOpen.forEach((a, ports) -> expected.put(a, List.copyOf(ports)));
        open.values().forEach(ports -> ports.sort(Integer::compare));
        assertThat(open).as("every open port once: nothing lost, nothing swept twice\n"
                + output).isEqualTo(expected);
    }

    private static InetAddress address(Observation o) {
        try {
            return InetAddress.getByName(o.address());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The checks after a kill; records what the checkpoint says is done, and asserts that what
     * was done at earlier kills is unchanged.
     */
    private Scan afterKill(long reported, Map<String, Long> frozenTcp, Map<String, Long> frozenUdp)
            throws Exception {
        LogIntegrity.assertIntact(data);
        CliRun scans = CliRun.of("scans", "--data-dir", data.toString());
        assertThat(scans.exit()).as(scans.err()).isZero();
        assertThat(scans.out()).as("the next start lists it").containsPattern(
                "(?m)^\\s+1 .* active\\s+interrupted ");
        Set<String> done = doneTargets();
        boolean udpDone = checkpoint().path("udp").asBoolean();
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            Scan scan = log.scan(1).orElseThrow();
            assertThat(scan.status()).isEqualTo("interrupted");
            assertThat(log.countObservations(1)).as("all it reported stored")
                    .isGreaterThanOrEqualTo(
                            reported);
            Map<String, Long> tcp = new HashMap<>();
            Map<String, Long> udp = new HashMap<>();
            log.forEachObservation(1, o -> (o.transport() == Transport.UDP ? udp : tcp).merge(o
                    .address(), 1L, Long::sum));
            frozenTcp.forEach((a, n) -> assertThat(tcp.getOrDefault(a, 0L)).as(a).isEqualTo(n));
            frozenUdp.forEach((a, n) -> assertThat(udp.getOrDefault(a, 0L)).as(a).isEqualTo(n));
            for (String a : done) {
                frozenTcp.putIfAbsent(a, tcp.getOrDefault(a, 0L));
            }
            if (udpDone) {
                for (String a : udp.keySet()) {
                    frozenUdp.putIfAbsent(a, udp.get(a));
                }
            }
            return scan;
        }
    }

    private long storedNow() {
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            return log.countObservations(1);
        }
    }

    private JsonNode checkpoint() throws IOException {
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            return new ObjectMapper().readTree(log.checkpoint(1).orElseThrow());
        }
    }

    /** The targets the checkpoint says are done, by address. */
    private Set<String> doneTargets() throws IOException {
        JsonNode ranges = checkpoint().path("done");
        Scan scan;
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            scan = log.scan(1).orElseThrow();
        }
        Set<String> done = new TreeSet<>();
        Iterator<InetAddress> targets = new ScopeGuard(ScanCommand.storedScope(scan)).targets();
        for (long i = 0; targets.hasNext(); i++) {
            InetAddress a = targets.next();
            for (JsonNode r : ranges) {
                if (i >= r.get(0).asLong() && i < r.get(1).asLong()) {
                    done.add(a.getHostAddress());
                }
            }
        }
        return done;
    }

    /** One camaudit process, its output read line by line as it comes. */
    static final class Child {
        final Process process;
        private final BufferedReader lines;
        private final StringBuilder said = new StringBuilder();

        private Child(Process process) {
            this.process = process;
            this.lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
        }

        static Child start(Path data, String... args) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                    "-Dcamaudit.progress.millis=50", "-cp", System.getProperty("java.class.path"),
                    Main.class.getName()));
            cmd.addAll(List.of(args));
            return new Child(new ProcessBuilder(cmd).redirectErrorStream(true).directory(data
                    .toFile()).start());
        }

        /**
         * Reads progress lines until one meets {@code moment}, then kills the process with
         * SIGKILL and waits for it to die; returns what that line reported stored.
         */
        long killWhen(Predicate<Progress> moment, String what) throws Exception {
            String line = awaitLine(l -> {
                Matcher m = STORED.matcher(l);
                return l.startsWith("progress: ") && m.find() && moment.test(new Progress(l
                        .substring("progress: ".length(), "progress: ".length() + 15).trim(),
                        Long
                                .parseLong(m.group(1).replace(",", ""))));
            }, what);
            kill(line);
            Matcher m = STORED.matcher(line);
            m.find();
            return Long.parseLong(m.group(1).replace(",", ""));
        }

        /** Reads lines until one meets {@code wanted} and returns it; fails if output ends first. */
        String awaitLine(Predicate<String> wanted, String what) throws IOException {
            String line;
            while ((line = lines.readLine()) != null) {
                said.append(line).append('\n');
                if (wanted.test(line)) {
                    return line;
                }
            }
            throw new AssertionError("the process ended before " + what + ":\n" + said);
        }

        /** SIGKILL, then waits for the process to die of it; {@code at} is printed. */
        void kill(String at) throws InterruptedException {
            process.destroyForcibly(); // SIGKILL on Linux
            assertThat(process.waitFor()).as("killed by SIGKILL\n" + said).isEqualTo(128 + 9);
            System.out.printf("camaudit child: killed at '%s'%n", at);
        }

        String said() {
            return said.toString();
        }

        String readAll() throws IOException {
            String line;
            while ((line = lines.readLine()) != null) {
                said.append(line).append('\n');
            }
            return said.toString();
        }
    }

    /**
     * Port 80 on its own address, answering every connection with a reply that never ends (one
     * byte every 200 ms) until released; then it hangs up on every connection, old and new.
     */
    static final class HeldDevice implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> held = new ArrayList<>();
        private final ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("held-device").factory());
        private boolean released;

        private HeldDevice(ServerSocket server) {
            this.server = server;
        }

        static HeldDevice start(String address, int port) throws IOException {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(address, port));
            HeldDevice d = new HeldDevice(s);
            Thread.ofVirtual().start(d::accept);
            d.drip.scheduleWithFixedDelay(d::dripAll, 200, 200, TimeUnit.MILLISECONDS);
            return d;
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    synchronized (this) {
                        if (released) {
                            s.close();
                        } else {
                            s.getOutputStream().write("HTTP/1.1 200 OK\r\nX-Held: ".getBytes(
                                    StandardCharsets.US_ASCII));
                            held.add(s);
                        }
                    }
                } catch (IOException e) {
                    // closed, or a client gone: the next accept tells
                }
            }
        }

        private synchronized void dripAll() {
            for (Iterator<Socket> i = held.iterator(); i.hasNext();) {
                Socket s = i.next();
                try {
                    OutputStream out = s.getOutputStream();
                    out.write('x');
                    out.flush();
                } catch (IOException gone) {
                    closeQuietly(s);
                    i.remove(); // its scan was killed
                }
            }
        }

        synchronized void release() {
            released = true;
            held.forEach(HeldDevice::closeQuietly);
            held.clear();
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }

        @Override
        public void close() throws IOException {
            release();
            drip.shutdownNow();
            server.close();
        }
    }
}
