package org.camaudit.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.camaudit.server.alerts.AlertChannel;
import org.camaudit.server.alerts.Alerts;
import org.camaudit.server.wire.BatchJson;
import org.camaudit.server.alerts.ScheduleJson;
import org.camaudit.server.alerts.Schedules;
import org.camaudit.server.alerts.SiteSchedule;
import org.camaudit.server.db.CentralStore;
import org.camaudit.server.db.Principal;
import org.camaudit.server.db.Views.SiteInfo;
import org.camaudit.server.http.ApiServer.ApiException;

/** The routes of continuous audit: site schedules (read by the site's agent too), alerts and their channels. */
final class ContinuousAuditApi {
    private final CentralStore store;
    private final Schedules schedules;
    private final Alerts alerts;

    ContinuousAuditApi(CentralStore store, Alerts alerts) {
        this.store = store;
        this.schedules = new Schedules(store);
        this.alerts = alerts;
    }

    /** {@code GET /alerts?site=&limit=} (viewer): the newest alerts and their deliveries. */
    void alerts(Context ctx) {
        Optional<Long> site = ApiServer.query(ctx, "site").map(name -> store.site(name)
                .orElseThrow(() -> new ApiException(404, "no site named " + name)).id());
        int limit = (int) Math.min(10_000, ApiServer.query(ctx, "limit").map(v -> ApiServer
                .number(v, "limit")).orElse(100L));
        ApiServer.send(ctx, 200, alerts.recent(site, limit));
    }

    /** {@code GET /alert-channels} (admin); secrets are never shown. */
    void channels(Context ctx) {
        ArrayNode out = BatchJson.MAPPER.createArrayNode();
        alerts.channels().forEach(c -> out.add(channel(c)));
        ApiServer.send(ctx, 200, out);
    }

    /** {@code POST /alert-channels} (admin): {"kind", "target", "secret"}. */
    void addChannel(Context ctx) {
        JsonNode body = ApiServer.jsonBody(ctx);
        Principal who = Objects.requireNonNull(ctx.attribute(ApiServer.PRINCIPAL));
        AlertChannel c;
        try {
            c = new AlertChannel(0, AlertChannel.Kind.of(body.path("kind").asText("")),
                    AlertChannel.target(body.path("target").asText("")), Optional.ofNullable(
                            body.hasNonNull("secret") ? body.get("secret").asText() : null));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
        ApiServer.send(ctx, 201, channel(alerts.addChannel(c, who.actor(), ctx.ip())));
    }

    /** {@code DELETE /alert-channels/{id}} (admin). */
    void removeChannel(Context ctx) {
        long id = ApiServer.number(ctx.pathParam("id"), "id");
        Principal who = Objects.requireNonNull(ctx.attribute(ApiServer.PRINCIPAL));
        if (!alerts.removeChannel(id, who.actor(), ctx.ip())) {
            throw new ApiException(404, "no alert channel " + id);
        }
        ctx.status(204);
    }

    private static ObjectNode channel(AlertChannel c) {
        return BatchJson.MAPPER.createObjectNode().put("id", c.id()).put("kind", c.kind().label())
                .put("target", c.target().toString());
    }

    /** {@code GET /sites/{site}/schedule}: a viewer, or the site's own agent. */
    void schedule(Context ctx) {
        SiteInfo site = site(ctx);
        Principal who = Objects.requireNonNull(ctx.attribute(ApiServer.PRINCIPAL));
        if (who.kind() == Principal.Kind.AGENT && who.siteId().orElseThrow() != site.id()) {
            throw new ApiException(403, who.actor() + " may read only its own site's schedule");
        }
        SiteSchedule s = schedules.get(site.id(), site.name()).orElseThrow(
                () -> new ApiException(404, "site " + site.name() + " has no schedule"));
        ApiServer.send(ctx, 200, ScheduleJson.write(s));
    }

    /** {@code PUT /sites/{site}/schedule} (admin). */
    void setSchedule(Context ctx) {
        SiteInfo site = site(ctx);
        Principal who = Objects.requireNonNull(ctx.attribute(ApiServer.PRINCIPAL));
        JsonNode body = ApiServer.jsonBody(ctx);
        ((ObjectNode) body).remove(List.of("site", "updated", "updated_by"));
        SiteSchedule s;
        try {
            s = ScheduleJson.read(body, site.name(), who.actor(), Instant.now());
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
        ApiServer.send(ctx, 200, ScheduleJson.write(schedules.put(site.id(), s, ctx.ip())));
    }

    /** {@code DELETE /sites/{site}/schedule} (admin). */
    void removeSchedule(Context ctx) {
        SiteInfo site = site(ctx);
        Principal who = Objects.requireNonNull(ctx.attribute(ApiServer.PRINCIPAL));
        if (!schedules.remove(site.id(), who.actor(), ctx.ip())) {
            throw new ApiException(404, "site " + site.name() + " has no schedule");
        }
        ctx.status(204);
    }

    private SiteInfo site(Context ctx) {
        String name = ctx.pathParam("site");
        return store.site(name).orElseThrow(() -> new ApiException(404, "no site named "
                + name));
    }
}
