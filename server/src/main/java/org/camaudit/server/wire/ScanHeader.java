package org.camaudit.server.wire;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.camaudit.model.Scan;
import org.camaudit.model.ScanSummary;

/**
 * The scan a batch belongs to, as the agent's local log recorded it.
 *
 * @param agentScan the scan's id in the agent's own observation log
 */
public record ScanHeader(long agentScan, String kind, String authorizedBy, String scope,
        String status, Instant started, Optional<Instant> finished, ScanSummary summary) {

    public ScanHeader {
        if (agentScan < 1) {
            throw new IllegalArgumentException("a scan id is a positive number, got " + agentScan);
        }
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(authorizedBy, "authorizedBy");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(finished, "finished");
        Objects.requireNonNull(summary, "summary");
    }

    /** The header of a scan from the local log. */
    public static ScanHeader of(Scan scan) {
        return new ScanHeader(scan.id(), scan.kind(), scan.authorizedBy(), scan.scope(), scan
                .status(), scan.started(), scan.finished(), scan.summary());
    }
}
