package org.camaudit.server.dashboard;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.rules.bom.BomCheck;
import org.camaudit.server.db.Role;

/** The values the dashboard's pages are drawn from (public: the compiled templates read them). */
public final class Views {
    private Views() {
    }

    /** The logged-in user of a request, with the session's CSRF token for its forms. */
    public record Viewer(long userId, String name, Role role, String csrf) {
        /** True when the user may change the state of findings (auditor, admin). */
        public boolean mayReview() {
            return role.includes(Role.AUDITOR);
        }
    }

    /** A label and how many; for tables and bar charts. */
    public record Count(String label, long n) {
    }

    /** One scan's findings by severity (critical first), for the trend chart. */
    public record ScanTrend(long scanId, String site, Instant started, List<Long> bySeverity) {
        public long total() {
            return bySeverity.stream().mapToLong(Long::longValue).sum();
        }
    }

    /** A site's line on the overview. */
    public record SiteCount(String site, long devices, long openFindings, long openCritical) {
    }

    /** The overview's numbers. */
    public record Overview(long devices, long identified, long sites, List<SiteCount> bySite,
            List<Count> byMaker, List<Count> byPolicy, List<Count> openBySeverity,
            List<ScanTrend> trend) {
    }

    /** A site's state: its latest scan, open critical findings and devices to replace. */
    public record SiteState(String name, long agents, long devices, Optional<Long> lastScan,
            Optional<Instant> lastStarted, String lastStatus, long lastScanDevices,
            long openCritical, long toReplace) {
    }

    /** One device in the list. */
    public record DeviceRow(String site, String key, String address, Optional<String> mac,
            Optional<String> brand, Optional<String> platform, Optional<String> model,
            Optional<String> type, long findings, long openFindings, Optional<String> worst,
            Instant lastSeen) {
    }

    /** A page of the device list. */
    public record DeviceList(List<DeviceRow> rows, long total, DeviceFilter filter) {
        public int pages() {
            return (int) Math.max(1, (total + filter.pageSize() - 1) / filter.pageSize());
        }
    }

    /** What the filters of the device list can be set to, from the stored devices. */
    public record FilterChoices(List<String> sites, List<String> makers, List<String> brands,
            List<String> types, List<String> policies, List<String> findings) {
    }

    /** A person's decision about a finding of a device. */
    public record Review(ReviewState state, Optional<LocalDate> until, Optional<String> reason,
            String actor, Instant at) {
        /** True when the finding still needs acting on (an expired risk acceptance does). */
        public boolean open(LocalDate today) {
            return state == ReviewState.ACKNOWLEDGED || state == ReviewState.RISK_ACCEPTED && until
                    .map(u -> u.isBefore(today)).orElse(true);
        }
    }

    /** One scan in a device's history. */
    public record HistoryLine(long scanId, Instant started, String kind, Optional<String> brand,
            Optional<String> platform, Optional<String> model, Optional<String> firmware,
            long findings, Optional<String> worst) {
    }

    /** One change of a finding's state, from the audit log. */
    public record ReviewChange(Instant at, String actor, String finding, String state,
            String note) {
    }

    /** Everything a device's page shows. */
    public record DeviceDetail(String site, String key, String address, Optional<String> mac,
            Instant firstSeen, Instant lastSeen, long lastScan, Identification identification,
            List<Finding> findings, Map<String, Review> reviews, List<Integer> tcpPorts,
            List<String> protocols, List<HistoryLine> history, List<ReviewChange> changes) {
    }

    /** A checked bill of materials: each line's verdict under the policies in force that day. */
    public record BomResult(String name, List<String> policies, LocalDate asOf,
            List<BomCheck.Verdict> verdicts) {
        public long banned() {
            return verdicts.stream().filter(BomCheck.Verdict::banned).count();
        }
    }
}
