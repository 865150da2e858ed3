package org.camaudit.server.wire;

import java.util.List;
import java.util.Objects;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.model.Observation;

/**
 * One batch of a scan. Its idempotency key is (site, scan, {@code seq}): the server stores a
 * batch once however often it is sent. Observation batches come first, in the local log's order;
 * the last batch ({@code last}) carries the scan's identifications and findings and closes the
 * scan on the server.
 *
 * <p>
 * Identifications and findings are derived data: {@code identify} or {@code findings} run again
 * on the scan changes them, while its observations stay as they were. So the last batch has a
 * {@code revision}: 0 when first sent, and one more each time the agent sends changed derived
 * data for a scan the server has closed. The server keeps the newest revision and replaces the
 * older one's identifications and findings; a batch of an older or the same revision with other
 * content is refused. A revision above 0 carries no observations (those are append-only).
 */
public record Batch(ScanHeader scan, int seq, List<Observation> observations, boolean last,
        List<Identification> identifications, List<Finding> findings, int revision) {

    /** The most observations one batch may carry. */
    public static final int MAX_OBSERVATIONS = 5_000;

    public Batch {
        Objects.requireNonNull(scan, "scan");
        if (seq < 0) {
            throw new IllegalArgumentException("a batch sequence number is 0 or more, got " + seq);
        }
        observations = List.copyOf(observations);
        identifications = List.copyOf(identifications);
        findings = List.copyOf(findings);
        if (observations.size() > MAX_OBSERVATIONS) {
            throw new IllegalArgumentException("a batch holds at most " + MAX_OBSERVATIONS
                    + " observations, got " + observations.size());
        }
        if (!last && (!identifications.isEmpty() || !findings.isEmpty())) {
            throw new IllegalArgumentException(
                    "identifications and findings travel in the last batch only");
        }
        if (revision < 0) {
            throw new IllegalArgumentException("a revision is 0 or more, got " + revision);
        }
        if (revision > 0 && (!last || !observations.isEmpty())) {
            throw new IllegalArgumentException("only a last batch without observations has a"
                    + " revision above 0 (observations are stored once)");
        }
    }

    /** A batch of revision 0 (every batch when first sent). */
    public Batch(ScanHeader scan, int seq, List<Observation> observations, boolean last,
            List<Identification> identifications, List<Finding> findings) {
        this(scan, seq, observations, last, identifications, findings, 0);
    }

    /** The same last batch as another revision. */
    public Batch withRevision(int newRevision) {
        return new Batch(scan, seq, observations, last, identifications, findings, newRevision);
    }
}
