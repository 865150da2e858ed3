package org.camaudit.server.dashboard;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camaudit.model.Finding;
import org.camaudit.report.DeviceServices;
import org.camaudit.report.DeviceSection;
import org.camaudit.report.ScanDiff;
import org.camaudit.rules.bom.BomCheck;
import org.camaudit.rules.bom.BomFile;
import org.camaudit.rules.findings.FindingEngine;
import org.camaudit.rules.findings.FindingPacks;
import org.camaudit.rules.findings.Policy;
import org.camaudit.server.dashboard.Views.BomResult;
import org.camaudit.server.dashboard.Views.DeviceDetail;
import org.camaudit.server.dashboard.Views.Review;
import org.camaudit.server.dashboard.Views.Viewer;
import org.camaudit.server.db.CentralStore;
import org.camaudit.server.db.Principal;
import org.camaudit.server.db.Views.SiteInfo;
import org.camaudit.server.db.Views.SiteScan;
import org.camaudit.server.http.FailedAttempts;

/**
 * The dashboard's pages, mounted in the API server's Javalin app outside {@code /api/}. A user
 * logs in with an API token and gets a session cookie (HttpOnly, Secure, SameSite=Strict); each
 * POST carries the session's CSRF token. Viewers read; auditors and admins also review findings.
 * The pages load nothing but their own style sheet and run no script.
 */
public final class Dashboard {
    static final String SESSION_COOKIE = "camaudit_session";
    static final String LOGIN_COOKIE = "camaudit_login";
    private static final String VIEWER = "camaudit.viewer";
    private static final String HTML = "text/html; charset=utf-8";
    /** How far ahead a risk may be accepted. */
    public static final int MAX_ACCEPT_DAYS = 3 * 366;
    /** The largest BOM the upload page checks. */
    static final int MAX_BOM_BYTES = 1 << 20;
    /** The severities' labels, worst first. */
    public static final java.util.List<String> SEVERITIES = java.util.Arrays.stream(
            Finding.Severity.values()).map(Finding.Severity::label).toList();
    private static final java.time.format.DateTimeFormatter TIME = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final CentralStore store;
    private final DashboardQueries db;
    private final WebSessions sessions;
    private final FailedAttempts attempts;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(null,
            ContentType.Html, Dashboard.class.getClassLoader(),
            "org.camaudit.server.dashboard.pages");
    private final byte[] css;

    private Dashboard(CentralStore store, FailedAttempts attempts) {
        this.store = store;
        this.db = new DashboardQueries(store.dataSource());
        this.sessions = new WebSessions(db);
        this.attempts = attempts;
        this.css = (resource("dashboard.css") + DeviceSection.CSS).getBytes(
                StandardCharsets.UTF_8);
    }

    /** Adds the pages, their guard and their error page to the server's configuration. */
    public static void mount(JavalinConfig cfg, CentralStore store, FailedAttempts attempts) {
        Dashboard d = new Dashboard(store, attempts);
        cfg.routes.beforeMatched(d::guard);
        cfg.routes.get("/dashboard.css", ctx -> ctx.contentType("text/css; charset=utf-8")
                .header("Cache-Control", "max-age=3600").result(d.css), PageAccess.ANYONE);
        cfg.routes.get("/login", d::loginPage, PageAccess.ANYONE);
        cfg.routes.post("/login", d::login, PageAccess.ANYONE);
        cfg.routes.post("/logout", d::logout, PageAccess.VIEWER);
        cfg.routes.get("/", ctx -> d.page(ctx, 200, "overview", Map.of("o", d.db.overview())),
                PageAccess.VIEWER);
        cfg.routes.get("/sites", ctx -> d.page(ctx, 200, "sites", Map.of("sites", d.db.sites())),
                PageAccess.VIEWER);
        cfg.routes.get("/devices", d::devices, PageAccess.VIEWER);
        cfg.routes.get("/devices/{site}/{key}", d::device, PageAccess.VIEWER);
        cfg.routes.post("/devices/{site}/{key}/review", d::review, PageAccess.AUDITOR);
        cfg.routes.get("/diff", d::diff, PageAccess.VIEWER);
        cfg.routes.get("/check-bom", ctx -> d.bomPage(ctx, 200, "", "", Optional.empty()),
                PageAccess.VIEWER);
        cfg.routes.post("/check-bom", d::checkBom, PageAccess.VIEWER);
        cfg.routes.exception(PageRefusal.class, d::refused);
    }

    // --- guard ----------------------------------------------------------------------------

    private void guard(Context ctx) {
        if (ctx.path().startsWith("/api/")) {
            return;
        }
        ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src"
                + " 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Cache-Control", "no-store");
        PageAccess access = ctx.routeRoles().stream().filter(PageAccess.class::isInstance).map(
                PageAccess.class::cast).findFirst().orElse(PageAccess.AUDITOR);
        if (access == PageAccess.ANYONE) {
            return;
        }
        Optional<Viewer> who = sessions.find(ctx.cookie(SESSION_COOKIE));
        if (who.isEmpty()) {
            String here = ctx.method() == HandlerType.GET
                    ? ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString())
                    : "/";
            throw PageRefusal.seeOther("/login?next=" + url(here));
        }
        Viewer v = who.get();
        ctx.attribute(VIEWER, v);
        if (ctx.method() == HandlerType.POST && !WebSessions.same(ctx.formParam("csrf"), v
                .csrf())) {
            throw new PageRefusal(403, "This form was not sent from this session's page (its CSRF"
                    + " token is missing or wrong). Reload the page and try again.");
        }
        if (access == PageAccess.AUDITOR && !v.mayReview()) {
            throw new PageRefusal(403, v.name() + " is a " + v.role().label()
                    + ": only an auditor or an admin may change the state of a finding.");
        }
    }

    private void refused(PageRefusal e, Context ctx) {
        if (e.redirect.isPresent()) {
            ctx.status(303).header("Location", e.redirect.get()).result("");
            return;
        }
        Map<String, Object> p = new HashMap<>();
        p.put("message", e.getMessage());
        p.put("status", e.status);
        page(ctx, e.status, "error", p);
    }

    // --- login ----------------------------------------------------------------------------

    private void loginPage(Context ctx) {
        if (sessions.find(ctx.cookie(SESSION_COOKIE)).isPresent()) {
            throw PageRefusal.seeOther(safeNext(ctx.queryParam("next")));
        }
        loginForm(ctx, 200, Optional.empty());
    }

    private void loginForm(Context ctx, int status, Optional<String> error) {
        String nonce = WebSessions.random();
        ctx.header("Set-Cookie", LOGIN_COOKIE + "=" + nonce
                + "; Path=/login; Max-Age=900; Secure; HttpOnly; SameSite=Strict");
        Map<String, Object> p = new HashMap<>();
        p.put("nonce", nonce);
        p.put("next", safeNext(Optional.ofNullable(ctx.formParam("next")).orElse(ctx.queryParam(
                "next"))));
        p.put("error", error.orElse(""));
        page(ctx, status, "login", p);
    }

    private void login(Context ctx) {
        String address = ctx.ip();
        if (attempts.blocked(address)) {
            ctx.header("Retry-After", Long.toString(attempts.retryAfterSeconds(address)));
            throw new PageRefusal(429, "Too many failed logins from " + address
                    + ". Try again later.");
        }
        if (!WebSessions.same(ctx.cookie(LOGIN_COOKIE), ctx.formParam("nonce"))) {
            loginForm(ctx, 403, Optional.of("The login form expired. Please try again."));
            return;
        }
        String token = Optional.ofNullable(ctx.formParam("token")).map(String::strip).orElse("");
        Optional<Principal> who = token.isEmpty()
                ? Optional.empty()
                : store.principal(token).filter(p -> p.kind() == Principal.Kind.USER);
        if (who.isEmpty()) {
            attempts.fail(address);
            loginForm(ctx, 401, Optional.of("That token is unknown, revoked, or not a user's."));
            return;
        }
        String id = sessions.open(token);
        db.write(conn -> {
            audit(conn, who.get().actor(), "dashboard.login", address);
            return null;
        });
        ctx.res().addHeader("Set-Cookie", SESSION_COOKIE + "=" + id
                + "; Path=/; Secure; HttpOnly; SameSite=Strict");
        ctx.res().addHeader("Set-Cookie", LOGIN_COOKIE
                + "=; Path=/login; Max-Age=0; Secure; HttpOnly; SameSite=Strict");
        throw PageRefusal.seeOther(safeNext(ctx.formParam("next")));
    }

    private void logout(Context ctx) {
        Viewer v = ctx.attribute(VIEWER);
        sessions.close(ctx.cookie(SESSION_COOKIE));
        db.write(conn -> {
            audit(conn, "user:" + v.name(), "dashboard.logout", ctx.ip());
            return null;
        });
        ctx.header("Set-Cookie", SESSION_COOKIE
                + "=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Strict");
        throw PageRefusal.seeOther("/login");
    }

    private static void audit(java.sql.Connection conn, String actor, String action,
            String source) throws java.sql.SQLException {
        DashboardQueries.update(conn, "INSERT INTO audit_log (actor, action, source, detail)"
                + " VALUES (?, ?, ?, '{}'::jsonb)", ps -> {
                    ps.setString(1, actor);
                    ps.setString(2, action);
                    ps.setString(3, source);
                });
    }

    /** Only a path of this server: never another host ({@code //x}, {@code /\x}, a scheme). */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith(
                "/\\") || next.length() > 1000 || next.chars().anyMatch(c -> c < 0x21)) {
            return "/";
        }
        return next;
    }

    // --- pages ----------------------------------------------------------------------------

    private void devices(Context ctx) {
        DeviceFilter filter;
        try {
            filter = DeviceFilter.of(ctx::queryParam);
            filter.severity().ifPresent(DashboardQueries::rank);
        } catch (IllegalArgumentException e) {
            throw new PageRefusal(400, "The device list cannot show that: " + e.getMessage());
        }
        Map<String, Object> p = new HashMap<>();
        p.put("list", db.devices(filter));
        p.put("choices", db.choices());
        page(ctx, 200, "devices", p);
    }

    private void device(Context ctx) {
        String site = ctx.pathParam("site");
        String key = ctx.pathParam("key");
        DeviceDetail d = db.device(site, key).orElseThrow(() -> new PageRefusal(404,
                "No device " + key + " at site " + site + "."));
        Viewer v = ctx.attribute(VIEWER);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String section = DeviceSection.html(d.identification(), new DeviceServices(d.tcpPorts(), d
                .protocols()), d.findings(), false, f -> reviewForm(d, f, v, today));
        Map<String, Object> p = new HashMap<>();
        p.put("d", d);
        p.put("section", section);
        p.put("today", today);
        page(ctx, 200, "device", p);
    }

    private String reviewForm(DeviceDetail d, Finding f, Viewer v, LocalDate today) {
        Map<String, Object> p = new HashMap<>();
        p.put("d", d);
        p.put("f", f);
        p.put("review", Optional.ofNullable(d.reviews().get(f.id())));
        p.put("viewer", v);
        p.put("today", today);
        StringOutput out = new StringOutput();
        templates.render("review.jte", p, out);
        return out.toString();
    }

    private void review(Context ctx) {
        Viewer v = ctx.attribute(VIEWER);
        String site = ctx.pathParam("site");
        String key = ctx.pathParam("key");
        String finding = Optional.ofNullable(ctx.formParam("finding")).orElse("");
        String action = Optional.ofNullable(ctx.formParam("action")).orElse("");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Optional<ReviewState> state;
        Optional<LocalDate> until = Optional.empty();
        Optional<String> reason = Optional.ofNullable(ctx.formParam("reason")).map(String::strip)
                .filter(s -> !s.isEmpty());
        switch (action) {
            case "acknowledge" -> state = Optional.of(ReviewState.ACKNOWLEDGED);
            case "replaced" -> state = Optional.of(ReviewState.REPLACED);
            case "reopen" -> state = Optional.empty();
            case "accept" -> {
                state = Optional.of(ReviewState.RISK_ACCEPTED);
                try {
                    until = Optional.of(LocalDate.parse(Optional.ofNullable(ctx.formParam(
                            "until")).orElse("").strip()));
                } catch (DateTimeParseException e) {
                    throw new PageRefusal(400, "Accepting a risk needs the date it ends"
                            + " (YYYY-MM-DD).");
                }
                if (!until.get().isAfter(today) || until.get().isAfter(today.plusDays(
                        MAX_ACCEPT_DAYS))) {
                    throw new PageRefusal(400, "A risk is accepted until a date after today and"
                            + " at most three years ahead, not " + until.get() + ".");
                }
                if (reason.isEmpty() || reason.get().length() > 500) {
                    throw new PageRefusal(400, "Accepting a risk needs a reason of 1 to 500"
                            + " characters.");
                }
            }
            default -> throw new PageRefusal(400, "Unknown action \"" + action
                    + "\": acknowledge, accept, replaced or reopen.");
        }
        if (!action.equals("accept")) {
            reason = reason.filter(r -> r.length() <= 500);
        }
        if (!db.review(site, key, finding, state, until, reason, "user:" + v.name(), ctx.ip())) {
            throw new PageRefusal(404, "No finding " + finding + " on device " + key + " at site "
                    + site + ".");
        }
        throw PageRefusal.seeOther(devicePath(site, key) + "#finding-" + url(finding));
    }

    /**
     * {@code GET /diff?site=&from=&to=}: a site's scans to choose from and, once two are chosen
     * (by default its two newest), what {@link CentralStore#diff} says changed between them.
     */
    private void diff(Context ctx) {
        Map<String, Object> p = new HashMap<>();
        p.put("sites", store.sites().stream().map(SiteInfo::name).toList());
        Optional<String> siteName = param(ctx, "site");
        p.put("site", siteName);
        List<SiteScan> scans = List.of();
        Optional<ScanDiff> diff = Optional.empty();
        Optional<SiteScan> from = Optional.empty();
        Optional<SiteScan> to = Optional.empty();
        if (siteName.isPresent()) {
            SiteInfo site = store.site(siteName.get()).orElseThrow(() -> new PageRefusal(404,
                    "No site named " + siteName.get() + "."));
            scans = store.siteScans(Optional.of(site.id()));
            Optional<String> fromParam = param(ctx, "from");
            Optional<String> toParam = param(ctx, "to");
            if (fromParam.isPresent() || toParam.isPresent()) {
                from = Optional.of(scanOf(scans, site, fromParam, "from"));
                to = Optional.of(scanOf(scans, site, toParam, "to"));
            } else if (scans.size() >= 2) {
                from = Optional.of(scans.get(1));
                to = Optional.of(scans.get(0));
            }
            if (from.isPresent()) {
                diff = Optional.of(store.diff(site.id(), from.get().scan().id(), to.get().scan()
                        .id()));
            }
        }
        p.put("scans", scans);
        p.put("from", from);
        p.put("to", to);
        p.put("diff", diff);
        page(ctx, 200, "diff", p);
    }

    private static SiteScan scanOf(List<SiteScan> scans, SiteInfo site, Optional<String> id,
            String what) {
        String text = id.orElseThrow(() -> new PageRefusal(400, "Choose both scans to compare ("
                + what + " is missing)."));
        long n;
        try {
            n = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new PageRefusal(400, "The " + what + " scan must be a scan number, not \""
                    + text + "\".");
        }
        return scans.stream().filter(s -> s.scan().id() == n).findFirst().orElseThrow(
                () -> new PageRefusal(404, "Site " + site.name() + " has no scan #" + n + "."));
    }

    /**
     * {@code POST /check-bom}: a bill of materials (an uploaded CSV file, else the pasted text)
     * checked by the shared {@link BomCheck} against the shipped policy packs as of today, as
     * the API's {@code check-bom} does without a policy filter.
     */
    private void checkBom(Context ctx) {
        UploadedFile file = ctx.uploadedFile("bom");
        String name = file != null && file.size() > 0 ? file.filename() : "the pasted BOM";
        String text;
        if (file != null && file.size() > 0) {
            if (file.size() > MAX_BOM_BYTES) {
                throw new PageRefusal(413, "That BOM is " + file.size() + " bytes; the page"
                        + " takes at most " + MAX_BOM_BYTES + ".");
            }
            try (InputStream in = file.content()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the uploaded BOM", e);
            }
        } else {
            text = Optional.ofNullable(ctx.formParam("text")).orElse("");
        }
        if (text.length() > MAX_BOM_BYTES) {
            throw new PageRefusal(413, "That BOM is longer than " + MAX_BOM_BYTES
                    + " characters.");
        }
        if (text.isBlank()) {
            bomPage(ctx, 400, text, "Choose a CSV file or paste the BOM's lines.", Optional
                    .empty());
            return;
        }
        BomFile bom;
        try {
            bom = BomFile.parse(text, name);
        } catch (IllegalArgumentException e) {
            bomPage(ctx, 400, text, e.getMessage(), Optional.empty());
            return;
        }
        FindingEngine engine = new FindingEngine(FindingPacks.shipped(), List.of(), LocalDate.now(
                ZoneOffset.UTC));
        bomPage(ctx, 200, text, "", Optional.of(new BomResult(name, engine.policies().stream()
                .map(Policy::id).toList(), engine.today(), new BomCheck(engine).check(bom))));
    }

    private void bomPage(Context ctx, int status, String text, String error,
            Optional<BomResult> result) {
        Map<String, Object> p = new HashMap<>();
        p.put("text", text);
        p.put("error", error);
        p.put("result", result);
        page(ctx, status, "checkbom", p);
    }

    private static Optional<String> param(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).map(String::strip).filter(v -> !v
                .isEmpty());
    }

    // --- plumbing -------------------------------------------------------------------------

    private void page(Context ctx, int status, String name, Map<String, Object> params) {
        Map<String, Object> p = new HashMap<>(params);
        p.put("viewer", Optional.ofNullable((Viewer) ctx.attribute(VIEWER)));
        StringOutput out = new StringOutput(16 * 1024);
        templates.render(name + ".jte", p, out);
        ctx.status(status).contentType(HTML).result(out.toString());
    }

    /** A severity's colour (grey for anything else). */
    public static String severityColour(String label) {
        int i = SEVERITIES.indexOf(label);
        return i < 0 ? "#9e9e9e" : DeviceSection.colour(Finding.Severity.values()[i]);
    }

    /** A time as the pages show it. */
    public static String time(java.time.Instant t) {
        return TIME.format(t);
    }

    /** The day of a time. */
    public static String day(java.time.Instant t) {
        return t.atZone(ZoneOffset.UTC).toLocalDate().toString();
    }

    /** Counts by severity (worst first) as {@code 2 critical, 1 high}; zeros left out. */
    public static String severitySummary(java.util.List<Long> counts) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (int i = 0; i < counts.size() && i < SEVERITIES.size(); i++) {
            if (counts.get(i) > 0) {
                parts.add(counts.get(i) + " " + SEVERITIES.get(i));
            }
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    /** The device page's path. */
    public static String devicePath(String site, String key) {
        return "/devices/" + url(site) + "/" + url(key);
    }

    /** A value for a URL's path or query. */
    public static String url(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String resource(String name) {
        try (InputStream in = Dashboard.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the server's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }
}
