package org.camaudit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.camaudit.server.alerts.AlertChannel;
import org.camaudit.server.alerts.Alerts;
import org.camaudit.server.db.CentralStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code camaudit server alert}: where the server sends alerts. */
@Command(name = "alert", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
        "Manages the alert channels. After each stored scan the server alerts on a newly seen"
                + " covered device, a new critical finding and a device that started calling a"
                + " vendor cloud (a site's first scan is its baseline), once per fact, to every"
                + " channel, retrying a failed delivery with backoff."}, subcommands = {
                        ServerAlertCommand.Add.class, ServerAlertCommand.List.class,
                        ServerAlertCommand.Remove.class})
final class ServerAlertCommand implements Runnable {
    @Override
    public void run() {
        throw new UsageException("say what to do: add, list or remove (see camaudit server alert"
                + " --help)");
    }

    @Command(name = "add", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
            "Adds a channel: 'webhook URL --secret-file F' (each JSON body is signed:"
                    + " X-Camaudit-Signature: sha256=<HMAC-SHA256 of the body>, with sent_at in the"
                    + " body and X-Camaudit-Timestamp against replay) or 'syslog udp://HOST:PORT'"
                    + " / 'syslog tcp://HOST:PORT' (CEF in RFC 5424; TCP frames are"
                    + " octet-counted)."}, footer = {"", "Examples:",
                            "  camaudit server alert add webhook https://soc.example/hooks/camaudit --secret-file hook.secret --db ...",
                            "  camaudit server alert add syslog udp://127.0.0.1:5514 --db ..."})
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions db;

        @Parameters(index = "0", paramLabel = "KIND", description = "webhook or syslog.")
        String kind;

        @Parameters(index = "1", paramLabel = "TARGET", description = "The webhook's URL, or udp://HOST:PORT or tcp://HOST:PORT.")
        String target;

        @Option(names = "--secret-file", paramLabel = "FILE", description = "A file holding the webhook's signing secret (16 characters or more).")
        Path secretFile;

        @Override
        public Integer call() {
            Optional<String> secret = Optional.empty();
            if (secretFile != null) {
                try {
                    secret = Optional.of(Files.readString(secretFile).strip());
                } catch (IOException e) {
                    throw new UsageException("cannot read --secret-file " + secretFile + ": " + e
                            .getMessage());
                }
            }
            AlertChannel c;
            try {
                c = new AlertChannel(0, AlertChannel.Kind.of(kind), AlertChannel.target(target),
                        secret);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            try (CentralStore store = db.open()) {
                AlertChannel added = new Alerts(store, Alerts.Settings.DEFAULT).addChannel(c,
                        "cli:" + System.getProperty("user.name"), "cli");
                spec.commandLine().getOut().printf("alert channel %d added: %s %s%n", added.id(),
                        added.kind().label(), added.target());
                return ExitCode.OK;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = "Lists the channels (secrets are not shown).")
    static final class List implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions db;

        @Override
        public Integer call() {
            try (CentralStore store = db.open()) {
                PrintWriter out = spec.commandLine().getOut();
                for (AlertChannel c : new Alerts(store, Alerts.Settings.DEFAULT).channels()) {
                    out.printf("%d  %s  %s%n", c.id(), c.kind().label(), c.target());
                }
                return ExitCode.OK;
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = "Stops sending to a channel.")
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions db;

        @Parameters(index = "0", paramLabel = "ID", description = "The channel's id (see list).")
        long id;

        @Override
        public Integer call() {
            try (CentralStore store = db.open()) {
                if (!new Alerts(store, Alerts.Settings.DEFAULT).removeChannel(id, "cli:" + System
                        .getProperty("user.name"), "cli")) {
                    throw new UsageException("no alert channel " + id);
                }
                spec.commandLine().getOut().printf("alert channel %d removed%n", id);
                return ExitCode.OK;
            }
        }
    }
}
