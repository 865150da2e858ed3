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
 */
public record Batch(ScanHeader scan, int seq, List<Observation> observations, boolean last,
        List<Identification> identifications, List<Finding> findings) {

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
    }
}
