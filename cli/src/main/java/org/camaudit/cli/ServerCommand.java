package org.camaudit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.camaudit.server.db.CentralStore;
import org.camaudit.server.db.Role;
import org.camaudit.server.db.Views.SiteEnrolment;
import org.camaudit.server.http.ApiServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code camaudit server}: the central server on PostgreSQL, and its sites and users. */
@Command(name = "server", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
        "The central server: site agents push their scans to it over HTTPS, people read sites,"
                + " devices and findings through its REST API (/api/v1). Everything is stored in"
                + " PostgreSQL."}, subcommands = {ServerCommand.Start.class,
                        ServerCommand.Site.class, ServerCommand.User.class,
                        ServerCommand.Agent.class, ServerScheduleCommand.class,
                        ServerAlertCommand.class}, footer = {"",
                                "Examples:",
                                "  camaudit server start --db jdbc:postgresql://127.0.0.1:5432/camaudit",
                                "  camaudit server site add hq --db jdbc:postgresql://127.0.0.1:5432/camaudit",
                                "  camaudit server user add alice --role viewer --db jdbc:postgresql://127.0.0.1:5432/camaudit",
                                "  camaudit server schedule set hq --every 1h --scope 10.20.0.0/22 --authorized-by \"J. Smith, CHG-1234\" --db ..."})
final class ServerCommand implements Runnable {
    @Override
    public void run() {
        throw new UsageException("say what to do: start, site add, user add or schedule (see"
                + " camaudit server --help)");
    }

    /** {@code server start}: serves the API until stopped. */
    @Command(name = "start", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
            "Serves the REST API over HTTPS on one address until stopped (Ctrl-C). Without"
                    + " --keystore it makes a self-signed certificate on first start, keeps it"
                    + " in the data directory and prints its SHA-256 fingerprint for the agents."}, footer = {
                            "", "Examples:",
                            "  camaudit server start --db jdbc:postgresql://127.0.0.1:5432/camaudit",
                            "  camaudit server start --db jdbc:postgresql://db:5432/camaudit --listen 192.0.2.10:8443 --keystore server.p12"})
    static final class Start implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions db;

        @Mixin
        DataDirOption data;

        @Option(names = "--listen", paramLabel = "ADDRESS:PORT", defaultValue = "127.0.0.1:8443", description = "The one address to serve on (default ${DEFAULT-VALUE}; port 0 picks a free one).")
        String listen;

        @Option(names = "--keystore", paramLabel = "FILE", description = "A PKCS12 keystore with the server's key and certificate.")
        Path keystore;

        @Option(names = "--keystore-password-file", paramLabel = "FILE", description = "A file holding the keystore's password (default: $CAMAUDIT_KEYSTORE_PASSWORD).")
        Path keystorePasswordFile;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            int colon = listen.lastIndexOf(':');
            if (colon < 1) {
                throw new UsageException("--listen is ADDRESS:PORT, got " + listen);
            }
            String host = listen.substring(0, colon).replace("[", "").replace("]", "");
            int port;
            try {
                port = Integer.parseInt(listen.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new UsageException("--listen is ADDRESS:PORT, got " + listen);
            }
            ApiServer.Settings settings = ApiServer.Settings.of(host, port, data.resolve().resolve(
                    "server"));
            if (keystore != null) {
                String password = keystorePasswordFile != null
                        ? java.nio.file.Files.readString(
                                keystorePasswordFile).strip()
                        : System.getenv().getOrDefault(
                                "CAMAUDIT_KEYSTORE_PASSWORD", "");
                settings = settings.withKeystore(keystore, password);
            }
            CountDownLatch closed = new CountDownLatch(1);
            try (CentralStore store = db.open(); ApiServer server = startServer(store, settings)) {
                if (server.certificate().created()) {
                    out.printf("made a self-signed certificate in %s%n", settings.dataDir());
                }
                out.printf("camaudit server: https://%s:%d%s (schema %d)%n", host.contains(":")
                        ? "[" + host + "]"
                        : host, server.port(), ApiServer.BASE,
                        store
                                .schemaVersion());
                out.printf("certificate SHA-256 fingerprint: %s%n", server.certificate()
                        .fingerprint());
                out.println("stop with Ctrl-C");
                out.flush();
                CountDownLatch stopped = new CountDownLatch(1);
                Thread hook = new Thread(() -> {
                    stopped.countDown();
                    try {
                        // SIGTERM: give the server up to ten seconds to finish its requests
                        closed.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "camaudit-server-stop");
                Runtime.getRuntime().addShutdownHook(hook);
                try {
                    stopped.await();
                } catch (InterruptedException e) {
                    // an interrupt is a stop request, handled here: the server closes normally
                    Runtime.getRuntime().removeShutdownHook(hook);
                }
                out.println("camaudit server: stopped");
                return ExitCode.OK;
            } finally {
                closed.countDown();
            }
        }

        private static ApiServer startServer(CentralStore store, ApiServer.Settings settings) {
            try {
                return ApiServer.start(store, settings);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
    }

    /** {@code server site add NAME}. */
    @Command(name = "site", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = "Manages sites.", subcommands = {
            SiteAdd.class, SiteEnrol.class})
    static final class Site implements Runnable {
        @Override
        public void run() {
            throw new UsageException("say what to do: camaudit server site add NAME");
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
            "Adds a site and prints its one-time enrolment token (valid 7 days) for the site's"
                    + " agent: camaudit agent enrol URL TOKEN --fingerprint SHA256."}, footer = {
                            "", "Examples:",
                            "  camaudit server site add hq --db jdbc:postgresql://127.0.0.1:5432/camaudit"})
    static final class SiteAdd implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions db;

        @Parameters(index = "0", paramLabel = "NAME", description = "The site's name: letters, digits, '.', '_', '-'.")
        String name;

        @Override
        public Integer call() {
            if (!name.matches(CentralStore.SITE_NAME)) {
                throw new UsageException(CentralStore.SITE_NAME_RULE + ": " + name);
            }
            try (CentralStore store = db.open()) {
                SiteEnrolment e;
                try {
                    e = store.addSite(name, actor(), "cli");
                } catch (IllegalArgumentException ex) {
                    throw new UsageException(ex.getMessage());
                }
                PrintWriter out = spec.commandLine().getOut();
                out.printf("site %s added; its one-time enrolment token (expires %s):%n", e.site()
                        .name(), e.expires());
                out.println(e.enrolmentToken());
                return ExitCode.OK;
            }
        }
    }

    /** {@code server user add NAME --role R}. */
    @Command(name = "user", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = "Manages users of the API.", subcommands = {
            UserAdd.class, UserRevoke.class})
    static final class User implements Runnable {
        @Override
        public void run() {
            throw new UsageException("say what to do: camaudit server user add NAME --role ROLE");
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
            "Adds a user of the API and prints the user's API token (shown once; the server keeps"
                    + " only its hash). Roles: viewer reads sites, scans, devices, findings,"
                    + " diffs and reports and checks BOMs; auditor likewise; admin also adds sites,"
                    + " revokes tokens and agents and reads the audit log."}, footer = {"",
                            "Examples:",
                            "  camaudit server user add alice --role viewer --db jdbc:postgresql://127.0.0.1:5432/camaudit"})
    static final class UserAdd implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions db;

        @Parameters(index = "0", paramLabel = "NAME", description = "The user's name.")
        String name;

        @Option(names = "--role", paramLabel = "ROLE", required = true, description = "viewer, auditor or admin.")
        String role;

        @Override
        public Integer call() {
            Role r;
            try {
                r = Role.of(role);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            if (name.isBlank() || name.length() > 64) {
                throw new UsageException("a user name is 1 to 64 characters");
            }
            try (CentralStore store = db.open()) {
                String token;
                try {
                    token = store.addUser(name, r, actor(), "cli");
                } catch (IllegalArgumentException ex) {
                    throw new UsageException(ex.getMessage());
                }
                PrintWriter out = spec.commandLine().getOut();
                out.printf("user %s added with role %s; API token (send as 'Authorization: Bearer"
                        + " TOKEN'):%n", name, r.label());
                out.println(token);
                return ExitCode.OK;
            }
        }
    }

    /** Runs one change on the central store; a name it does not know is a usage error. */
    private static <T> T change(DatabaseOptions db,
            java.util.function.Function<CentralStore, T> work) {
        try (CentralStore store = db.open()) {
            return work.apply(store);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The actor the audit log names for a change made on this command line. */
    private static String actor() {
        return "cli:" + System.getProperty("user.name");
    }

    @Command(name = "enrol", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
            "Prints a new one-time enrolment token (valid 7 days) for a site that exists, e.g."
                    + " after its agents were revoked."}, footer = {"", "Examples:",
                            "  camaudit server site enrol hq --db jdbc:postgresql://127.0.0.1:5432/camaudit"})
    static final class SiteEnrol implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions db;

        @Parameters(index = "0", paramLabel = "NAME", description = "The site's name.")
        String name;

        @Override
        public Integer call() {
            SiteEnrolment e = change(db, store -> store.newEnrolment(name, actor(), "cli"));
            PrintWriter out = spec.commandLine().getOut();
            out.printf("site %s: a new one-time enrolment token (expires %s):%n", name, e
                    .expires());
            out.println(e.enrolmentToken());
            return ExitCode.OK;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
            "Revokes every API token of a user: the server refuses them (401) from the next"
                    + " request on. Recorded in the audit log."}, footer = {"", "Examples:",
                            "  camaudit server user revoke alice --db jdbc:postgresql://127.0.0.1:5432/camaudit"})
    static final class UserRevoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions db;

        @Parameters(index = "0", paramLabel = "NAME", description = "The user's name.")
        String name;

        @Override
        public Integer call() {
            int n = change(db, store -> store.revokeUserTokens(name, actor(), "cli"));
            spec.commandLine().getOut().printf("user %s: %d token(s) revoked%n", name, n);
            return ExitCode.OK;
        }
    }

    /** {@code server agent revoke SITE}. */
    @Command(name = "agent", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = "Manages the agents of sites.", subcommands = {
            AgentRevoke.class})
    static final class Agent implements Runnable {
        @Override
        public void run() {
            throw new UsageException("say what to do: camaudit server agent revoke SITE");
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
            "Revokes the credentials of every agent of a site: the server refuses them (401) from"
                    + " the next request on. Recorded in the audit log. Enrol a new agent with"
                    + " 'camaudit server site enrol SITE'."}, footer = {"", "Examples:",
                            "  camaudit server agent revoke hq --db jdbc:postgresql://127.0.0.1:5432/camaudit"})
    static final class AgentRevoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions db;

        @Parameters(index = "0", paramLabel = "SITE", description = "The site's name.")
        String site;

        @Override
        public Integer call() {
            int n = change(db, store -> store.revokeAgents(site, actor(), "cli"));
            spec.commandLine().getOut().printf("site %s: %d agent(s) revoked%n", site, n);
            return ExitCode.OK;
        }
    }
}
