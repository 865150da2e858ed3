package org.camaudit.server.dashboard;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.server.db.CentralStore;
import org.camaudit.server.db.StoreUnavailableException;
import org.camaudit.server.dashboard.Views.Count;
import org.camaudit.server.dashboard.Views.DeviceDetail;
import org.camaudit.server.dashboard.Views.DeviceList;
import org.camaudit.server.dashboard.Views.DeviceRow;
import org.camaudit.server.dashboard.Views.FilterChoices;
import org.camaudit.server.dashboard.Views.HistoryLine;
import org.camaudit.server.dashboard.Views.Overview;
import org.camaudit.server.dashboard.Views.Review;
import org.camaudit.server.dashboard.Views.ReviewChange;
import org.camaudit.server.dashboard.Views.ScanTrend;
import org.camaudit.server.dashboard.Views.SiteCount;
import org.camaudit.server.dashboard.Views.SiteState;

/**
 * The dashboard's reads and its one write (a finding's review), on the central store's pool.
 * "Current" means each device's latest scan. A finding is open unless its review says replaced
 * or a risk accepted until a date not yet past.
 */
public final class DashboardQueries {
    /** Severities, worst first; {@code array_position} of a severity in it is its rank. */
    static final String SEVERITY_ORDER = "ARRAY['critical', 'high', 'medium', 'low', 'info']";
    /** The current findings ({@code f}) with their devices ({@code d}) and reviews ({@code r}). */
    private static final String CURRENT = " finding f JOIN device d ON d.site_id = f.site_id AND"
            + " d.device_key = f.device_key AND d.last_scan_id = f.scan_id LEFT JOIN finding_review"
            + " r ON r.site_id = f.site_id AND r.device_key = f.device_key AND r.finding_id ="
            + " f.finding_id ";
    private static final String OPEN = "(r.state IS NULL OR r.state = 'acknowledged' OR (r.state"
            + " = 'risk-accepted' AND r.until < current_date))";
    private static final int TREND_SCANS = 24;

    private final DataSource pool;

    public DashboardQueries(DataSource pool) {
        this.pool = pool;
    }

    // --- overview and sites ----------------------------------------------------------------

    public Overview overview() {
        return read(conn -> {
            long[] totals = one(conn, "SELECT count(*), count(*) FILTER (WHERE i.platform IS NOT"
                    + " NULL OR i.brand IS NOT NULL), (SELECT count(*) FROM site) FROM device d"
                    + " LEFT JOIN identification i ON i.site_id = d.site_id AND i.scan_id ="
                    + " d.last_scan_id AND i.device_key = d.device_key", ps -> {
                    }, rs -> new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3)});
            List<SiteCount> bySite = list(conn, "SELECT s.name, (SELECT count(*) FROM device x"
                    + " WHERE x.site_id = s.id), count(c.finding_id) FILTER (WHERE c.open),"
                    + " count(c.finding_id) FILTER (WHERE c.open AND c.severity = 'critical') FROM"
                    + " site s LEFT JOIN (SELECT f.site_id, f.finding_id, f.severity, " + OPEN
                    + " AS open FROM" + CURRENT + ") c ON c.site_id = s.id GROUP BY s.id, s.name"
                    + " ORDER BY s.name", ps -> {
                    }, rs -> new SiteCount(rs.getString(1), rs.getLong(2), rs.getLong(3), rs
                            .getLong(4)));
            List<Count> byMaker = list(conn, "SELECT coalesce(i.platform, 'unknown'), count(*)"
                    + " FROM device d LEFT JOIN identification i ON i.site_id = d.site_id AND"
                    + " i.scan_id = d.last_scan_id AND i.device_key = d.device_key GROUP BY 1 ORDER"
                    + " BY coalesce(i.platform, 'unknown') = 'unknown', 2 DESC, 1 LIMIT 12", ps -> {
                    }, DashboardQueries::count);
            List<Count> byPolicy = list(conn, "SELECT f.finding_id, count(DISTINCT (f.site_id,"
                    + " f.device_key)) FROM" + CURRENT + "WHERE f.kind = 'policy' AND " + OPEN
                    + " GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 12", ps -> {
                    }, DashboardQueries::count);
            Map<String, Long> sev = new LinkedHashMap<>();
            for (Finding.Severity s : Finding.Severity.values()) {
                sev.put(s.label(), 0L);
            }
            list(conn, "SELECT f.severity, count(*) FROM" + CURRENT + "WHERE " + OPEN
                    + " GROUP BY 1", ps -> {
                    }, DashboardQueries::count).forEach(c -> sev.put(c.label(), c.n()));
            List<Count> bySeverity = sev.entrySet().stream().map(e -> new Count(e.getKey(), e
                    .getValue())).toList();
            return new Overview(totals[0], totals[1], totals[2], bySite, byMaker, byPolicy,
                    bySeverity, trend(conn));
        });
    }

    private static List<ScanTrend> trend(Connection conn) throws SQLException {
        Map<Long, ScanTrend> scans = new LinkedHashMap<>();
        Map<Long, long[]> counts = new LinkedHashMap<>();
        for (Object[] row : list(conn,
                "SELECT c.id, s.name, c.started, f.severity, count(f.finding_id)"
                        + " FROM (SELECT * FROM scan WHERE complete ORDER BY started DESC, id DESC LIMIT "
                        + TREND_SCANS + ") c JOIN site s ON s.id = c.site_id LEFT JOIN finding f ON"
                        + " f.site_id = c.site_id AND f.scan_id = c.id GROUP BY c.id, s.name, c.started,"
                        + " f.severity ORDER BY c.started, c.id",
                ps -> {
                }, rs -> new Object[]{rs.getLong(1), rs.getString(2), rs.getTimestamp(3)
                        .toInstant(), rs.getString(4), rs.getLong(5)})) {
            long id = (Long) row[0];
            long[] c = counts.computeIfAbsent(id, k -> new long[Finding.Severity.values().length]);
            scans.putIfAbsent(id, new ScanTrend(id, (String) row[1], (java.time.Instant) row[2],
                    List.of()));
            if (row[3] != null) {
                c[Finding.Severity.valueOf(((String) row[3]).toUpperCase(java.util.Locale.ROOT))
                        .ordinal()] += (Long) row[4];
            }
        }
        List<ScanTrend> out = new ArrayList<>();
        scans.forEach((id, t) -> out.add(new ScanTrend(id, t.site(), t.started(), java.util.Arrays
                .stream(counts.get(id)).boxed().toList())));
        return out;
    }

    public List<SiteState> sites() {
        return read(conn -> list(conn, "SELECT s.name, (SELECT count(*) FROM agent a WHERE"
                + " a.site_id = s.id), (SELECT count(*) FROM device x WHERE x.site_id = s.id),"
                + " l.id, l.started, l.status, (SELECT count(*) FROM identification i WHERE"
                + " i.site_id = s.id AND i.scan_id = l.id), (SELECT count(*) FROM" + CURRENT
                + "WHERE f.site_id = s.id AND f.severity = 'critical' AND " + OPEN + "),"
                + " (SELECT count(DISTINCT f.device_key) FROM" + CURRENT + "WHERE f.site_id = s.id"
                + " AND f.remediation = 'replace' AND " + OPEN + ") FROM site s LEFT JOIN LATERAL"
                + " (SELECT c.id, c.started, c.status FROM scan c WHERE c.site_id = s.id ORDER BY"
                + " c.started DESC, c.id DESC LIMIT 1) l ON true ORDER BY s.name", ps -> {
                }, rs -> new SiteState(rs.getString(1), rs.getLong(2), rs.getLong(3), Optional
                        .ofNullable((Long) rs.getObject(4)),
                        Optional.ofNullable(rs.getTimestamp(
                                5)).map(java.sql.Timestamp::toInstant),
                        Optional.ofNullable(rs
                                .getString(6)).orElse("no scan yet"),
                        rs.getLong(7), rs.getLong(8), rs
                                .getLong(9))));
    }

    // --- devices --------------------------------------------------------------------------

    /** The devices of a filter's page, and how many match in all. */
    public DeviceList devices(DeviceFilter filter) {
        String sql = "WITH cur AS (SELECT s.name AS site, d.site_id, d.device_key, d.address,"
                + " d.mac, d.last_seen, d.last_scan_id, i.brand, i.platform, i.model, i.type,"
                + " CASE WHEN d.address ~ '^[0-9]{1,3}(\\.[0-9]{1,3}){3}$' THEN d.address::inet END"
                + " AS addr_order FROM device d JOIN site s ON s.id = d.site_id LEFT JOIN"
                + " identification i ON i.site_id = d.site_id AND i.scan_id = d.last_scan_id AND"
                + " i.device_key = d.device_key WHERE (?::text IS NULL OR s.name = ?) AND (?::text IS"
                + " NULL OR lower(i.platform) = lower(?)) AND (?::text IS NULL OR lower(i.brand) ="
                + " lower(?)) AND (?::text IS NULL OR i.type = ?)), fs AS (SELECT f.site_id,"
                + " f.device_key, count(*) AS findings, count(*) FILTER (WHERE " + OPEN
                + ") AS open_findings, min(array_position(" + SEVERITY_ORDER + ", f.severity))"
                + " AS worst_rank, bool_or(f.kind = 'policy' AND f.finding_id = ?) AS has_policy,"
                + " bool_or(f.finding_id = ?) AS has_finding FROM" + CURRENT + "GROUP BY f.site_id,"
                + " f.device_key) SELECT cur.site, cur.device_key, cur.address, cur.mac, cur.brand,"
                + " cur.platform, cur.model, cur.type, coalesce(fs.findings, 0) AS findings,"
                + " coalesce(fs.open_findings, 0), fs.worst_rank, cur.last_seen, count(*) OVER ()"
                + " FROM cur LEFT JOIN fs ON fs.site_id = cur.site_id AND fs.device_key ="
                + " cur.device_key WHERE (?::text IS NULL OR fs.has_policy) AND (?::text IS NULL OR"
                + " fs.has_finding) AND (?::int IS NULL OR fs.worst_rank = ?) ORDER BY "
                + order(filter) + " LIMIT ? OFFSET ?";
        Optional<Integer> rank = filter.severity().map(DashboardQueries::rank);
        return write(conn -> {
            // every row is counted anyway (count OVER), so a plan that starts fast for LIMIT with
            // nested loops over the findings made the first page slow (10,000 devices: 2.0 s, 0.24 s now)
            update(conn, "SET LOCAL enable_nestloop = off", ps -> {
            });
            long[] total = {0};
            List<DeviceRow> rows = list(conn, sql, ps -> {
                int i = 1;
                i = twice(ps, i, filter.site());
                i = twice(ps, i, filter.maker());
                i = twice(ps, i, filter.brand());
                i = twice(ps, i, filter.type());
                text(ps, i++, filter.policy());
                text(ps, i++, filter.finding());
                text(ps, i++, filter.policy());
                text(ps, i++, filter.finding());
                for (int k = 0; k < 2; k++) {
                    if (rank.isPresent()) {
                        ps.setInt(i++, rank.get());
                    } else {
                        ps.setNull(i++, Types.INTEGER);
                    }
                }
                ps.setInt(i++, filter.pageSize());
                ps.setLong(i, (long) (filter.page() - 1) * filter.pageSize());
            }, rs -> {
                total[0] = rs.getLong(13);
                int worst = rs.getInt(11);
                return new DeviceRow(rs.getString(1), rs.getString(2), rs.getString(3), opt(rs,
                        4), opt(rs, 5), opt(rs, 6), opt(rs, 7), opt(rs, 8), rs.getLong(9),
                        rs
                                .getLong(10),
                        worst == 0
                                ? Optional.empty()
                                : Optional.of(Finding.Severity.values()[worst - 1].label()),
                        rs.getTimestamp(12).toInstant());
            });
            if (rows.isEmpty() && filter.page() > 1) {
                total[0] = one(conn, "SELECT count(*) FROM device", ps -> {
                }, rs -> rs.getLong(1));
            }
            return new DeviceList(rows, total[0], filter);
        });
    }

    private static String order(DeviceFilter f) {
        String dir = f.descending() ? " DESC" : " ASC";
        // the first key in the chosen direction, the rest as tie-breakers ascending
        String[] keys = f.sort().sql.split(", ");
        StringBuilder sb = new StringBuilder(keys[0]).append(dir).append(" NULLS LAST");
        for (int k = 1; k < keys.length; k++) {
            sb.append(", ").append(keys[k]);
        }
        return sb.append(", cur.device_key").toString();
    }

    static int rank(String severity) {
        for (Finding.Severity s : Finding.Severity.values()) {
            if (s.label().equals(severity)) {
                return s.ordinal() + 1;
            }
        }
        throw new IllegalArgumentException("severity is critical, high, medium, low or info, not \""
                + severity + "\"");
    }

    /** The values each filter of the device list can take. */
    public FilterChoices choices() {
        return read(conn -> {
            String ids = " FROM device d LEFT JOIN identification i ON i.site_id = d.site_id AND"
                    + " i.scan_id = d.last_scan_id AND i.device_key = d.device_key WHERE ";
            return new FilterChoices(strings(conn, "SELECT name FROM site ORDER BY name"), strings(
                    conn, "SELECT DISTINCT i.platform" + ids + "i.platform IS NOT NULL ORDER BY 1"),
                    strings(conn, "SELECT DISTINCT i.brand" + ids
                            + "i.brand IS NOT NULL ORDER BY 1"),
                    strings(conn, "SELECT DISTINCT i.type" + ids + "i.type IS NOT NULL ORDER BY 1"),
                    strings(conn, "SELECT DISTINCT f.finding_id FROM" + CURRENT
                            + "WHERE f.kind = 'policy' ORDER BY 1"),
                    strings(conn, "SELECT DISTINCT f.finding_id FROM" + CURRENT + "ORDER BY 1"));
        });
    }

    /** A device's page: empty when the site or the device is unknown. */
    public Optional<DeviceDetail> device(String site, String key) {
        return read(conn -> {
            List<Object[]> head = list(conn, "SELECT d.site_id, d.address, d.mac, d.first_seen,"
                    + " d.last_seen, d.last_scan_id, i.address, i.mac, i.brand, i.platform,"
                    + " i.model, i.firmware, i.type, i.confidence, i.oem_rebrand, i.evidence,"
                    + " i.conflicts FROM device d JOIN site s ON s.id = d.site_id LEFT JOIN"
                    + " identification i ON i.site_id = d.site_id AND i.scan_id = d.last_scan_id AND"
                    + " i.device_key = d.device_key WHERE s.name = ? AND d.device_key = ?", ps -> {
                        ps.setString(1, site);
                        ps.setString(2, key);
                    }, rs -> {
                        Optional<String> mac = opt(rs, 3);
                        Identification id = rs.getString(7) == null
                                ? Identification.unknown(rs.getString(2), mac)
                                : CentralStore.identification(rs, 7);
                        return new Object[]{rs.getLong(1), rs.getString(2), mac, rs.getTimestamp(
                                4).toInstant(), rs.getTimestamp(5).toInstant(), rs.getLong(6), id};
                    });
            if (head.isEmpty()) {
                return Optional.<DeviceDetail>empty();
            }
            Object[] h = head.getFirst();
            long siteId = (Long) h[0];
            long scanId = (Long) h[5];
            String address = (String) h[1];
            List<Finding> findings = list(conn, "SELECT f.finding_id, f.kind, f.severity,"
                    + " f.device_key, f.address, f.title, f.evidence, f.citation, f.remediation,"
                    + " f.details FROM finding f WHERE f.site_id = ? AND f.scan_id = ? AND"
                    + " f.device_key = ? ORDER BY array_position(" + SEVERITY_ORDER
                    + ", f.severity), f.kind, f.finding_id", ps -> {
                        ps.setLong(1, siteId);
                        ps.setLong(2, scanId);
                        ps.setString(3, key);
                    }, rs -> CentralStore.finding(rs, 1));
            Map<String, Review> reviews = new LinkedHashMap<>();
            list(conn, "SELECT finding_id, state, until, reason, actor, at FROM finding_review"
                    + " WHERE site_id = ? AND device_key = ?", ps -> {
                        ps.setLong(1, siteId);
                        ps.setString(2, key);
                    }, rs -> {
                        Date until = rs.getDate(3);
                        reviews.put(rs.getString(1), new Review(ReviewState.of(rs.getString(2)),
                                Optional.ofNullable(until).map(Date::toLocalDate), opt(rs, 4), rs
                                        .getString(5),
                                rs.getTimestamp(6).toInstant()));
                        return null;
                    });
            TreeSet<Integer> ports = new TreeSet<>(list(conn, "SELECT DISTINCT port FROM"
                    + " observation WHERE site_id = ? AND scan_id = ? AND address = ? AND transport ="
                    + " 'tcp' AND port > 0 AND fields->>'state' = 'open' AND fields->>'error' IS"
                    + " NULL", ps -> bindScan(ps, siteId, scanId, address), rs -> rs.getInt(1)));
            TreeSet<String> protocols = new TreeSet<>(strings(conn, "SELECT DISTINCT protocol"
                    + " FROM observation WHERE site_id = ? AND scan_id = ? AND address = ? AND"
                    + " protocol <> 'tcp' AND fields->>'error' IS NULL",
                    ps -> bindScan(ps, siteId,
                            scanId, address)));
            List<HistoryLine> history = list(conn, "SELECT c.id, c.started, c.kind, i.brand,"
                    + " i.platform, i.model, i.firmware, (SELECT count(*) FROM finding f WHERE"
                    + " f.site_id = c.site_id AND f.scan_id = c.id AND f.device_key = ?), (SELECT"
                    + " min(array_position(" + SEVERITY_ORDER + ", f.severity)) FROM finding f"
                    + " WHERE f.site_id = c.site_id AND f.scan_id = c.id AND f.device_key = ?) FROM"
                    + " scan c LEFT JOIN identification i ON i.site_id = c.site_id AND i.scan_id ="
                    + " c.id AND i.device_key = ? WHERE c.site_id = ? AND (i.device_key IS NOT NULL"
                    + " OR EXISTS (SELECT 1 FROM finding f WHERE f.site_id = c.site_id AND"
                    + " f.scan_id = c.id AND f.device_key = ?)) ORDER BY c.started DESC, c.id DESC"
                    + " LIMIT 100", ps -> {
                        ps.setString(1, key);
                        ps.setString(2, key);
                        ps.setString(3, key);
                        ps.setLong(4, siteId);
                        ps.setString(5, key);
                    }, rs -> {
                        int worst = rs.getInt(9);
                        boolean none = rs.wasNull();
                        return new HistoryLine(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs
                                .getString(3), opt(rs, 4), opt(rs, 5), opt(rs, 6), opt(rs, 7),
                                rs
                                        .getLong(8),
                                none
                                        ? Optional.empty()
                                        : Optional.of(Finding.Severity.values()[worst - 1]
                                                .label()));
                    });
            List<ReviewChange> changes = list(conn, "SELECT at, actor, detail->>'finding',"
                    + " detail->>'state', coalesce(detail->>'until', '') || CASE WHEN"
                    + " detail->>'reason' IS NULL THEN '' ELSE ' ' || (detail->>'reason') END FROM"
                    + " audit_log WHERE action = 'finding.review' AND site_id = ? AND"
                    + " detail->>'device' = ? ORDER BY id DESC LIMIT 50", ps -> {
                        ps.setLong(1, siteId);
                        ps.setString(2, key);
                    }, rs -> new ReviewChange(rs.getTimestamp(1).toInstant(), rs.getString(2), rs
                            .getString(3), rs.getString(4), rs.getString(5).strip()));
            return Optional.of(new DeviceDetail(site, key, address, castMac(
                    h[2]), (java.time.Instant) h[3], (java.time.Instant) h[4], scanId,
                    (Identification) h[6], findings, reviews, List.copyOf(ports), List.copyOf(
                            protocols),
                    history, changes));
        });
    }

    @SuppressWarnings("unchecked")
    private static Optional<String> castMac(Object o) {
        return (Optional<String>) o;
    }

    private static void bindScan(PreparedStatement ps, long siteId, long scanId, String address)
            throws SQLException {
        ps.setLong(1, siteId);
        ps.setLong(2, scanId);
        ps.setString(3, address);
    }

    // --- reviews --------------------------------------------------------------------------

    /**
     * Records a person's decision about a finding of a device (empty state: open again), with
     * its audit-log line in the same transaction.
     *
     * @return false when the site, the device or the finding is unknown (nothing changes)
     */
    public boolean review(String site, String deviceKey, String findingId,
            Optional<ReviewState> state, Optional<LocalDate> until, Optional<String> reason,
            String actor, String source) {
        return write(conn -> {
            List<Long> siteIds = list(conn, "SELECT s.id FROM site s WHERE s.name = ? AND EXISTS"
                    + " (SELECT 1 FROM finding f WHERE f.site_id = s.id AND f.device_key = ? AND"
                    + " f.finding_id = ?)", ps -> {
                        ps.setString(1, site);
                        ps.setString(2, deviceKey);
                        ps.setString(3, findingId);
                    }, rs -> rs.getLong(1));
            if (siteIds.isEmpty()) {
                return false;
            }
            long siteId = siteIds.getFirst();
            if (state.isEmpty()) {
                update(conn, "DELETE FROM finding_review WHERE site_id = ? AND device_key = ? AND"
                        + " finding_id = ?", ps -> {
                            ps.setLong(1, siteId);
                            ps.setString(2, deviceKey);
                            ps.setString(3, findingId);
                        });
            } else {
                update(conn, "INSERT INTO finding_review (site_id, device_key, finding_id, state,"
                        + " until, reason, actor) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site_id,"
                        + " device_key, finding_id) DO UPDATE SET state = EXCLUDED.state, until ="
                        + " EXCLUDED.until, reason = EXCLUDED.reason, actor = EXCLUDED.actor, at ="
                        + " now()", ps -> {
                            ps.setLong(1, siteId);
                            ps.setString(2, deviceKey);
                            ps.setString(3, findingId);
                            ps.setString(4, state.get().label());
                            if (until.isPresent()) {
                                ps.setDate(5, Date.valueOf(until.get()));
                            } else {
                                ps.setNull(5, Types.DATE);
                            }
                            text(ps, 6, reason);
                            ps.setString(7, actor);
                        });
            }
            update(conn, "INSERT INTO audit_log (actor, action, site_id, source, detail) VALUES (?,"
                    + " 'finding.review', ?, ?, jsonb_strip_nulls(jsonb_build_object('device', ?::text,"
                    + " 'finding', ?::text, 'state', ?::text, 'until', ?::text, 'reason', ?::text)))",
                    ps -> {
                        ps.setString(1, actor);
                        ps.setLong(2, siteId);
                        ps.setString(3, source);
                        ps.setString(4, deviceKey);
                        ps.setString(5, findingId);
                        ps.setString(6, state.map(ReviewState::label).orElse("open"));
                        text(ps, 7, until.map(LocalDate::toString));
                        text(ps, 8, reason);
                    });
            return true;
        });
    }

    // --- plumbing -------------------------------------------------------------------------

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection conn) throws SQLException;
    }

    <T> T read(Work<T> work) {
        try (Connection conn = pool.getConnection()) {
            return work.run(conn);
        } catch (SQLException e) {
            throw new StoreUnavailableException("the central store failed: " + e.getMessage(), e);
        }
    }

    <T> T write(Work<T> work) {
        try (Connection conn = pool.getConnection()) {
            conn.setAutoCommit(false);
            try {
                T result = work.run(conn);
                conn.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            } finally {
                conn.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("the central store failed: " + e.getMessage(), e);
        }
    }

    static <T> List<T> list(Connection conn, String sql, Binder binder, Row<T> row)
            throws SQLException {
        List<T> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.read(rs));
                }
            }
        }
        return out;
    }

    static <T> T one(Connection conn, String sql, Binder binder, Row<T> row) throws SQLException {
        return list(conn, sql, binder, row).getFirst();
    }

    static void update(Connection conn, String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            binder.bind(ps);
            ps.executeUpdate();
        }
    }

    private static List<String> strings(Connection conn, String sql) throws SQLException {
        return strings(conn, sql, ps -> {
        });
    }

    private static List<String> strings(Connection conn, String sql, Binder binder)
            throws SQLException {
        return list(conn, sql, binder, rs -> rs.getString(1));
    }

    private static Count count(ResultSet rs) throws SQLException {
        return new Count(rs.getString(1), rs.getLong(2));
    }

    private static Optional<String> opt(ResultSet rs, int c) throws SQLException {
        return Optional.ofNullable(rs.getString(c));
    }

    static void text(PreparedStatement ps, int i, Optional<String> v) throws SQLException {
        if (v.isPresent()) {
            ps.setString(i, v.get());
        } else {
            ps.setNull(i, Types.VARCHAR);
        }
    }

    private static int twice(PreparedStatement ps, int i, Optional<String> v)
            throws SQLException {
        text(ps, i, v);
        text(ps, i + 1, v);
        return i + 2;
    }
}
