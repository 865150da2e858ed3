package org.camaudit.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;
import org.camaudit.model.ScanSummary;
import org.camaudit.report.Format;
import org.camaudit.report.ReportData;
import org.camaudit.report.Reports;
import org.camaudit.report.ScanDiff;
import org.camaudit.report.ServiceTally;
import org.camaudit.server.db.CentralStore;
import org.camaudit.server.db.Views.ScanInfo;
import org.camaudit.server.db.Views.SiteInfo;
import org.camaudit.server.db.Views.SiteScan;
import org.camaudit.server.wire.BatchJson;

/**
 * The routes over stored scans: a site's scans, one scan, the diff of two, and a scan's report in
 * every format of {@code camaudit report}. The diff and the reports come from the same code as
 * the CLI's ({@link ScanDiff}, {@link Reports}); only the gathering reads the central store.
 */
final class ScanRoutes {
    private final CentralStore store;
    private final Clock clock;

    ScanRoutes(CentralStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** {@code GET /scans?site=}: newest first. */
    void scans(Context ctx) {
        Optional<Long> siteId = ApiServer.query(ctx, "site").map(this::site).map(SiteInfo::id);
        ArrayNode out = BatchJson.MAPPER.createArrayNode();
        store.siteScans(siteId).forEach(s -> out.add(json(s)));
        ApiServer.send(ctx, 200, out);
    }

    /** {@code GET /scans/{scan}}: one scan by the server's id. */
    void scan(Context ctx) {
        ApiServer.send(ctx, 200, json(scan(ApiServer.number(ctx.pathParam("scan"), "scan"))));
    }

    /** {@code GET /diff?site=&from=&to=}: both scans of that site. */
    void diff(Context ctx) {
        SiteInfo site = site(required(ctx, "site"));
        SiteScan from = scanOf(site, required(ctx, "from"), "from");
        SiteScan to = scanOf(site, required(ctx, "to"), "to");
        ScanDiff d = store.diff(site.id(), from.scan().id(), to.scan().id());
        ObjectNode root = d.json();
        root.put("site", site.name());
        ApiServer.send(ctx, 200, root);
    }

    /**
     * {@code GET /reports/{format}?scan=|site=}: a scan's report, or that of the site's newest
     * complete scan.
     */
    void report(Context ctx) {
        Format f = Format.parse(ctx.pathParam("format"))
                .orElseThrow(() -> new ApiServer.ApiException(404,
                        "no report format " + ctx.pathParam("format") + " (use one of "
                                + Format.labels() + ")"));
        Optional<String> scanParam = ApiServer.query(ctx, "scan");
        Optional<String> siteParam = ApiServer.query(ctx, "site");
        if (scanParam.isPresent() == siteParam.isPresent()) {
            throw new ApiServer.ApiException(400, "give either \"scan\" or \"site\"");
        }
        SiteScan s = scanParam.isPresent()
                ? scan(ApiServer.number(scanParam.get(), "scan"))
                : newestComplete(site(siteParam.get()));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            Reports.write(data(s), f, body);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the " + f.label() + " report", e);
        }
        ctx.status(200).contentType(contentType(f)).header("Content-Disposition",
                "attachment; filename=\"" + s.site() + "-scan-" + s.scan().id() + "." + extension(
                        f) + "\"")
                .result(body.toByteArray());
    }

    /** What a report of this scan shows, gathered from the central store. */
    ReportData data(SiteScan s) {
        long siteId = s.siteId();
        long scanId = s.scan().id();
        ServiceTally services = new ServiceTally();
        store.forEachObservation(siteId, scanId, services);
        return new ReportData(s.asScan(), store.identifications(siteId, scanId), store
                .scanFindings(siteId, scanId), services.services(), clock.instant(),
                Reports.toolVersion());
    }

    private SiteScan newestComplete(SiteInfo site) {
        return store.siteScans(Optional.of(site.id())).stream().filter(s -> s.scan().complete())
                .findFirst().orElseThrow(() -> new ApiServer.ApiException(404, "site " + site
                        .name() + " has no complete scan yet"));
    }

    private SiteScan scan(long id) {
        return store.siteScan(id).orElseThrow(() -> new ApiServer.ApiException(404, "no scan "
                + id));
    }

    private SiteScan scanOf(SiteInfo site, String id, String what) {
        SiteScan s = store.siteScan(ApiServer.number(id, what)).filter(x -> x.siteId() == site
                .id()).orElseThrow(() -> new ApiServer.ApiException(404, "site " + site.name()
                        + " has no scan " + id));
        return s;
    }

    private SiteInfo site(String name) {
        return store.site(name).orElseThrow(() -> new ApiServer.ApiException(404, "no site named "
                + name));
    }

    private static String required(Context ctx, String name) {
        return ApiServer.query(ctx, name).orElseThrow(() -> new ApiServer.ApiException(400, "\""
                + name + "\" is required"));
    }

    private static ObjectNode json(SiteScan s) {
        ScanInfo i = s.scan();
        ScanSummary sum = i.summary();
        ObjectNode n = BatchJson.MAPPER.createObjectNode().put("id", i.id()).put("site", s.site())
                .put("agent_id", i.agentId()).put("agent_scan", i.agentScan()).put("kind", i
                        .kind())
                .put("authorized_by", i.authorizedBy()).put("status", i.status())
                .put("complete", i.complete()).put("started", i.started().toString());
        i.finished().ifPresent(t -> n.put("finished", t.toString()));
        n.putObject("counts").put("addresses_probed", sum.addressesProbed()).put("hosts_up", sum
                .hostsUp()).put("open_ports", sum.openPorts()).put("observations", sum
                        .observations())
                .put("observations_stored", i.storedObservations()).put(
                        "identifications", s.identifications())
                .put("findings", s
                        .findings())
                .put("millis", sum.millis());
        return n;
    }

    private static String contentType(Format f) {
        return switch (f) {
            case HTML -> "text/html; charset=utf-8";
            case PDF -> "application/pdf";
            case CSV -> "text/csv; charset=utf-8";
            case JSON -> "application/json";
            case CYCLONEDX -> "application/vnd.cyclonedx+json";
            case DEFECTDOJO -> "application/json";
        };
    }

    private static String extension(Format f) {
        return switch (f) {
            case CYCLONEDX -> "cdx.json";
            case DEFECTDOJO -> "defectdojo.json";
            default -> f.label();
        };
    }
}
