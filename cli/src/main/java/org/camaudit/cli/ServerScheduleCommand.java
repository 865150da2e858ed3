package org.camaudit.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.camaudit.server.alerts.ScheduleJson;
import org.camaudit.server.alerts.Schedules;
import org.camaudit.server.alerts.SiteSchedule;
import org.camaudit.server.db.CentralStore;
import org.camaudit.server.db.Views.SiteInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code camaudit server schedule}: what each site's agent scans, and how often. */
@Command(name = "schedule", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
        "Sets, shows or removes a site's schedule. The site's agent ('camaudit agent run')"
                + " fetches it and scans its scope when due, within the ranges the agent's own"
                + " operator allows."}, subcommands = {ServerScheduleCommand.Set.class,
                        ServerScheduleCommand.Show.class, ServerScheduleCommand.Remove.class})
final class ServerScheduleCommand implements Runnable {
    @Override
    public void run() {
        throw new UsageException("say what to do: set, show or remove (see camaudit server"
                + " schedule --help)");
    }

    static SiteInfo site(CentralStore store, String name) {
        return store.site(name).orElseThrow(() -> new UsageException("no site named " + name
                + " (camaudit server site add " + name + ")"));
    }

    @Command(name = "set", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
            "Sets (or replaces) a site's schedule: its agent scans --scope every --every."}, footer = {
                    "", "Examples:",
                    "  camaudit server schedule set hq --every 1h --scope 10.20.0.0/22 --exclude 10.20.1.1 --authorized-by \"J. Smith, standing change CHG-1234\" --db jdbc:postgresql://127.0.0.1:5432/camaudit"
            })
    static final class Set implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions db;

        @Parameters(index = "0", paramLabel = "SITE", description = "The site.")
        String site;

        @Option(names = "--every", paramLabel = "INTERVAL", required = true, description = "How often: 90s, 15m, 1h, 7d (1 s to 31 days).")
        String every;

        @Option(names = "--scope", paramLabel = "RANGE", split = ",", required = true, description = "What to scan: CIDRs, ranges or addresses (no host names).")
        List<String> scope = new ArrayList<>();

        @Option(names = "--exclude", paramLabel = "RANGE", split = ",", description = "Never scan these.")
        List<String> exclude = new ArrayList<>();

        @Option(names = "--ports", paramLabel = "LIST", description = "TCP ports to sweep, e.g. 80,443,8000-8010 (default: the camera profile).")
        String ports;

        @Option(names = "--authorized-by", paramLabel = "WHO, WHEN", required = true, description = "Who authorised this standing audit, and when; each scan records it.")
        String authorizedBy;

        @Override
        public Integer call() {
            SiteSchedule s;
            try {
                Duration d = SiteSchedule.parseInterval(every);
                s = new SiteSchedule(site, d, scope, exclude, Optional.ofNullable(ports).map(
                        PortList::parse), authorizedBy, Instant.now(),
                        "cli:" + System
                                .getProperty("user.name"));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            try (CentralStore store = db.open()) {
                SiteInfo info = site(store, site);
                new Schedules(store).put(info.id(), s, "cli");
                PrintWriter out = spec.commandLine().getOut();
                out.printf("schedule of site %s: every %d s, scope %s%s%n", site, s.every()
                        .toSeconds(), s.targets(),
                        s.excludes().isEmpty()
                                ? ""
                                : ", exclude " + s.excludes());
                return ExitCode.OK;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = "Prints a site's schedule as JSON.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions db;

        @Parameters(index = "0", paramLabel = "SITE", description = "The site.")
        String site;

        @Override
        public Integer call() {
            try (CentralStore store = db.open()) {
                SiteInfo info = site(store, site);
                SiteSchedule s = new Schedules(store).get(info.id(), info.name()).orElseThrow(
                        () -> new UsageException("site " + site + " has no schedule"));
                spec.commandLine().getOut().println(ScheduleJson.write(s).toPrettyString());
                return ExitCode.OK;
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = "Removes a site's schedule; its agent stops scanning at its next poll.")
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions db;

        @Parameters(index = "0", paramLabel = "SITE", description = "The site.")
        String site;

        @Override
        public Integer call() {
            try (CentralStore store = db.open()) {
                SiteInfo info = site(store, site);
                if (!new Schedules(store).remove(info.id(), "cli:" + System.getProperty(
                        "user.name"), "cli")) {
                    throw new UsageException("site " + site + " has no schedule");
                }
                spec.commandLine().getOut().printf("schedule of site %s removed%n", site);
                return ExitCode.OK;
            }
        }
    }
}
