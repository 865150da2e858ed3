package org.camaudit.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.camaudit.server.alerts.Alerts;
import org.camaudit.server.dashboard.Dashboard;
import org.camaudit.server.db.BatchRejectedException;
import org.camaudit.server.db.CentralStore;
import org.camaudit.server.db.Principal;
import org.camaudit.server.db.Secrets;
import org.camaudit.server.db.StoreUnavailableException;
import org.camaudit.server.db.Views.AuditEntry;
import org.camaudit.server.db.Views.DeviceView;
import org.camaudit.server.db.Views.EnrolledAgent;
import org.camaudit.server.db.Views.FindingFilter;
import org.camaudit.server.db.Views.Ingest;
import org.camaudit.server.db.Views.SiteEnrolment;
import org.camaudit.server.db.Views.SiteFinding;
import org.camaudit.server.db.Views.SiteInfo;
import org.camaudit.rules.bom.BomCheck;
import org.camaudit.rules.bom.BomFile;
import org.camaudit.rules.findings.FindingEngine;
import org.camaudit.rules.findings.FindingPacks;
import org.camaudit.server.wire.Batch;
import org.camaudit.server.wire.BatchJson;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * {@code camaudit server}: the REST API ({@code /api/v1}, described by {@code openapi.json})
 * over HTTPS only, on one address. Every route but the health check and enrolment needs a bearer
 * token; a user's role or an agent's site decides what it may do. An address that fails to
 * authenticate too often is refused (429) for a while.
 */
public final class ApiServer implements AutoCloseable {
    /** Where the API lives. */
    public static final String BASE = "/api/v1";
    static final String PRINCIPAL = "camaudit.principal";
    private static final String JSON = "application/json";

    /**
     * How to run the server.
     *
     * @param host the one address to listen on
     * @param port 0 for any free port
     * @param dataDir where a self-signed certificate is kept when no keystore is given
     * @param keystore a PKCS12 keystore with the server's key, if the operator has one
     * @param maxBodyBytes the largest request body accepted (413 above)
     * @param failedAttemptLimit failed authentications an address may make per window (429 after)
     */
    public record Settings(String host, int port, Path dataDir, Optional<Path> keystore,
            String keystorePassword, long maxBodyBytes, int failedAttemptLimit,
            Duration failureWindow) {
        public static final long DEFAULT_MAX_BODY = 32L << 20;

        public Settings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(keystore, "keystore");
            keystorePassword = keystorePassword == null ? "" : keystorePassword;
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }

        /** 32 MiB bodies, 10 failed attempts per address per 5 minutes, self-signed. */
        public static Settings of(String host, int port, Path dataDir) {
            return new Settings(host, port, dataDir, Optional.empty(), "", DEFAULT_MAX_BODY, 10,
                    Duration.ofMinutes(5));
        }

        public Settings withKeystore(Path file, String password) {
            return new Settings(host, port, dataDir, Optional.of(file), password, maxBodyBytes,
                    failedAttemptLimit, failureWindow);
        }

        public Settings withLimits(long maxBody, int failures, Duration window) {
            return new Settings(host, port, dataDir, keystore, keystorePassword, maxBody, failures,
                    window);
        }
    }

    /** A refusal with its status and one line for the client. */
    static final class ApiException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        ApiException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final CentralStore store;
    private final Clock clock;
    private final FailedAttempts attempts;
    private final ServerCertificate certificate;
    private final byte[] openApi;
    private final Javalin app;

    private final Alerts alerts;

    private ApiServer(CentralStore store, Settings s, Clock clock, Alerts.Settings alerting) {
        this.store = store;
        this.clock = clock;
        this.alerts = new Alerts(store, alerting);
        this.attempts = new FailedAttempts(s.failedAttemptLimit(), s.failureWindow(), clock);
        this.certificate = s.keystore().map(k -> ServerCertificate.fromKeystore(k, s
                .keystorePassword())).orElseGet(() -> ServerCertificate.selfSigned(s.dataDir(), s
                        .host()));
        this.openApi = resource("openapi.json");
        ScanRoutes scans = new ScanRoutes(store, clock);
        ContinuousAuditApi audit = new ContinuousAuditApi(store, alerts);
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.http.maxRequestSize = s.maxBodyBytes();
            cfg.jetty.addConnector((server, http) -> {
                http.addCustomizer(new SecureRequestCustomizer(false));
                SslContextFactory.Server tls = new SslContextFactory.Server();
                tls.setKeyStore(certificate.keyStore());
                tls.setKeyStorePassword(certificate.password());
                tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
                ServerConnector c = new ServerConnector(server, new SslConnectionFactory(tls,
                        HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(http));
                c.setHost(s.host());
                c.setPort(s.port());
                return c;
            });
            cfg.routes.beforeMatched(this::authorise);
            cfg.routes.get(BASE + "/health", ctx -> send(ctx, 200, BatchJson.MAPPER
                    .createObjectNode().put("status", "ok").put("schema", store.schemaVersion())),
                    Access.ANYONE);
            cfg.routes.get(BASE + "/openapi.json", ctx -> ctx.contentType(JSON).result(openApi),
                    Access.VIEWER);
            cfg.routes.post(BASE + "/enrol", this::enrol, Access.ANYONE);
            cfg.routes.post(BASE + "/scans/{scan}/batches", this::ingest, Access.AGENT);
            cfg.routes.get(BASE + "/sites", ctx -> send(ctx, 200, sites()), Access.VIEWER);
            cfg.routes.post(BASE + "/sites", this::addSite, Access.ADMIN);
            cfg.routes.get(BASE + "/devices", this::devices, Access.VIEWER);
            cfg.routes.get(BASE + "/findings", this::findings, Access.VIEWER);
            cfg.routes.get(BASE + "/audit-log", this::auditLog, Access.ADMIN);
            cfg.routes.get(BASE + "/scans", scans::scans, Access.VIEWER);
            cfg.routes.get(BASE + "/scans/{scan}", scans::scan, Access.VIEWER);
            cfg.routes.get(BASE + "/diff", scans::diff, Access.VIEWER);
            cfg.routes.get(BASE + "/reports/{format}", scans::report, Access.VIEWER);
            cfg.routes.post(BASE + "/check-bom", this::checkBom, Access.VIEWER);
            cfg.routes.post(BASE + "/sites/{site}/enrolment", this::newEnrolment, Access.ADMIN);
            cfg.routes.delete(BASE + "/sites/{site}/agents", this::revokeAgents, Access.ADMIN);
            cfg.routes.delete(BASE + "/users/{name}/tokens", this::revokeUser, Access.ADMIN);
            Dashboard.mount(cfg, store, attempts);
            cfg.routes.get(BASE + "/sites/{site}/schedule", audit::schedule, Access.SITE);
            cfg.routes.put(BASE + "/sites/{site}/schedule", audit::setSchedule, Access.ADMIN);
            cfg.routes.delete(BASE + "/sites/{site}/schedule", audit::removeSchedule, Access.ADMIN);
            cfg.routes.get(BASE + "/alerts", audit::alerts, Access.VIEWER);
            cfg.routes.get(BASE + "/alert-channels", audit::channels, Access.ADMIN);
            cfg.routes.post(BASE + "/alert-channels", audit::addChannel, Access.ADMIN);
            cfg.routes.delete(BASE + "/alert-channels/{id}", audit::removeChannel, Access.ADMIN);
            cfg.routes.exception(ApiException.class, (e, ctx) -> refuse(ctx, e.status, e
                    .getMessage()));
            cfg.routes.exception(HttpResponseException.class, (e, ctx) -> refuse(ctx, e
                    .getStatus(),
                    e.getStatus() == 413
                            ? "the body is larger than "
                                    + s.maxBodyBytes() + " bytes"
                            : e.getMessage()));
            cfg.routes.exception(StoreUnavailableException.class, (e, ctx) -> refuse(ctx, 503,
                    "the central store is unavailable"));
            cfg.routes.exception(Exception.class, (e, ctx) -> refuse(ctx, 500,
                    "internal error: " + e.getClass().getSimpleName()));
        });
    }

    /** Starts the server; it runs until {@link #close()}. */
    public static ApiServer start(CentralStore store, Settings settings) {
        return start(store, settings, Clock.systemUTC());
    }

    static ApiServer start(CentralStore store, Settings settings, Clock clock) {
        return start(store, settings, clock, Alerts.Settings.DEFAULT);
    }

    /** Starts the server with its alert outbox paced by {@code alerting}. */
    public static ApiServer start(CentralStore store, Settings settings, Alerts.Settings alerting) {
        return start(store, settings, Clock.systemUTC(), alerting);
    }

    private static ApiServer start(CentralStore store, Settings settings, Clock clock,
            Alerts.Settings alerting) {
        ApiServer s = new ApiServer(store, settings, clock, alerting);
        s.app.start();
        s.alerts.start();
        return s;
    }

    /** The port it listens on (the one chosen when the settings said 0). */
    public int port() {
        return app.port();
    }

    public ServerCertificate certificate() {
        return certificate;
    }

    /** Every API route (under {@link #BASE}) as {@code METHOD path}, from the router itself. */
    public List<String> routes() {
        List<String> out = new ArrayList<>();
        app.unsafe.internalRouter.allHttpHandlers().forEach(p -> {
            HandlerType m = p.endpoint.method;
            if (m.isHttpMethod() && p.endpoint.path.startsWith(BASE + "/")) {
                out.add(m.name() + " " + p.endpoint.path);
            }
        });
        return out;
    }

    @Override
    public void close() {
        app.stop();
        alerts.close();
    }

    // --- access ---------------------------------------------------------------------------

    private void authorise(Context ctx) {
        if (!ctx.path().startsWith("/api/") && ctx.routeRoles().stream().noneMatch(
                Access.class::isInstance)) {
            return; // a dashboard page: the dashboard guards its own
        }
        Access access = ctx.routeRoles().stream().filter(Access.class::isInstance).map(
                Access.class::cast).findFirst().orElse(Access.ADMIN);
        String address = ctx.ip();
        if (attempts.blocked(address)) {
            ctx.header("Retry-After", Long.toString(attempts.retryAfterSeconds(address)));
            throw new ApiException(429, "too many failed attempts from " + address
                    + "; try again later");
        }
        if (access == Access.ANYONE) {
            return;
        }
        Optional<Principal> who = bearer(ctx).flatMap(store::principal);
        if (who.isEmpty()) {
            attempts.fail(address);
            ctx.header("WWW-Authenticate", "Bearer realm=\"camaudit\"");
            throw new ApiException(401, "a valid bearer token is required");
        }
        Principal p = who.get();
        boolean allowed = access == Access.AGENT
                ? p.kind() == Principal.Kind.AGENT
                : p.kind() == Principal.Kind.USER && p.role().orElseThrow().includes(access.least
                        .orElseThrow())
                        || access == Access.SITE && p.kind() == Principal.Kind.AGENT;
        if (!allowed) {
            throw new ApiException(403, p.actor() + " may not " + ctx.method().name() + " "
                    + ctx.endpoint().path + (access == Access.AGENT
                            ? " (agents only)"
                            : " (needs role " + access.least.orElseThrow().label() + ")"));
        }
        ctx.attribute(PRINCIPAL, p);
    }

    private static Optional<String> bearer(Context ctx) {
        String h = ctx.header("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(h.substring(7).strip()).filter(t -> !t.isEmpty());
    }

    // --- handlers -------------------------------------------------------------------------

    private void enrol(Context ctx) {
        JsonNode body = jsonBody(ctx);
        String token = body.path("token").asText("");
        String name = body.path("name").asText("agent");
        if (name.isBlank() || name.length() > 128) {
            throw new ApiException(400, "\"name\" is 1 to 128 characters");
        }
        Optional<EnrolledAgent> agent = store.enrol(token, name, ctx.ip());
        if (agent.isEmpty()) {
            attempts.fail(ctx.ip());
            throw new ApiException(401, "the enrolment token is unknown, used or expired");
        }
        send(ctx, 201, BatchJson.MAPPER.createObjectNode().put("credential", agent.get()
                .credential()).put("site", agent.get().site()).put("agent_id", agent.get()
                        .agentId()));
    }

    private void ingest(Context ctx) {
        Principal agent = Objects.requireNonNull(ctx.attribute(PRINCIPAL));
        long scan = number(ctx.pathParam("scan"), "scan");
        byte[] body = ctx.bodyAsBytes();
        Batch batch;
        try {
            batch = BatchJson.read(body);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
        if (batch.scan().agentScan() != scan) {
            throw new ApiException(400, "the batch is of scan " + batch.scan().agentScan()
                    + ", not " + scan);
        }
        Ingest result;
        try {
            result = store.ingest(agent, batch, Secrets.sha256(body), ctx.ip());
        } catch (BatchRejectedException e) {
            throw new ApiException(409, e.getMessage());
        }
        boolean stored = result != Ingest.DUPLICATE;
        if (stored && batch.last()) {
            alerts.afterScanStored(agent.siteId().orElseThrow());
        }
        send(ctx, stored ? 201 : 200, BatchJson.MAPPER.createObjectNode().put("scan", scan).put(
                "seq", batch.seq()).put("revision", batch.revision()).put("stored", stored));
    }

    private ArrayNode sites() {
        ArrayNode out = BatchJson.MAPPER.createArrayNode();
        for (SiteInfo s : store.sites()) {
            ObjectNode n = out.addObject().put("name", s.name()).put("created", s.created()
                    .toString()).put("agents", s.agents()).put("scans", s.scans()).put("devices", s
                            .devices());
            s.lastScan().ifPresent(t -> n.put("last_scan", t.toString()));
        }
        return out;
    }

    private void addSite(Context ctx) {
        String name = jsonBody(ctx).path("name").asText("");
        if (!name.matches(CentralStore.SITE_NAME)) {
            throw new ApiException(400, CentralStore.SITE_NAME_RULE);
        }
        Principal who = Objects.requireNonNull(ctx.attribute(PRINCIPAL));
        SiteEnrolment e;
        try {
            e = store.addSite(name, who.actor(), ctx.ip());
        } catch (IllegalArgumentException ex) {
            throw new ApiException(409, ex.getMessage());
        }
        send(ctx, 201, BatchJson.MAPPER.createObjectNode().put("site", e.site().name()).put(
                "enrolment_token", e.enrolmentToken()).put("expires", e.expires().toString()));
    }

    private void devices(Context ctx) {
        List<SiteInfo> sites = site(ctx).map(name -> List.of(store.site(name).orElseThrow(
                () -> new ApiException(404, "no site named " + name)))).orElseGet(store::sites);
        ArrayNode out = BatchJson.MAPPER.createArrayNode();
        for (SiteInfo s : sites) {
            for (DeviceView d : store.devices(s.id())) {
                ObjectNode n = out.addObject().put("site", s.name()).put("key", d.key()).put(
                        "address", d.address());
                d.mac().ifPresent(m -> n.put("mac", m));
                n.put("first_seen", d.firstSeen().toString()).put("last_seen", d.lastSeen()
                        .toString()).put("scan", d.scanId());
                n.set("identification", BatchJson.identification(d.identification()));
                ArrayNode f = n.putArray("findings");
                d.findings().forEach(x -> f.add(BatchJson.finding(x)));
            }
        }
        send(ctx, 200, out);
    }

    private void findings(Context ctx) {
        FindingFilter filter;
        try {
            filter = new FindingFilter(site(ctx), query(ctx, "severity").map(BatchJson::severity),
                    query(ctx, "kind").map(BatchJson::kind), query(ctx, "maker"), query(ctx,
                            "policy"));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
        ArrayNode out = BatchJson.MAPPER.createArrayNode();
        for (SiteFinding f : store.findings(filter)) {
            ObjectNode n = BatchJson.finding(f.finding());
            n.put("site", f.site()).put("scan", f.scanId());
            out.add(n);
        }
        send(ctx, 200, out);
    }

    private void checkBom(Context ctx) {
        BomFile bom;
        FindingEngine engine;
        try {
            bom = BomFile.parse(ctx.body(), "the BOM");
            LocalDate day = query(ctx, "as_of").map(ApiServer::day).orElse(LocalDate.now(clock));
            List<String> ids = query(ctx, "policy").map(v -> List.of(v.split(","))).orElse(List
                    .of()).stream().map(String::strip).filter(v -> !v.isEmpty()).toList();
            engine = new FindingEngine(FindingPacks.shipped(), ids, day);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
        ObjectNode root = BatchJson.MAPPER.createObjectNode();
        ArrayNode policies = root.putArray("policies");
        engine.policies().forEach(p -> policies.add(p.id()));
        root.put("as_of", engine.today().toString());
        ArrayNode lines = root.putArray("lines");
        int banned = 0;
        for (BomCheck.Verdict v : new BomCheck(engine).check(bom)) {
            lines.add(v.json());
            banned += v.banned() ? 1 : 0;
        }
        root.put("banned_lines", banned);
        send(ctx, 200, root);
    }

    private static LocalDate day(String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("\"as_of\" is a day (YYYY-MM-DD), got \"" + text
                    + "\"");
        }
    }

    private void newEnrolment(Context ctx) {
        Principal who = Objects.requireNonNull(ctx.attribute(PRINCIPAL));
        SiteEnrolment e = absent(() -> store.newEnrolment(ctx.pathParam("site"), who.actor(), ctx
                .ip()));
        send(ctx, 201, BatchJson.MAPPER.createObjectNode().put("site", e.site().name()).put(
                "enrolment_token", e.enrolmentToken()).put("expires", e.expires().toString()));
    }

    private void revokeAgents(Context ctx) {
        Principal who = Objects.requireNonNull(ctx.attribute(PRINCIPAL));
        String site = ctx.pathParam("site");
        int n = absent(() -> store.revokeAgents(site, who.actor(), ctx.ip()));
        send(ctx, 200, BatchJson.MAPPER.createObjectNode().put("site", site).put("revoked", n));
    }

    private void revokeUser(Context ctx) {
        Principal who = Objects.requireNonNull(ctx.attribute(PRINCIPAL));
        String name = ctx.pathParam("name");
        int n = absent(() -> store.revokeUserTokens(name, who.actor(), ctx.ip()));
        send(ctx, 200, BatchJson.MAPPER.createObjectNode().put("user", name).put("revoked", n));
    }

    /** Runs a change on a named site or user; an unknown name is a 404. */
    private static <T> T absent(java.util.function.Supplier<T> change) {
        try {
            return change.get();
        } catch (IllegalArgumentException e) {
            throw new ApiException(404, e.getMessage());
        }
    }

    private void auditLog(Context ctx) {
        int limit = (int) Math.min(10_000, query(ctx, "limit").map(v -> number(v, "limit"))
                .orElse(100L));
        ArrayNode out = BatchJson.MAPPER.createArrayNode();
        for (AuditEntry a : store.auditLog(limit)) {
            ObjectNode n = out.addObject().put("id", a.id()).put("at", a.at().toString()).put(
                    "actor", a.actor()).put("action", a.action());
            a.site().ifPresent(s -> n.put("site", s));
            n.put("source", a.source());
            n.set("detail", parse(a.detail()));
        }
        send(ctx, 200, out);
    }

    // --- plumbing -------------------------------------------------------------------------

    private static Optional<String> site(Context ctx) {
        return query(ctx, "site");
    }

    static Optional<String> query(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).map(String::strip).filter(v -> !v
                .isEmpty());
    }

    static long number(String text, String what) {
        try {
            long v = Long.parseLong(text);
            if (v < 1) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ApiException(400, "\"" + what + "\" is a positive number, got \"" + text
                    + "\"");
        }
    }

    static JsonNode jsonBody(Context ctx) {
        JsonNode n;
        try {
            n = BatchJson.MAPPER.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            throw new ApiException(400, "the body is not valid JSON");
        }
        if (n == null || !n.isObject()) {
            throw new ApiException(400, "the body is a JSON object");
        }
        return n;
    }

    private static JsonNode parse(String json) {
        try {
            return BatchJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return BatchJson.MAPPER.getNodeFactory().textNode(json);
        }
    }

    static void send(Context ctx, int status, JsonNode body) {
        try {
            ctx.status(status).contentType(JSON).result(BatchJson.MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static void refuse(Context ctx, int status, String message) {
        send(ctx, status, BatchJson.MAPPER.createObjectNode().put("error", message));
    }

    private static byte[] resource(String name) {
        try (InputStream in = ApiServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the server's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }
}
