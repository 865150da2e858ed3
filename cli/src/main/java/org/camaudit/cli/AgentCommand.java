package org.camaudit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
                        AgentCommand.Enrol.class, AgentCommand.Push.class}, footer = {"",
                                "Examples:",
                                "  camaudit agent enrol https://server:8443 cae_... --fingerprint AB:CD:...",
                                "  camaudit agent push"})
final class AgentCommand implements Runnable {
    @Override
    public void run() {
        throw new UsageException("say what to do: enrol or push (see camaudit agent --help)");
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
            AgentState.Enrolled e = AgentState.enrolled(data.resolve()).orElseThrow(
                    () -> new UsageException("this agent is not enrolled (no " + data.resolve()
                            .resolve(AgentState.CREDENTIAL)
                            + "): run camaudit agent enrol first"));
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
}
