package org.camaudit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.camaudit.probes.service.Credentials;
import org.camaudit.probes.service.ServiceProbes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.camaudit.model.SafetyClass;
import org.camaudit.model.Scope;
import org.camaudit.probes.ScopeGuard;
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

    @Option(names = "--info-leak-checks", description = "Also run INFO-LEAK READ checks: plain GETs that succeed only"
            + " because of a documented disclosure (Dahua /web_caps/webCapsConfig, CVE-2019-9680;"
            + " Xiongmai /DVR.htm). Off by default; the scope file must allow info-leak-read.")
    boolean infoLeakChecks;

    @Option(names = "--auth-attempts", description = "Also try the default credentials of --credentials against web UIs that"
            + " answer 401 (HTTP Basic/Digest), at most one attempt a second and"
            + " --max-attempts per device. Off by default; the scope file must allow auth-attempt.")
    boolean authAttempts;

    @Option(names = "--credentials", paramLabel = "FILE", description = "user:password lines for --auth-attempts (camaudit ships none).")
    Path credentialsFile;

    @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "3", description = "Most login attempts per device with --auth-attempts (default ${DEFAULT-VALUE}).")
    int maxAttempts;

    @Option(names = "--resume", paramLabel = "ID", description = "Finish interrupted or failed scan ID (stopped, killed, its"
            + " machine down, or its disk full): with its own scope, authorisation and settings, sending nothing to what it"
            + " already finished. Give no targets or scope options with it.")
    Long resume;

    @Mixin
    DataDirOption data;

    @Mixin
    PolicyOptions policies;

    /**
     * The opt-in classes: a flag needs its class in the scope (else a usage error), and a class
     * in the scope without its flag is dropped, so nothing opt-in runs unasked.
     */
    Scope withOptIns(Scope scope) {
        if (credentialsFile != null && !authAttempts) {
            throw new UsageException("--credentials goes with --auth-attempts");
        }
        if (authAttempts && credentialsFile == null) {
            throw new UsageException("--auth-attempts needs --credentials FILE (user:password"
                    + " lines you supply; camaudit ships none)");
        }
        if (infoLeakChecks && !scope.allows(SafetyClass.INFO_LEAK_READ)) {
            throw new UsageException("--info-leak-checks needs the scope to allow info-leak-read"
                    + " (safety_classes in the scope file)");
        }
        if (authAttempts && !scope.allows(SafetyClass.AUTH_ATTEMPT)) {
            throw new UsageException("--auth-attempts needs the scope to allow auth-attempt"
                    + " (safety_classes in the scope file)");
        }
        java.util.EnumSet<SafetyClass> classes = java.util.EnumSet.noneOf(SafetyClass.class);
        classes.addAll(scope.safetyClasses());
        if (!infoLeakChecks) {
            classes.remove(SafetyClass.INFO_LEAK_READ);
        }
        if (!authAttempts) {
            classes.remove(SafetyClass.AUTH_ATTEMPT);
        }
        return new Scope(scope.targets(), scope.excludes(), scope.ports(), scope.ratePerSecond(),
                scope.concurrency(), classes, scope.multicast(), scope.allowLarge(), scope
                        .authorizedBy());
    }

    java.util.Optional<Credentials> credentials() {
        if (credentialsFile == null) {
            return java.util.Optional.empty();
        }
        if (maxAttempts < 1) {
            throw new UsageException("--max-attempts must be at least 1");
        }
        try {
            return java.util.Optional.of(Credentials.read(credentialsFile, maxAttempts));
        } catch (java.io.IOException e) {
            throw new UsageException("cannot read " + credentialsFile + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

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

    /** The stored scope of scan {@code id}: what it was started with, authorisation included. */
    static Scope storedScope(org.camaudit.model.Scan scan) {
        try {
            com.fasterxml.jackson.databind.JsonNode n = new ObjectMapper().readTree(scan.scope());
            java.util.function.Function<String, List<String>> list = key -> {
                List<String> values = new ArrayList<>();
                n.path(key).forEach(v -> values.add(v.asText()));
                return values;
            };
            List<Integer> ports = new ArrayList<>();
            n.path("ports").forEach(v -> ports.add(v.asInt()));
            java.util.EnumSet<SafetyClass> classes = java.util.EnumSet.noneOf(SafetyClass.class);
            list.apply("safety_classes").forEach(c -> classes.add(SafetyClass.parse(c)));
            return new Scope(list.apply("targets"), list.apply("exclude"), ports, n.path("rate")
                    .asInt(), n.path("concurrency").asInt(), classes,
                    n.path("multicast")
                            .asBoolean(),
                    n.path("allow_large").asBoolean(), scan.authorizedBy());
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalStateException("the stored scope of scan " + scan.id()
                    + " is unreadable: " + e.getMessage(), e);
        }
    }

    private Integer resumeScan(PrintWriter out, PrintWriter err) throws Exception {
        if (!targets.isEmpty() || !excludes.isEmpty() || scopeFile != null || authorizedBy != null
                || ports != null || rate != null || concurrency != null || noUdp || sweepOnly
                || multicast || allowLarge || infoLeakChecks || authAttempts || dryRun) {
            throw new UsageException("--resume takes the scope, authorisation and settings stored"
                    + " with the scan; give no targets or scope options with it");
        }
        Scope scope;
        ScanRun.Settings settings;
        try (org.camaudit.store.ObservationLog log = data.open()) {
            org.camaudit.model.Scan scan = log.scan(resume).orElseThrow(() -> new UsageException(
                    "no scan " + resume + " in " + data.resolve() + " (see 'camaudit scans')"));
            if (!scan.kind().equals("active")) {
                throw new UsageException("scan " + resume + " is a " + scan.kind()
                        + " scan; --resume finishes active scans (re-run analyze on the same"
                        + " files instead)");
            }
            if (!scan.status().equals("interrupted") && !scan.status().equals("failed")) {
                throw new UsageException("scan " + resume + " is " + scan.status()
                        + "; only an interrupted or failed scan can be resumed");
            }
            scope = storedScope(scan);
            settings = ScanLedger.resume(log, resume).settings(quiet);
        }
        java.util.Optional<Credentials> credentials = java.util.Optional.empty();
        if (scope.allows(SafetyClass.AUTH_ATTEMPT)) {
            if (credentialsFile == null) {
                throw new UsageException("scan " + resume + " ran auth attempts: give"
                        + " --credentials FILE again (camaudit never stores them)");
            }
            authAttempts = true;
            credentials = credentials();
        } else if (credentialsFile != null) {
            throw new UsageException(
                    "scan " + resume + " ran no auth attempts; drop --credentials");
        }
        return ScanRun.execute(scope, new ScopeGuard(scope), settings, data, policies,
                ServiceProbes.withOptIn(credentials), out, err, java.util.OptionalLong.of(resume))
                .exitCode();
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (resume != null) {
            return resumeScan(out, err);
        }
        Scope scope = withOptIns(scope());
        java.util.Optional<Credentials> credentials = credentials();
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
        return ScanRun.execute(scope, guard, new ScanRun.Settings(!noUdp, sweepOnly, retries,
                timeoutSeconds, quiet), data, policies, ServiceProbes.withOptIn(credentials), out,
                err).exitCode();
    }
}
