package org.camaudit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.rules.findings.FindingEngine;
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

/**
 * One active scan from start to summary: opens the log, records the scan and its authorisation,
 * runs the scanner with progress, stores every observation, and on Ctrl-C or SIGTERM keeps what
 * was gathered, marks the scan interrupted and exits 130. Shared by {@code scan} and {@code demo}.
 */
final class ScanRun {
    /**
     * @param udp run UDP discovery
     * @param sweepOnly stop after the port sweep
     * @param retries retries for silent connects
     * @param timeoutSeconds most time one service exchange may take
     * @param quiet no progress output
     */
    record Settings(boolean udp, boolean sweepOnly, int retries, int timeoutSeconds,
            boolean quiet) {
    }

    /** How the scan ended. */
    record Result(long scanId, String status, ScanSummary summary, int exitCode) {
    }

    private ScanRun() {
    }

    /** A resumed scan's numbers over all its runs, counted from what the log holds. */
    static ScanSummary storedSummary(ObservationLog log, long scanId, long addresses,
            long millis) {
        java.util.Set<String> up = new java.util.HashSet<>();
        long[] counts = new long[2]; // open ports, observations
        log.forEachObservation(scanId, o -> {
            up.add(o.address());
            counts[1]++;
            if (o.transport() == org.camaudit.model.Transport.TCP && o.field(
                    org.camaudit.model.Fields.STATE).filter("open"::equals).isPresent()) {
                counts[0]++;
            }
        });
        return new ScanSummary(addresses, up.size(), counts[0], counts[1], millis);
    }

    static Result execute(Scope scope, ScopeGuard guard, Settings settings, DataDirOption data,
            PrintWriter out, PrintWriter err) throws IOException {
        return execute(scope, guard, settings, data, new PolicyOptions(), ServiceProbes
                .standard(), out, err);
    }

    static Result execute(Scope scope, ScopeGuard guard, Settings settings, DataDirOption data,
            PolicyOptions policies, ServiceProbes services, PrintWriter out, PrintWriter err)
            throws IOException {
        return execute(scope, guard, settings, data, policies, services, out, err,
                java.util.OptionalLong
                        .empty());
    }

    /**
     * @param resume an interrupted scan to finish (its scope and settings are the ones given
     *            here, read from it by the caller): what its earlier runs finished is not sent
     *            to again, and what this run gathers is added to it
     */
    static Result execute(Scope scope, ScopeGuard guard, Settings settings, DataDirOption data,
            PolicyOptions policies, ServiceProbes services, PrintWriter out, PrintWriter err,
            java.util.OptionalLong resume) throws IOException {
        // refuse a bad --policy before sending anything
        FindingEngine engine = policies.engine(data.resolve());
        ProbeLimits limits = new ProbeLimits(
                Duration.ofSeconds(Math.min(3, settings.timeoutSeconds())),
                Duration.ofSeconds(Math.min(4, settings.timeoutSeconds())),
                Duration.ofSeconds(settings.timeoutSeconds()),
                ProbeLimits.DEFAULT.maxReplyBytes());
        Network network = new Network(guard, new RateLimiter(scope.ratePerSecond()));
        Scanner.Options options = new Scanner.Options(settings.udp(), settings.sweepOnly(),
                new PortSweep.Settings(
                        scope.concurrency(), settings.retries(), 100, 3000,
                        PortSweep.Settings.defaultWorkers()),
                limits, 64);
        UdpDiscovery udp = new UdpDiscovery(network, Duration.ofMillis(1500), scope.multicast());
        Progress progress = new Progress();
        try (ObservationLog log = data.open()) {
            long scanId;
            ScanLedger sink;
            if (resume.isPresent()) {
                scanId = resume.getAsLong();
                log.resumeScan(scanId);
                sink = ScanLedger.resume(log, scanId);
                err.printf("camaudit: resuming scan %d: %,d targets and %s were done before%n",
                        scanId, sink.addressesDone(), sink.done().discovery()
                                ? "UDP discovery"
                                : "not UDP discovery");
            } else {
                scanId = log.startScan("active", scope.authorizedBy(), ScanCommand.scopeJson(
                        scope), Instant.now());
                sink = ScanLedger.start(log, scanId, settings);
            }
            Scanner.Done done = sink.done();
            ProgressReporter reporter = settings.quiet()
                    ? null
                    : ProgressReporter.start(progress, sink::written, err);
            OperatorStop stop = OperatorStop.install(out, err);
            ScanSummary summary;
            String status = "complete";
            try {
                summary = new Scanner(network, options, services::probeHost, (targets, s) -> udp
                        .run(targets, s), progress).run(sink, done);
                if (stop.requested() || Thread.interrupted()) {
                    status = "interrupted";
                }
            } catch (RuntimeException | IOException e) {
                try {
                    sink.flush();
                } catch (RuntimeException again) {
                    e.addSuppressed(again); // a full disk: the first failure says it
                }
                try {
                    log.finishScan(scanId, "failed", new ScanSummary(0, progress.hostsUp(),
                            progress.openPorts(), sink.written(), progress.elapsedMillis()),
                            Instant.now());
                } catch (RuntimeException again) {
                    // a full disk refuses this too: the next open marks the scan interrupted
                    e.addSuppressed(again);
                }
                stop.recorded();
                throw e;
            } finally {
                sink.close(); // no timer flush from here on: the last flush is ours
                if (reporter != null) {
                    reporter.stop();
                }
            }
            sink.flush();
            ScanSummary stored = resume.isPresent()
                    ? storedSummary(log, scanId, sink.addressesDone(), summary.millis())
                    : new ScanSummary(summary.addressesProbed(), summary.hostsUp(), summary
                            .openPorts(), sink.written(), summary.millis());
            log.finishScan(scanId, status, stored, Instant.now());
            List<Identification> identified = List.of();
            List<Finding> findings = List.of();
            if (stop.requested()) {
                // Ctrl-C means stop now: the evidence is stored, identification can be redone
                err.println("camaudit: not identified (interrupted); run 'camaudit identify --scan "
                        + scanId + "'");
            } else {
                try {
                    identified = IdentifyCommand.identifyStored(log, scanId);
                    findings = Evaluation.evaluateStored(log, scanId, identified, engine);
                } catch (RuntimeException e) {
                    // the evidence is stored; 'camaudit identify --scan' can redo this step
                    err.println("camaudit: identification or evaluation failed (" + e.getMessage()
                            + "); run 'camaudit identify --scan " + scanId + "' again");
                }
            }
            ScanReport.print(out, log, scanId, status, stored, data.resolve(), identified);
            if (!identified.isEmpty()) {
                Evaluation.printSummary(out, identified, findings, engine, 10);
            }
            out.flush();
            stop.recorded();
            return new Result(scanId, status, stored, status.equals("complete")
                    ? ExitCode.OK
                    : ExitCode.INTERRUPTED);
        }
    }
}
