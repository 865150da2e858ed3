package org.camaudit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.camaudit.model.SafetyClass;
import org.camaudit.model.ScanSummary;
import org.camaudit.model.Scope;
import org.camaudit.probes.Network;
import org.camaudit.probes.PortSweep;
import org.camaudit.probes.ProbeLimits;
import org.camaudit.probes.Progress;
import org.camaudit.probes.RateLimiter;
import org.camaudit.probes.Scanner;
import org.camaudit.probes.ScopeGuard;
import org.camaudit.probes.discovery.UdpDiscovery;
import org.camaudit.probes.service.ServiceProbes;
import org.camaudit.store.ObservationLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code camaudit scan}: active discovery of a scope the operator owns. */
@Command(name = "scan", mixinStandardHelpOptions = true, usageHelpWidth = 100, sortOptions = false, description = {
        "Finds every responding device in a scope you own and keeps the evidence of"
                + " what it is.",
        "",
        "Sends only PASSIVE and SAFE-PROBE traffic (protocol-facts.md §0), and only to addresses"
                + " inside the scope: a TCP connect sweep of the port profile, SAFE-PROBE service"
                + " probes on open ports (HTTP/HTTPS, RTSP, ONVIF, banners), and unicast UDP"
                + " discovery (WS-Discovery, SSDP, SADP, DHDiscover, DVRIP).",
        ""}, footer = {"", "Examples:",
                "  camaudit scan 127.0.0.1 --authorized-by \"J. Smith, change CHG-1234, 2026-11-22\"",
                "  camaudit scan 10.20.0.0/22 --exclude 10.20.1.1 --ports 80,554,8000 --authorized-by ...",
                "  camaudit scan --scope site-a.yaml --authorized-by \"Facilities security, 2026-11-22\"",
                "  camaudit scan 10.20.0.0/22 --dry-run --authorized-by ...   (show the scope, send nothing)"})
final class ScanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TARGET", arity = "0..*", description = "CIDRs (10.1.0.0/24), ranges (10.1.0.5-10.1.0.20 or 10.1.0.5-20), addresses"
            + " (IPv4 or IPv6) or host names. Host names are resolved once and each address"
            + " checked.")
    List<String> targets = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "TARGET", split = ",", description = "Never send anything here; same forms as TARGET. Exclusions always win.")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--scope", paramLabel = "FILE", description = "A YAML scope file: targets, exclude, ports, rate, concurrency,"
            + " safety_classes, multicast, allow_large, authorized_by. Options given here add to"
            + " its targets and exclusions and override the rest.")
    Path scopeFile;

    @Option(names = "--authorized-by", paramLabel = "WHO, WHEN", description = "Required: who authorised this scan, and when. Stored with the scan.")
    String authorizedBy;

    @Option(names = "--ports", paramLabel = "LIST", description = "TCP ports to sweep, e.g. 80,443,8000-8010. Default: camera, the camera"
            + " profile 80,443,554,8000,8080,8443,8554,8899,37777,34567,9527,9530,23,21,22,2020,9000.")
    String ports;

    @Option(names = "--rate", paramLabel = "N", description = "New connections or datagrams per second, at most (default "
            + Scope.DEFAULT_RATE + ").")
    Integer rate;

    @Option(names = "--concurrency", paramLabel = "N", description = "TCP connects in flight, at most (default "
            + Scope.DEFAULT_CONCURRENCY
            + ").")
    Integer concurrency;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "1", description = "Retries for a connect that got no answer (default ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--no-udp", description = "Skip UDP discovery.")
    boolean noUdp;

    @Option(names = "--sweep-only", description = "Stop after the port sweep: no service probes,"
            + " no UDP discovery.")
    boolean sweepOnly;

    @Option(names = "--multicast", description = "Also send discovery to the multicast and"
            + " broadcast groups. Off by default: replies may come from outside your scope (they are"
            + " dropped).")
    boolean multicast;

    @Option(names = "--allow-large", description = "Accept a scope larger than a /16 (65,536"
            + " addresses).")
    boolean allowLarge;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10", description = "Most time one service exchange may take (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--dry-run", description = "Print the resolved scope and what would be sent,"
            + " then stop without sending anything.")
    boolean dryRun;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @Mixin
    DataDirOption data;

    Scope scope() {
        ScopeFile file = scopeFile == null ? null : ScopeFile.read(scopeFile);
        List<String> allTargets = new ArrayList<>();
        List<String> allExcludes = new ArrayList<>();
        if (file != null) {
            allTargets.addAll(file.targets());
            allExcludes.addAll(file.excludes());
        }
        allTargets.addAll(targets);
        for (String e : excludes) {
            if (!e.isBlank()) {
                allExcludes.add(e.trim());
            }
        }
        if (allTargets.isEmpty()) {
            throw new UsageException("no targets: give CIDRs, ranges or hosts, or --scope FILE");
        }
        String who = authorizedBy != null
                ? authorizedBy
                : file != null ? file.authorizedBy().orElse(null) : null;
        if (who == null || who.isBlank()) {
            throw new UsageException("--authorized-by is required: say who authorised this scan"
                    + " and when, e.g. --authorized-by \"J. Smith, CHG-1234, 2026-11-22\"");
        }
        List<Integer> portList = ports != null
                ? PortList.parse(ports)
                : file != null && file.ports().isPresent()
                        ? file.ports().get()
                        : Scope.CAMERA_PORTS;
        int r = rate != null
                ? rate
                : file != null ? file.rate().orElse(Scope.DEFAULT_RATE) : Scope.DEFAULT_RATE;
        int c = concurrency != null
                ? concurrency
                : file != null
                        ? file.concurrency().orElse(Scope.DEFAULT_CONCURRENCY)
                        : Scope.DEFAULT_CONCURRENCY;
        Set<SafetyClass> safety = file != null
                ? file.safety().orElse(SafetyClass.defaults())
                : SafetyClass.defaults();
        boolean mc = multicast || (file != null && file.multicast());
        boolean large = allowLarge || (file != null && file.allowLarge());
        try {
            return new Scope(allTargets, allExcludes, portList, r, c, safety, mc, large, who);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static String scopeJson(Scope s) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode n = json.createObjectNode();
        n.putPOJO("targets", s.targets());
        n.putPOJO("exclude", s.excludes());
        n.putPOJO("ports", s.ports());
        n.put("rate", s.ratePerSecond());
        n.put("concurrency", s.concurrency());
        n.putPOJO("safety_classes", s.safetyClasses().stream().map(SafetyClass::label).sorted()
                .toList());
        n.put("multicast", s.multicast());
        n.put("allow_large", s.allowLarge());
        return n.toString();
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Scope scope = scope();
        ScopeGuard guard = new ScopeGuard(scope);
        long count = guard.addressCount().longValueExact();
        if (dryRun) {
            out.printf("scope: %,d addresses in %d range(s), %d excluded range(s)%n", count, guard
                    .included().size(), guard.excluded().size());
            guard.included().forEach(r -> out.println("  include " + r));
            guard.excluded().forEach(r -> out.println("  exclude " + r));
            out.println("ports: " + scope.ports());
            out.printf("would send: %,d TCP connects%s%n", count * scope.ports().size(),
                    sweepOnly || noUdp
                            ? ""
                            : String.format(", %,d UDP discovery datagrams", count * 5));
            out.println("safety classes: " + scope.safetyClasses().stream().map(
                    SafetyClass::label).sorted().toList());
            out.println("authorized by: " + scope.authorizedBy());
            out.println("dry run: nothing was sent");
            return ExitCode.OK;
        }
        ProbeLimits limits = new ProbeLimits(Duration.ofSeconds(Math.min(3, timeoutSeconds)),
                Duration.ofSeconds(Math.min(4, timeoutSeconds)), Duration.ofSeconds(timeoutSeconds),
                ProbeLimits.DEFAULT.maxReplyBytes());
        Network network = new Network(guard, new RateLimiter(scope.ratePerSecond()));
        Scanner.Options options = new Scanner.Options(!noUdp, sweepOnly, new PortSweep.Settings(
                scope.concurrency(), retries, 100, 3000, PortSweep.Settings.defaultWorkers()),
                limits, 64);
        ServiceProbes services = ServiceProbes.standard();
        UdpDiscovery udp = new UdpDiscovery(network, Duration.ofMillis(1500), scope.multicast());
        Progress progress = new Progress();
        try (ObservationLog log = data.open()) {
            long scanId = log.startScan("active", scope.authorizedBy(), scopeJson(scope), Instant
                    .now());
            StoreSink sink = new StoreSink(log, scanId);
            ProgressReporter reporter = quiet ? null : ProgressReporter.start(progress, err);
            Thread scanning = Thread.currentThread();
            AtomicBoolean stopping = new AtomicBoolean();
            CountDownLatch recorded = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                stopping.set(true);
                scanning.interrupt();
                try {
                    // the scan thread stores what it has, prints the summary, then lets us go
                    if (recorded.await(10, TimeUnit.SECONDS)) {
                        err.flush();
                        out.flush();
                        Runtime.getRuntime().halt(ExitCode.INTERRUPTED);
                    }
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }, "camaudit-interrupt");
            Runtime.getRuntime().addShutdownHook(hook);
            ScanSummary summary;
            String status = "complete";
            try {
                summary = new Scanner(network, options, services::probeHost, (targets, s) -> udp
                        .run(targets, s), progress).run(sink);
                if (stopping.get() || Thread.interrupted()) {
                    status = "interrupted";
                }
            } catch (RuntimeException | java.io.IOException e) {
                sink.flush();
                log.finishScan(scanId, "failed", new ScanSummary(0, progress.hostsUp(), progress
                        .openPorts(), sink.written(), progress.elapsedMillis()), Instant.now());
                recorded.countDown();
                throw e;
            } finally {
                if (reporter != null) {
                    reporter.stop();
                }
            }
            sink.flush();
            ScanSummary stored = new ScanSummary(summary.addressesProbed(), summary.hostsUp(),
                    summary.openPorts(), sink.written(), summary.millis());
            log.finishScan(scanId, status, stored, Instant.now());
            java.util.List<org.camaudit.model.Identification> identified = java.util.List.of();
            if (stopping.get()) {
                // Ctrl-C means stop now: the evidence is stored, identification can be redone
                err.println("camaudit: not identified (interrupted); run 'camaudit identify --scan "
                        + scanId + "'");
            } else {
                try {
                    identified = IdentifyCommand.identifyStored(log, scanId);
                } catch (RuntimeException e) {
                    // the evidence is stored; 'camaudit identify --scan' can redo this step
                    err.println("camaudit: identification failed (" + e.getMessage()
                            + "); run 'camaudit identify --scan " + scanId + "' again");
                }
            }
            ScanReport.print(out, log, scanId, status, stored, data.resolve(), identified);
            out.flush();
            if (!stopping.get()) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            recorded.countDown();
            return status.equals("complete") ? ExitCode.OK : ExitCode.INTERRUPTED;
        }
    }
}
