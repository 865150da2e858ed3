package org.camaudit.cli;

import java.io.PrintWriter;
import org.camaudit.probes.service.ServiceProbes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.camaudit.model.IpRange;
import org.camaudit.model.SafetyClass;
import org.camaudit.model.Scope;
import org.camaudit.probes.ScopeGuard;
import org.camaudit.testbed.Fleet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code camaudit demo}: a simulated fleet, scanned by the real scanner, then stopped. */
@Command(name = "demo", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
        "Shows camaudit end to end on this machine with nothing else installed:"
                + " starts a fleet of simulated devices on loopback, scans it with the real"
                + " scanner, stores the scan, prints the summary and where the results are, then"
                + " stops the fleet. Nothing is left running."}, footer = {"", "Examples:",
                        "  camaudit demo",
                        "  camaudit demo --devices 1000 --seed 7"})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--devices", paramLabel = "N", defaultValue = "300", description = "Simulated devices (default ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--range", paramLabel = "CIDR", defaultValue = "127.77.0.0/16", description = "Where they live and what is scanned (default ${DEFAULT-VALUE}).")
    String range;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "The same seed gives the same fleet (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "100000", description = "Connections or datagrams per second; loopback takes a lot"
            + " (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @Mixin
    DataDirOption data;

    @Mixin
    PolicyOptions policies;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        IpRange r = TestbedCommand.parseRange(range);
        Path dir = data.resolve();
        Files.createDirectories(dir);
        Path manifest = dir.resolve("demo-manifest.jsonl");
        long t0 = System.nanoTime();
        try (Fleet fleet = Fleet.launch(devices, r, TestbedCommand.mixOrDefault(null), seed,
                Optional.of(manifest))) {
            out.printf("fleet: %,d simulated devices on %s (%,d sockets) started in %,d ms;"
                    + " ground truth in %s%n", devices, r, fleet.sockets(),
                    (System.nanoTime()
                            - t0) / 1_000_000,
                    manifest);
            out.flush();
            Scope scope = new Scope(List.of(range), List.of(),
                    Scope.CAMERA_PORTS, rate, Scope.DEFAULT_CONCURRENCY, SafetyClass.defaults(),
                    false, false, "camaudit demo: simulated fleet on loopback, " + LocalDate.now());
            ScanRun.Result result = ScanRun.execute(scope, new ScopeGuard(scope),
                    new ScanRun.Settings(true, false, 1, 5, quiet), data, policies,
                    ServiceProbes.standard(), out, err);
            out.printf("%nfleet stopped. Compare with the ground truth: %s%n", manifest);
            out.printf("report for people: camaudit report --format html --out %s --data-dir %s%n",
                    dir.resolve("report.html"), dir);
            return result.exitCode();
        }
    }
}
