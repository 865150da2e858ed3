package org.camaudit.server.db;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.model.Scan;
import org.camaudit.model.ScanSummary;

/** The values the central store answers with. */
public final class Views {
    private Views() {
    }

    /** A site and how much the store holds about it. */
    public record SiteInfo(long id, String name, Instant created, long agents, long scans,
            long devices, Optional<Instant> lastScan) {
    }

    /** A new site's one-time enrolment token (shown once, stored only hashed). */
    public record SiteEnrolment(SiteInfo site, String enrolmentToken, Instant expires) {
    }

    /** What an agent receives for its enrolment token: its own credential, shown once. */
    public record EnrolledAgent(long agentId, long siteId, String site, String credential) {
    }

    /**
     * A scan as the server holds it.
     *
     * @param agentScan the scan's id in the agent's local log
     * @param complete true once its last batch was stored
     */
    public record ScanInfo(long id, long agentId, long agentScan, String kind,
            String authorizedBy, String status, Instant started, Optional<Instant> finished,
            ScanSummary summary, boolean complete, long storedObservations) {
    }

    /** A site's device: its latest identification and that scan's findings about it. */
    public record DeviceView(String key, String address, Optional<String> mac,
            Instant firstSeen, Instant lastSeen, long scanId, Identification identification,
            List<Finding> findings) {
    }

    /** A finding with the site and scan it belongs to. */
    public record SiteFinding(String site, long scanId, Finding finding) {
    }

    /** One line of the audit log. */
    public record AuditEntry(long id, Instant at, String actor, String action,
            Optional<String> site, String source, String detail) {
    }

    /**
     * Which findings to list; empty means any.
     *
     * @param maker the platform maker or brand of the device's identification, any case
     * @param policy the policy a finding cites ({@code ndaa889}: its {@code policy} detail) or
     *     the finding's id, any case
     */
    public record FindingFilter(Optional<String> site, Optional<Finding.Severity> severity,
            Optional<Finding.Kind> kind, Optional<String> maker, Optional<String> policy) {
        public static final FindingFilter ANY = new FindingFilter(Optional.empty(), Optional
                .empty(), Optional.empty(), Optional.empty(), Optional.empty());

        /** Any policy. */
        public FindingFilter(Optional<String> site, Optional<Finding.Severity> severity,
                Optional<Finding.Kind> kind, Optional<String> maker) {
            this(site, severity, kind, maker, Optional.empty());
        }
    }

    /**
     * A scan with its site and what the store holds of it.
     *
     * @param scope the scope as the agent recorded it (JSON)
     */
    public record SiteScan(String site, long siteId, String scope, ScanInfo scan,
            long identifications, long findings) {
        /** The scan as the model (and so the report module) knows it, by the server's id. */
        public Scan asScan() {
            return new Scan(scan.id(), scan.started(), scan.finished(), scan.kind(), scan
                    .authorizedBy(), scope, scan.status(), scan.summary());
        }
    }

    /** What became of a pushed batch. */
    public enum Ingest {
        /** Stored now. */
        STORED,
        /** Its key was stored before with the same content: nothing changed. */
        DUPLICATE,
        /**
         * A newer revision of a closed scan's last batch: the scan's identifications and findings
         * were replaced by the batch's (its observations are unchanged).
         */
        REVISED
    }
}
