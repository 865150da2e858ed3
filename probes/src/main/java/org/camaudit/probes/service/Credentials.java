package org.camaudit.probes.service;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Default credentials the operator supplies for AUTH-ATTEMPT checks, one {@code user:password}
 * a line ({@code #} comments). camaudit ships none.
 */
public record Credentials(List<Pair> pairs, int maxPerDevice, long minIntervalMillis) {
    /** One user name and password. The password is never stored in an observation. */
    public record Pair(String user, String password) {
        @Override
        public String toString() {
            return user + ":***";
        }
    }

    public Credentials {
        pairs = List.copyOf(pairs);
        if (maxPerDevice < 1) {
            throw new IllegalArgumentException("at least one attempt per device");
        }
        if (minIntervalMillis < 1000) {
            throw new IllegalArgumentException("at most one attempt per second per device");
        }
    }

    /** Reads a credentials file; at most {@code maxPerDevice} attempts, one per second. */
    public static Credentials read(Path file, int maxPerDevice) throws IOException {
        List<Pair> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException(file + ":" + n
                            + ": expected user:password");
                }
                out.add(new Pair(line.substring(0, colon), line.substring(colon + 1)));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + ": no credentials");
        }
        return new Credentials(out, maxPerDevice, 1000);
    }
}
