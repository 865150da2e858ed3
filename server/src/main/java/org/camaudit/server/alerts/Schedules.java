package org.camaudit.server.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.camaudit.server.db.CentralStore;
import org.camaudit.server.wire.BatchJson;

/** The schedules of the sites, in the central store; each change is in the audit log. */
public final class Schedules {
    private final CentralStore store;

    public Schedules(CentralStore store) {
        this.store = store;
    }

    /** Sets (or replaces) a site's schedule; the site must exist. */
    public SiteSchedule put(long siteId, SiteSchedule s, String source) {
        store.transaction(conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "INSERT INTO site_schedule (site_id, every_seconds, targets, excludes, ports,"
                            + " authorized_by, updated, updated_by) VALUES (?, ?, ?::jsonb,"
                            + " ?::jsonb, ?::jsonb, ?, ?, ?) ON CONFLICT (site_id) DO UPDATE SET"
                            + " every_seconds = EXCLUDED.every_seconds, targets = EXCLUDED.targets,"
                            + " excludes = EXCLUDED.excludes, ports = EXCLUDED.ports, authorized_by"
                            + " = EXCLUDED.authorized_by, updated = EXCLUDED.updated, updated_by ="
                            + " EXCLUDED.updated_by")) {
                ps.setLong(1, siteId);
                ps.setLong(2, s.every().toSeconds());
                ps.setString(3, json(s.targets()));
                ps.setString(4, json(s.excludes()));
                ps.setString(5, s.ports().map(Schedules::json).orElse(null));
                ps.setString(6, s.authorizedBy());
                ps.setTimestamp(7, java.sql.Timestamp.from(s.updated()));
                ps.setString(8, s.updatedBy());
                ps.executeUpdate();
            }
            CentralStore.audit(conn, s.updatedBy(), "schedule.set", Optional.of(siteId), source,
                    BatchJson.MAPPER.createObjectNode().put("every_seconds", s.every()
                            .toSeconds()).put("targets", String.join(",", s.targets())).put(
                                    "authorized_by", s.authorizedBy()));
            return null;
        });
        return s;
    }

    /** The site's schedule, if it has one. */
    public Optional<SiteSchedule> get(long siteId, String siteName) {
        return store.withConnection(conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "SELECT every_seconds, targets::text, excludes::text, ports::text,"
                            + " authorized_by, updated, updated_by FROM site_schedule WHERE"
                            + " site_id = ?")) {
                ps.setLong(1, siteId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<SiteSchedule>empty();
                    }
                    Optional<List<Integer>> ports = Optional.ofNullable(rs.getString(4)).map(
                            t -> {
                                List<Integer> out = new ArrayList<>();
                                tree(t).forEach(n -> out.add(n.asInt()));
                                return out;
                            });
                    return Optional.of(new SiteSchedule(siteName, Duration.ofSeconds(rs.getLong(
                            1)), strings(rs.getString(2)), strings(rs.getString(3)), ports, rs
                                    .getString(5),
                            rs.getTimestamp(6).toInstant(), rs.getString(
                                    7)));
                }
            }
        });
    }

    /** Removes a site's schedule; false when it had none. */
    public boolean remove(long siteId, String actor, String source) {
        return store.transaction(conn -> {
            int n;
            try (PreparedStatement ps = conn.prepareStatement(
                    "DELETE FROM site_schedule WHERE site_id = ?")) {
                ps.setLong(1, siteId);
                n = ps.executeUpdate();
            }
            if (n > 0) {
                CentralStore.audit(conn, actor, "schedule.remove", Optional.of(siteId), source,
                        BatchJson.MAPPER.createObjectNode());
            }
            return n > 0;
        });
    }

    private static List<String> strings(String json) {
        List<String> out = new ArrayList<>();
        tree(json).forEach(n -> out.add(n.asText()));
        return out;
    }

    static JsonNode tree(String json) {
        try {
            return BatchJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }

    static String json(Object value) {
        try {
            return BatchJson.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
