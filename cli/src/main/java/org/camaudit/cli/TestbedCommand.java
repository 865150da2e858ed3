package org.camaudit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.camaudit.model.IpRange;
import org.camaudit.testbed.Behaviour;
import org.camaudit.testbed.Behaviours;
import org.camaudit.testbed.Fleet;
import org.camaudit.testbed.SimulatedInternet;
import org.camaudit.testbed.FleetPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code camaudit testbed}: a fleet of simulated devices on loopback, until stopped. */
@Command(name = "testbed", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
        "Starts a fleet of simulated cameras, recorders, ordinary hosts and"
                + " misbehaving devices in this process, each on its own loopback address, and"
                + " writes the ground truth of what an auditor should find.",
        "Runs until Ctrl-C or --duration. Loopback (127.0.0.0/8) only."}, footer = {"", "Examples:",
                "  camaudit testbed --devices 300 --range 127.77.0.0/16 --manifest fleet.jsonl",
                "  camaudit testbed --devices 5000 --range 127.80.0.0/16 --seed 7 --duration 600 \\",
                "      --manifest big.jsonl",
                "  camaudit scan 127.77.0.0/16 --authorized-by \"testbed\"   (in another terminal)"})
final class TestbedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--devices", paramLabel = "N", defaultValue = "300", description = "How many devices (default ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--range", paramLabel = "CIDR", defaultValue = "127.77.0.0/16", description = "Where they live; inside 127.0.0.0/8 (default ${DEFAULT-VALUE}).")
    String range;

    @Option(names = "--mix", paramLabel = "FILE", description = "Personality weights, one 'id weight' per line (default: every"
            + " personality, realistic weights).")
    Path mix;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "The same seed gives the same fleet (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--manifest", paramLabel = "OUT.jsonl", description = "Write the ground truth here: one line per device.")
    Path manifest;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this long (default: run until Ctrl-C).")
    Long duration;

    @Option(names = "--behave", paramLabel = "WHAT=N,...", description = "Tell devices to behave, once after start: phone-home (resolve the"
            + " vendor cloud through a loopback DNS server, then talk to a simulated cloud),"
            + " relay (forward an outside peer's bytes), telnet-scan (try TCP 23 on 25 outside"
            + " addresses). E.g. phone-home=4,relay=1,telnet-scan=1. The manifest records who"
            + " does what and the findings a passive audit must report (traffic_findings).")
    String behave;

    @Option(names = "--internet", paramLabel = "CIDR", defaultValue = "127.250.0.0/16", description = "The simulated outside world for --behave: DNS server, vendor"
            + " clouds, relay peers, scan targets; a /16 inside 127.0.0.0/8 apart from --range"
            + " (default ${DEFAULT-VALUE}). Its DNS server binds port 53: needs root.")
    String internet;

    @Option(names = "--behave-delay", paramLabel = "SECONDS", defaultValue = "0", description = "Wait this long after start before behaving, e.g. to start a"
            + " capture first (default ${DEFAULT-VALUE}).")
    int behaveDelay;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        IpRange r = parseRange(range);
        Map<String, Integer> weights = mixOrDefault(mix);
        if (devices < 1) {
            throw new UsageException("--devices must be at least 1");
        }
        Map<Behaviour, Integer> behaviours;
        IpRange world = null;
        try {
            behaviours = behave == null ? Map.of() : Behaviours.parseCounts(behave);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--behave: " + e.getMessage());
        }
        if (!behaviours.isEmpty()) {
            world = parseRange(internet);
            if (world.size().compareTo(java.math.BigInteger.valueOf(65536)) != 0) {
                throw new UsageException("--internet must be a /16, e.g. 127.250.0.0/16");
            }
            if (world.contains(r.firstAddress()) || world.contains(r.lastAddress()) || r
                    .contains(world.firstAddress())) {
                throw new UsageException("--internet " + internet + " overlaps --range " + range);
            }
        }
        long t0 = System.nanoTime();
        Fleet fleet;
        try {
            fleet = Fleet.launch(devices, r, weights, seed, behaviours, Optional.ofNullable(
                    manifest));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        SimulatedInternet outside;
        try {
            outside = world == null ? null : SimulatedInternet.start(world);
        } catch (IOException e) {
            fleet.close();
            throw new UsageException("--behave: " + e.getMessage());
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (outside != null) {
                outside.close();
            }
            fleet.close();
            stopped.countDown();
        }, "testbed-stop"));
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        out.printf("ready: %,d devices on %s, %,d sockets, started in %,d ms, heap %,d KiB"
                + " (%,d bytes per device)%n", devices, r, fleet.sockets(), millis, heap / 1024,
                heap / devices);
        if (manifest != null) {
            out.println("manifest: " + manifest);
        }
        if (outside != null) {
            if (behaveDelay > 0) {
                out.printf("behaving in %d s%n", behaveDelay);
                out.flush();
                Thread.sleep(behaveDelay * 1000L);
            }
            Behaviours.Performed done = Behaviours.perform(fleet.devices(), outside);
            out.printf("behaved: %d devices; %d phone-home sessions (%d answered), %,d bytes"
                    + " relayed, %d telnet attempts%s%n", done.devices(), done.phoneHomes(),
                    done
                            .cloudAnswers(),
                    done.relayedBytes(), done.scanAttempts(), done
                            .errors().isEmpty() ? "" : "; errors: " + done.errors());
        }
        out.println(duration == null ? "running until Ctrl-C" : "running for " + duration + " s");
        out.flush();
        if (duration == null) {
            stopped.await();
        } else {
            stopped.await(duration, TimeUnit.SECONDS);
            if (outside != null) {
                outside.close();
            }
            fleet.close();
            out.printf("stopped after %d s: %,d connections and %,d datagrams answered%n",
                    duration, fleet.connectionsAccepted(), fleet.datagramsAnswered());
        }
        return ExitCode.OK;
    }

    static IpRange parseRange(String text) {
        try {
            IpRange r = IpRange.parse(text);
            if (r.family() != 4 || !r.firstAddress().getHostAddress().startsWith("127.") || !r
                    .lastAddress().getHostAddress().startsWith("127.")) {
                throw new UsageException("--range must lie inside 127.0.0.0/8: the testbed never"
                        + " uses other addresses");
            }
            return r;
        } catch (IllegalArgumentException e) {
            throw new UsageException("--range: " + e.getMessage());
        }
    }

    static Map<String, Integer> mixOrDefault(Path mix) throws IOException {
        if (mix == null) {
            return FleetPlan.defaultMix();
        }
        try {
            return FleetPlan.readMix(mix);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UsageException("mix file not found: " + mix);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
