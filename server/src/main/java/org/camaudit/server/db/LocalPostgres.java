package org.camaudit.server.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster in a temporary directory, for tests and benchmarks: Debian's
 * {@code initdb} and {@code pg_ctl} (the newest under {@code /usr/lib/postgresql/}) run as the
 * {@code postgres} user when the caller is root (PostgreSQL refuses to run as root), listening on
 * 127.0.0.1 only, on a free port, with its unix socket inside the directory. {@link #close()} stops
 * it and deletes the directory.
 */
public final class LocalPostgres implements AutoCloseable {
    /** The database and the (trusted, loopback-only) user the cluster is made with. */
    public static final String DATABASE = "camaudit";
    public static final String USER = "camaudit";

    private static final Path INSTALLS = Path.of("/usr/lib/postgresql");
    private static final long STEP_SECONDS = 120;

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final Path socket;
    private final Path log;
    private final boolean asPostgres;
    private int port;

    private LocalPostgres(Path bin, Path dir, boolean asPostgres) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.socket = dir.resolve("socket");
        this.log = dir.resolve("postgres.log");
        this.asPostgres = asPostgres;
    }

    /** The directory of the newest installed PostgreSQL's programs, if one is installed. */
    public static Optional<Path> installedBin() {
        if (!Files.isDirectory(INSTALLS)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(INSTALLS)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b
                            .resolve("pg_ctl")))
                    .max(Comparator.comparingInt(LocalPostgres::majorVersion));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Why no cluster can be made here, if it cannot (PostgreSQL missing). */
    public static Optional<String> unavailableReason() {
        return installedBin().isPresent()
                ? Optional.empty()
                : Optional.of(
                        "PostgreSQL is not installed (no " + INSTALLS
                                + "/*/bin/initdb); install Debian's postgresql package");
    }

    /** Makes and starts a new cluster with database {@value #DATABASE}. */
    public static LocalPostgres start() {
        Path bin = installedBin().orElseThrow(() -> new IllegalStateException(unavailableReason()
                .orElseThrow()));
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir;
        try {
            dir = Files.createTempDirectory("camaudit-pg");
            Files.createDirectory(dir.resolve("socket"));
            if (root) {
                UserPrincipalLookupService users = dir.getFileSystem()
                        .getUserPrincipalLookupService();
                UserPrincipal postgres = users.lookupPrincipalByName("postgres");
                Files.setOwner(dir, postgres);
                Files.setOwner(dir.resolve("socket"), postgres);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a directory for PostgreSQL", e);
        }
        LocalPostgres pg = new LocalPostgres(bin, dir, root);
        try {
            pg.run("initdb", "-D", pg.data.toString(), "-U", USER, "--auth=trust", "-E", "UTF8",
                    "--no-sync", "--no-instructions");
            pg.port = freeLoopbackPort();
            pg.startServer();
            try (Connection c = DriverManager.getConnection(pg.url("postgres"), USER, "");
                    Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + DATABASE);
            }
            return pg;
        } catch (SQLException | RuntimeException e) {
            pg.close();
            throw new IllegalStateException("cannot start a local PostgreSQL: " + e.getMessage(),
                    e);
        }
    }

    /** The JDBC URL of the database {@value #DATABASE}. */
    public String url() {
        return url(DATABASE);
    }

    public DatabaseSettings settings() {
        return new DatabaseSettings(url(), USER, "");
    }

    public int port() {
        return port;
    }

    /** Stops the server (fast, as a crash would) and starts it again on the same port. */
    public void restart() {
        stop();
        startAgain();
    }

    /** Stops the server as a crash would ({@code -m immediate}); {@link #startAgain()} undoes it. */
    public void stop() {
        run("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
    }

    /** Starts the stopped server again, on the same port with the same data. */
    public void startAgain() {
        startServer();
    }

    @Override
    public void close() {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                run("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
            }
        } finally {
            deleteTree(dir);
        }
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private void startServer() {
        run("pg_ctl", "-D", data.toString(), "-l", log.toString(), "-w", "-t", Long.toString(
                STEP_SECONDS), "-o",
                "-c listen_addresses=127.0.0.1 -p " + port + " -k " + socket
                        + " -c fsync=off -c full_page_writes=off",
                "start");
    }

    private void run(String program, String... args) {
        List<String> cmd = new ArrayList<>();
        if (asPostgres) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.add(bin.resolve(program).toString());
        cmd.addAll(List.of(args));
        Path out = dir.resolve(program + ".out");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(STEP_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(program + " did not finish in " + STEP_SECONDS
                        + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(program + " failed (exit " + p.exitValue()
                        + "): " + tail(out) + tail(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + program, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + program, e);
        }
    }

    private static String tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket(0, 1,
                InetAddress.getByAddress(new byte[]{127, 0, 0, 1}))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
