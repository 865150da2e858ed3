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
 * per batch the server has confirmed ({@code scan seq sha256 [revision]}), so a later push resumes
 * where the last one stopped and never sends a confirmed batch again.
 *
 * <p>
 * A scan's last batch gets a line {@code scan seq sha256 revision sending} before it is sent: its
 * content can change (identify or findings run again), and a changed last batch must go under a
 * revision never used for other content, even when the server stored a send whose answer was
 * lost. A line without a revision is of revision 0 (as written before revisions).
 */
public final class AgentState {
    public static final String CREDENTIAL = "agent.json";
    public static final String PUSHED = "agent-pushed.tsv";

    /** The enrolment an agent holds. */
    public record Enrolled(URI server, String fingerprint, String credential, String site) {
    }

    /** A batch body by its SHA-256 (hex) and the revision it was written with. */
    record Sent(String sha256, int revision) {
    }

    private static final String SENDING = "sending";

    private final Path dir;
    private final Map<String, Sent> confirmed = new HashMap<>();
    private final Map<String, Sent> sending = new HashMap<>();

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
                if (f.length < 3 || f.length > 5 || !f[2].matches("[0-9a-f]{64}")) {
                    continue; // a line cut short by a crash while it was written
                }
                int revision = f.length >= 4 && f[3].matches("[0-9]{1,9}")
                        ? Integer.parseInt(f[3])
                        : 0;
                Sent sent = new Sent(f[2], revision);
                if (f.length == 5 && f[4].equals(SENDING)) {
                    s.sending.put(f[0] + "\t" + f[1], sent);
                } else if (f.length <= 4) {
                    s.confirmed.put(f[0] + "\t" + f[1], sent);
                }
            }
        } catch (NoSuchFileException e) {
            // nothing pushed yet
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dataDir.resolve(PUSHED), e);
        }
        return s;
    }

    /** What the server confirmed for this batch, if it confirmed it. */
    synchronized Optional<Sent> confirmed(long scan, int seq) {
        return Optional.ofNullable(confirmed.get(scan + "\t" + seq));
    }

    /** The last batch body recorded as about to be sent, if one was. */
    synchronized Optional<Sent> sending(long scan, int seq) {
        return Optional.ofNullable(sending.get(scan + "\t" + seq));
    }

    /** The highest revision this batch was ever written with, if any. */
    synchronized Optional<Integer> highestRevision(long scan, int seq) {
        return confirmed(scan, seq).or(() -> sending(scan, seq)).map(c -> Math.max(c.revision(),
                sending(scan, seq).map(Sent::revision).orElse(c.revision())));
    }

    /** Records that this body is about to be sent (forced to disk before it goes). */
    synchronized void sending(long scan, int seq, byte[] sha256, int revision) {
        String hex = HexFormat.of().formatHex(sha256);
        append(scan + "\t" + seq + "\t" + hex + "\t" + revision + "\t" + SENDING + "\n");
        sending.put(scan + "\t" + seq, new Sent(hex, revision));
    }

    /** Records a confirmed batch (appended and forced to disk before the next one is sent). */
    synchronized void confirm(long scan, int seq, byte[] sha256, int revision) {
        String hex = HexFormat.of().formatHex(sha256);
        append(scan + "\t" + seq + "\t" + hex + (revision > 0 ? "\t" + revision : "") + "\n");
        confirmed.put(scan + "\t" + seq, new Sent(hex, revision));
    }

    private void append(String line) {
        try {
            Files.writeString(dir.resolve(PUSHED), line, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the pushed batch", e);
        }
    }
}
