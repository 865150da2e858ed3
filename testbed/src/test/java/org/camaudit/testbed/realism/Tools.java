package org.camaudit.testbed.realism;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Finding a client program on PATH and running it with a time limit. */
final class Tools {
    private Tools() {
    }

    /** The executable named {@code name} on PATH, if any. */
    static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** What a finished (or killed) run printed, and how it ended. */
    record Run(int exitCode, boolean timedOut, String stdout, String stderr) {
    }

    /** Runs {@code command} in {@code dir}, killing it after {@code limit}. */
    static Run run(List<String> command, Path dir, Duration limit) throws IOException,
            InterruptedException {
        Path out = Files.createTempFile("camaudit-realism", ".out");
        Path err = Files.createTempFile("camaudit-realism", ".err");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            boolean done = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            return new Run(done ? p.exitValue() : -1, !done, Files.readString(out,
                    StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
