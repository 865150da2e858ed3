package org.camaudit.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A capture of the loopback interface by tcpdump (Debian package; a 128 MiB kernel buffer so that
 * a busy machine drops nothing), for tests that record the
 * testbed's traffic: started with a BPF filter, ready once tcpdump says it listens, stopped with
 * SIGTERM so that it flushes the file.
 */
final class LoopbackCapture implements AutoCloseable {
    private final Process process;
    private final Path file;
    private final StringBuilder said = new StringBuilder();
    private Thread reader;

    private LoopbackCapture(Process process, Path file) {
        this.process = process;
        this.file = file;
    }

    /** Whether tcpdump is on the PATH. */
    static boolean available() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Path.of(dir, "tcpdump").toFile().canExecute()) {
                return true;
            }
        }
        return Path.of("/usr/bin/tcpdump").toFile().canExecute();
    }

    /** Starts capturing on {@code lo} into {@code file}; returns once tcpdump listens. */
    static LoopbackCapture start(Path file, String filter) throws IOException {
        Process p = new ProcessBuilder(
                List.of("tcpdump", "-i", "lo", "-U", "-n", "-s", "0", "-B", "131072", "-Z",
                        "root", "-w", file.toString(), filter))
                .redirectInput(ProcessBuilder.Redirect.from(
                        new java.io.File("/dev/null")))
                .redirectErrorStream(true).start();
        LoopbackCapture c = new LoopbackCapture(p, file);
        CompletableFuture<Boolean> listening = new CompletableFuture<>();
        c.reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    synchronized (c.said) {
                        c.said.append(line).append('\n');
                    }
                    if (line.contains("listening on")) {
                        listening.complete(true);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            listening.complete(false);
        });
        try {
            if (!listening.get(20, TimeUnit.SECONDS)) {
                throw new IOException("tcpdump did not start: " + c.said());
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                | InterruptedException e) {
            p.destroyForcibly();
            throw new IOException("tcpdump did not start listening: " + c.said(), e);
        }
        return c;
    }

    /** What tcpdump printed (its packet counts come when it stops). */
    String said() {
        synchronized (said) {
            return said.toString();
        }
    }

    /**
     * Stops the capture once tcpdump has caught up: packets still in the kernel's buffer when it
     * is told to stop are lost without being counted as dropped, so first wait until the file
     * (written packet by packet, {@code -U}) has not grown for a second (at most 30 s), then
     * SIGTERM: tcpdump writes what it holds and exits.
     */
    void stop() throws IOException {
        if (!process.isAlive()) {
            return;
        }
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long size = -1;
            int still = 0;
            while (still < 4 && System.nanoTime() < deadline) {
                Thread.sleep(250);
                long now = java.nio.file.Files.size(file);
                still = now == size ? still + 1 : 0;
                size = now;
            }
            // kill(1), not Process.destroy(): destroy also closes our end of tcpdump's output,
            // and its closing counts (packets dropped by the kernel) would be lost
            new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("tcpdump did not stop within 10 s");
            }
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
