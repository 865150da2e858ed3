package org.camaudit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.time.Duration;
import java.time.Instant;
import org.camaudit.model.IpRange;
import org.camaudit.server.alerts.SiteSchedule;
import java.util.concurrent.Callable;
import org.camaudit.model.Scan;
import org.camaudit.server.agent.AgentClient;
import org.camaudit.server.agent.AgentState;
import org.camaudit.server.agent.ScanPusher;
import org.camaudit.server.agent.ServerRefusedException;
import org.camaudit.server.http.ServerCertificate;
import org.camaudit.store.ObservationLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code camaudit agent}: a site's link to the central server. */
@Command(name = "agent", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
        "A site agent: enrols with the central server once, then pushes the scans of the local"
                + " log to it over HTTPS (outbound only). The local log is the outbox: a push"
                + " after the server was away sends what it missed, and never a batch twice."}, subcommands = {
                        AgentCommand.Enrol.class, AgentCommand.Push.class,
                        AgentCommand.Run.class}, footer = {"",
                                "Examples:",
                                "  camaudit agent enrol https://server:8443 cae_... --fingerprint AB:CD:...",
                                "  camaudit agent push",
                                "  camaudit agent run --within 10.20.0.0/16"})
final class AgentCommand implements Runnable {
    @Override
    public void run() {
        throw new UsageException("say what to do: enrol, push or run (see camaudit agent --help)");
    }

    @Command(name = "enrol", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
            "Trades the site's one-time enrolment token (from 'camaudit server site add') for"
                    + " this agent's own credential, and keeps it with the server's pinned"
                    + " certificate fingerprint in the data directory (owner-only)."}, footer = {
                            "", "Examples:",
                            "  camaudit agent enrol https://127.0.0.1:8443 cae_... --fingerprint AB:CD:..."})
    static final class Enrol implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDirOption data;

        @Parameters(index = "0", paramLabel = "URL", description = "The server, https://HOST:PORT.")
        String server;

        @Parameters(index = "1", paramLabel = "TOKEN", description = "The site's one-time enrolment token.")
        String token;

        @Option(names = "--fingerprint", paramLabel = "SHA256", required = true, description = "The server certificate's SHA-256 fingerprint, as 'camaudit server start' printed it.")
        String fingerprint;

        @Option(names = "--name", paramLabel = "NAME", description = "How the server names this agent (default: this host's name).")
        String name;

        @Override
        public Integer call() throws IOException, InterruptedException {
            URI uri;
            String pin;
            try {
                uri = new URI(server.replaceAll("/+$", ""));
                pin = ServerCertificate.normaliseFingerprint(fingerprint);
                if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new URISyntaxException(server, "not https://HOST:PORT");
                }
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            String agentName = name != null ? name : hostName();
            AgentClient.Enrolment e;
            try {
                e = new AgentClient(uri, pin).enrol(token, agentName);
            } catch (ServerRefusedException ex) {
                throw new UsageException(ex.getMessage());
            }
            AgentState.save(data.resolve(), new AgentState.Enrolled(uri, pin, e.credential(), e
                    .site()));
            PrintWriter out = spec.commandLine().getOut();
            out.printf("enrolled as agent %d of site %s; credential kept in %s%n", e.agentId(), e
                    .site(), data.resolve().resolve(AgentState.CREDENTIAL));
            return ExitCode.OK;
        }

        private static String hostName() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "agent";
            }
        }
    }

    @Command(name = "push", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
            "Pushes the local log's finished scans (or one) to the server, in batches; a batch the"
                    + " server confirmed before is not sent again, so a push that was cut off"
                    + " resumes where it stopped."}, footer = {"", "Examples:",
                            "  camaudit agent push", "  camaudit agent push --scan 3"})
    static final class Push implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDirOption data;

        @Option(names = "--scan", paramLabel = "ID", description = "Only this scan of the local log.")
        Long scanId;

        @Override
        public Integer call() throws IOException, InterruptedException {
            AgentState.Enrolled e = enrolled(data);
            PrintWriter out = spec.commandLine().getOut();
            try (ObservationLog log = data.open()) {
                List<Scan> scans;
                if (scanId != null) {
                    scans = List.of(log.scan(scanId).orElseThrow(() -> new UsageException(
                            "no scan " + scanId + " in the local log")));
                } else {
                    scans = new ArrayList<>(log.scans());
                    scans.sort(Comparator.comparingLong(Scan::id));
                }
                ScanPusher pusher = new ScanPusher(log, new AgentClient(e.server(), e
                        .fingerprint()), e.credential(), AgentState.pushed(data.resolve()));
                long t0 = System.nanoTime();
                ScanPusher.Pushed p = pusher.push(scans);
                double seconds = (System.nanoTime() - t0) / 1e9;
                out.printf("pushed %d scan(s) to %s as site %s: %d batch(es) sent, %d confirmed"
                        + " before; %,d observations in %.2f s (%,.0f observations/s)%n", p.scans(),
                        e.server(), e.site(), p.batchesSent(), p.batchesSkipped(), p
                                .observationsSent(),
                        seconds, p.observationsSent() / Math.max(
                                seconds, 1e-9));
                if (p.scansStillRunning() > 0) {
                    out.printf("%d scan(s) still running, left for a later push%n", p
                            .scansStillRunning());
                }
                return ExitCode.OK;
            }
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
            "Continuous audit: fetches this site's schedule from the server (set by an admin with"
                    + " 'camaudit server schedule set'), runs 'camaudit scan' on its scope when"
                    + " it is due, pushes the result, and repeats until stopped. Every target of"
                    + " the schedule must lie inside the --within ranges this agent's operator"
                    + " allows: a schedule reaching outside them is refused and nothing is sent.",
            "",
            "The first scan runs at start; a change of schedule is seen at the next poll. When the"
                    + " server is away, the last schedule fetched keeps running and the scans"
                    + " wait in the local log for the next push."}, footer = {"", "Examples:",
                            "  camaudit agent run --within 10.20.0.0/16",
                            "  camaudit agent run --within 127.0.0.0/8 --once   (one scheduled scan now, then exit)"})
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDirOption data;

        @Option(names = "--within", paramLabel = "RANGE", split = ",", required = true, description = "The ranges this agent may scan (CIDRs, ranges, addresses): the"
                + " local operator's limit on any schedule the server sends.")
        List<String> within;

        @Option(names = "--once", description = "Run the schedule's scan once now, push it, and exit.")
        boolean once;

        @Option(names = "--poll", paramLabel = "SECONDS", defaultValue = "60", description = "How often to ask the server for a changed schedule while"
                + " waiting (default ${DEFAULT-VALUE}).")
        int pollSeconds;

        @Option(names = {"-q", "--quiet"}, description = "No scan progress output.")
        boolean quiet;

        @Override
        public Integer call() throws IOException, InterruptedException {
            AgentState.Enrolled e = enrolled(data);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (pollSeconds < 1) {
                throw new UsageException("--poll is at least 1 second");
            }
            List<IpRange> allowed = new ArrayList<>();
            for (String w : within) {
                try {
                    allowed.add(SiteSchedule.range(w));
                } catch (IllegalArgumentException ex) {
                    throw new UsageException("--within: " + ex.getMessage());
                }
            }
            AgentClient client = new AgentClient(e.server(), e.fingerprint());
            Optional<SiteSchedule> known = Optional.empty();
            Instant lastStart = null;
            while (true) {
                try {
                    Optional<SiteSchedule> fetched = client.schedule(e.credential(), e.site());
                    if (!fetched.equals(known)) {
                        out.println(fetched.map(s -> "schedule of site " + e.site() + ": every "
                                + s.every().toSeconds() + " s, targets " + s.targets()
                                + (s.excludes().isEmpty() ? "" : ", exclude " + s.excludes())
                                + " (set by " + s.updatedBy() + ")").orElse("site " + e.site()
                                        + " has no schedule; waiting for one"));
                        out.flush();
                    }
                    known = fetched;
                } catch (IOException ex) {
                    err.println("camaudit agent: the server is unreachable (" + ex.getMessage()
                            + ")"
                            + (known.isPresent() ? "; keeping the schedule fetched before" : ""));
                } catch (ServerRefusedException ex) {
                    if (ex.status() == 401 || ex.status() == 403) {
                        throw new UsageException(ex.getMessage());
                    }
                    err.println("camaudit agent: " + ex.getMessage());
                }
                if (known.isEmpty() && once) {
                    throw new UsageException("site " + e.site() + " has no schedule (an admin sets"
                            + " one: camaudit server schedule set " + e.site() + " ...)");
                }
                Instant now = Instant.now();
                if (known.isPresent() && (lastStart == null || !now.isBefore(lastStart.plus(known
                        .get().every())))) {
                    SiteSchedule s = known.get();
                    lastStart = now;
                    Optional<String> outside = outside(s, allowed);
                    if (outside.isPresent()) {
                        String why = "the schedule's target " + outside.get()
                                + " is outside --within " + within + ": refused, nothing sent";
                        if (once) {
                            throw new org.camaudit.probes.ScopeRefusedException(why);
                        }
                        err.println("camaudit agent: " + why);
                    } else {
                        int code = Main.run(scanArguments(s), out, err);
                        if (code == ExitCode.INTERRUPTED) {
                            return code;
                        }
                        push(e, client, out, err);
                        if (once) {
                            return code;
                        }
                    }
                }
                long waitMillis = Duration.ofSeconds(pollSeconds).toMillis();
                if (known.isPresent()) {
                    waitMillis = Math.min(waitMillis, Math.max(0, Duration.between(Instant.now(),
                            lastStart.plus(known.get().every())).toMillis()));
                }
                out.flush();
                Thread.sleep(waitMillis);
            }
        }

        private String[] scanArguments(SiteSchedule s) {
            List<String> args = new ArrayList<>();
            args.add("scan");
            args.addAll(s.targets());
            if (!s.excludes().isEmpty()) {
                args.add("--exclude");
                args.add(String.join(",", s.excludes()));
            }
            s.ports().ifPresent(p -> {
                args.add("--ports");
                args.add(p.stream().map(String::valueOf).collect(java.util.stream.Collectors
                        .joining(",")));
            });
            args.add("--authorized-by");
            args.add(s.authorizedBy() + " (schedule of site " + s.site() + ", set by " + s
                    .updatedBy() + " at " + s.updated() + ")");
            args.add("--data-dir");
            args.add(data.resolve().toString());
            if (quiet) {
                args.add("--quiet");
            }
            return args.toArray(String[]::new);
        }

        /** The first target of the schedule not inside the allowed ranges, if any. */
        static Optional<String> outside(SiteSchedule s, List<IpRange> allowed) {
            for (String t : s.targets()) {
                IpRange r = SiteSchedule.range(t);
                boolean inside = allowed.stream().anyMatch(a -> a.family() == r.family() && a
                        .first().compareTo(r.first()) <= 0 && a.last().compareTo(r.last()) >= 0);
                if (!inside) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }

        private void push(AgentState.Enrolled e, AgentClient client, PrintWriter out,
                PrintWriter err) throws InterruptedException {
            try (ObservationLog log = data.open()) {
                List<Scan> scans = new ArrayList<>(log.scans());
                scans.sort(Comparator.comparingLong(Scan::id));
                ScanPusher.Pushed p = new ScanPusher(log, client, e.credential(), AgentState
                        .pushed(data.resolve())).push(scans);
                out.printf("pushed to %s as site %s: %d batch(es) sent, %d confirmed before%n", e
                        .server(), e.site(), p.batchesSent(), p.batchesSkipped());
            } catch (IOException | ServerRefusedException ex) {
                err.println("camaudit agent: the push failed (" + ex.getMessage() + "); the scans"
                        + " wait in the local log for the next push");
            }
        }
    }

    static AgentState.Enrolled enrolled(DataDirOption data) {
        return AgentState.enrolled(data.resolve()).orElseThrow(() -> new UsageException(
                "this agent is not enrolled (no " + data.resolve().resolve(AgentState.CREDENTIAL)
                        + "): run camaudit agent enrol first"));
    }
}
