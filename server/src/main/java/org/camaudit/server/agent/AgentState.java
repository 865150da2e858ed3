package org.camaudit.server.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.camaudit.server.wire.BatchJson;

/**
 * What an enrolled agent keeps in its data directory: {@value #CREDENTIAL} (server address,
 * pinned certificate fingerprint, credential and site; owner-only) and {@value #PUSHED}, one line
 * per batch the server has confirmed ({@code scan seq sha256}), so a later push resumes where the
 * last one stopped and never sends a confirmed batch again.
 */
public final class AgentState {
    public static final String CREDENTIAL = "agent.json";
    public static final String PUSHED = "agent-pushed.tsv";

    /** The enrolment an agent holds. */
    public record Enrolled(URI server, String fingerprint, String credential, String site) {
    }

    private final Path dir;
    private final Map<String, String> pushed = new HashMap<>();

    private AgentState(Path dir) {
        this.dir = dir;
    }

    /** Saves the enrolment (replacing an earlier one) and forgets what was pushed before it. */
    public static void save(Path dataDir, Enrolled e) {
        try {
            Files.createDirectories(dataDir);
            byte[] json = BatchJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(
                    BatchJson.MAPPER.createObjectNode().put("server", e.server().toString()).put(
                            "fingerprint", e.fingerprint()).put("credential", e.credential()).put(
                                    "site", e.site()));
            Path tmp = dataDir.resolve(CREDENTIAL + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions
                    .fromString("rw-------")));
            Files.write(tmp, json);
            Files.move(tmp, dataDir.resolve(CREDENTIAL), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(dataDir.resolve(PUSHED));
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot keep the agent's credential in " + dataDir, ex);
        }
    }

    /** The enrolment kept in this data directory, if the agent was enrolled. */
    public static Optional<Enrolled> enrolled(Path dataDir) {
        try {
            JsonNode n = BatchJson.MAPPER.readTree(Files.readAllBytes(dataDir.resolve(
                    CREDENTIAL)));
            return Optional.of(new Enrolled(URI.create(n.path("server").asText()), n.path(
                    "fingerprint").asText(), n.path("credential").asText(), n.path("site")
                            .asText()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dataDir.resolve(CREDENTIAL), e);
        }
    }

    /** The record of confirmed batches. */
    public static AgentState pushed(Path dataDir) {
        AgentState s = new AgentState(dataDir);
        try {
            for (String line : Files.readAllLines(dataDir.resolve(PUSHED))) {
                String[] f = line.split("\t");
                if (f.length == 3) {
                    s.pushed.put(f[0] + "\t" + f[1], f[2]);
                }
            }
        } catch (NoSuchFileException e) {
            // nothing pushed yet
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dataDir.resolve(PUSHED), e);
        }
        return s;
    }

    /** The SHA-256 confirmed for this batch, if the server confirmed it. */
    Optional<String> confirmed(long scan, int seq) {
        return Optional.ofNullable(pushed.get(scan + "\t" + seq));
    }

    /** Records a confirmed batch (appended and forced to disk before the next one is sent). */
    void confirm(long scan, int seq, byte[] sha256) {
        String hex = HexFormat.of().formatHex(sha256);
        try {
            Files.writeString(dir.resolve(PUSHED), scan + "\t" + seq + "\t" + hex + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the pushed batch", e);
        }
        pushed.put(scan + "\t" + seq, hex);
    }
}
