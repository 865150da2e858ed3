package org.camaudit.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.camaudit.server.alerts.ScheduleJson;
import org.camaudit.server.alerts.Schedules;
import org.camaudit.server.alerts.SiteSchedule;
import org.camaudit.server.db.CentralStore;
import org.camaudit.server.db.Principal;
import org.camaudit.server.db.Views.SiteInfo;
import org.camaudit.server.http.ApiServer.ApiException;

/** The routes of continuous audit: site schedules (read by the site's agent too). */
final class ContinuousAuditApi {
    private final CentralStore store;
    private final Schedules schedules;

    ContinuousAuditApi(CentralStore store) {
        this.store = store;
        this.schedules = new Schedules(store);
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
