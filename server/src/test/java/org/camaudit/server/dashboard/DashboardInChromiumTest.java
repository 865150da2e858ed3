package org.camaudit.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import org.camaudit.model.Identification;
import org.camaudit.report.ScanDiff;
import org.camaudit.rules.bom.BomCheck;
import org.camaudit.rules.bom.BomFile;
import org.camaudit.rules.findings.FindingEngine;
import org.camaudit.rules.findings.FindingPacks;
import org.camaudit.server.agent.PinnedCertificate;
import org.camaudit.server.db.CentralStore;
import org.camaudit.server.db.LocalPostgres;
import org.camaudit.server.db.PostgresExtension;
import org.camaudit.server.db.Principal;
import org.camaudit.server.db.Role;
import org.camaudit.server.db.Views.SiteInfo;
import org.camaudit.server.db.Views.SiteScan;
import org.camaudit.server.http.ApiServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard as a person uses it, in Debian's headless Chromium, against a real server on a
 * real PostgreSQL filled by an agent's batches: log in, read the overview and the sites, filter
 * and sort the devices, open a device, acknowledge a finding and see it, accept a risk until a
 * date, see the state kept on the device's next scan, log out; a viewer reads but is refused a
 * change. Screenshots go to target/dashboard (and to docs/dashboard with
 * {@code -Dcamaudit.screenshots=docs}). Skipped without chromium and chromium-driver.
 */
@ExtendWith(PostgresExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardInChromiumTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    static Path dataDir;
    static CentralStore store;
    static ApiServer server;
    static ChromeDriver driver;
    static DemoFleet fleet;
    static Principal plant;
    static String base;
    static String viewerToken;
    static String auditorToken;
    static String agentCredential;

    @BeforeAll
    static void start(LocalPostgres pg) throws Exception {
        assumeThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)).as(
                "headless Chromium test skipped: install Debian's chromium and chromium-driver")
                .isTrue();
        store = CentralStore.open(pg.settings());
        server = ApiServer.start(store, ApiServer.Settings.of("127.0.0.1", 0, dataDir));
        base = "https://127.0.0.1:" + server.port();
        viewerToken = store.addUser("vera", Role.VIEWER, "test", "test");
        auditorToken = store.addUser("aude", Role.AUDITOR, "test", "test");
        fleet = new DemoFleet(store);
        plant = fleet.site("plant-7");
        fleet.scan(plant, 1, 95, 38);
        fleet.scan(plant, 2, 95, 40);
        Principal hq = fleet.site("hq");
        fleet.scan(hq, 1, 96, 21);
        String enrol = store.addSite("annex", "user:test", "test").enrolmentToken();
        agentCredential = store.enrol(enrol, "annex-agent", "test").orElseThrow().credential();

        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.setAcceptInsecureCerts(true); // the server's self-signed certificate
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                "--user-data-dir=" + Files.createDirectories(dataDir.resolve("profile")));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(
                CHROMEDRIVER.toFile()).usingAnyFreePort().build(), options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
        if (store != null) {
            store.close();
        }
    }

    @Test
    @Order(1)
    void aStrangerIsSentToTheLoginPageAndABadTokenOrAnAgentIsRefused() throws Exception {
        driver.get(base + "/devices?site=plant-7");
        assertThat(driver.getCurrentUrl()).startsWith(base + "/login?next=");
        shot("login");
        logIn("cau_not-a-token");
        assertThat(text("login-error")).contains("unknown");
        logIn(agentCredential);
        assertThat(text("login-error")).contains("unknown");
        assertThat(driver.findElements(By.id("who"))).isEmpty();
    }

    @Test
    @Order(2)
    void anAuditorLogsInWithASecureCookieAndSeesTheOverview() throws Exception {
        driver.get(base + "/login");
        severeConsoleLines(); // the refusals of the test before, read and dropped
        logIn(auditorToken);
        assertThat(text("who")).isEqualTo("aude (auditor)");
        Cookie c = driver.manage().getCookieNamed(Dashboard.SESSION_COOKIE);
        assertThat(c.isHttpOnly()).isTrue();
        assertThat(c.isSecure()).isTrue();
        assertThat(c.getSameSite()).isEqualTo("Strict");

        driver.get(base + "/");
        assertThat(severeConsoleLines()).isEmpty();
        assertThat(text("count-devices")).startsWith("61");
        assertThat(text("count-sites")).startsWith("3");
        long critical = Long.parseLong(store.column("SELECT count(*) FROM finding f JOIN device d"
                + " ON d.site_id = f.site_id AND d.device_key = f.device_key AND d.last_scan_id ="
                + " f.scan_id WHERE f.severity = 'critical'").getFirst());
        assertThat(text("open-critical")).startsWith(Long.toString(critical));
        assertThat(driver.findElements(By.cssSelector("#chart-maker svg rect"))).isNotEmpty();
        assertThat(driver.findElements(By.cssSelector("#chart-trend svg rect"))).isNotEmpty();
        assertThat(driver.findElement(By.id("by-site")).getText()).contains("plant-7").contains(
                "hq").contains("annex");
        shot("overview");

        go(driver.findElement(By.id("nav-sites")));
        WebElement row = driver.findElement(By.cssSelector("#sites tr[data-site='plant-7']"));
        String last = store.column("SELECT max(c.id) FROM scan c JOIN site s ON s.id = c.site_id"
                + " WHERE s.name = 'plant-7'").getFirst();
        assertThat(row.getText()).contains("#" + last + ", 2026-11-09 09:00 UTC, complete 40");
        assertThat(Long.parseLong(row.findElement(By.cssSelector("td.critical")).getText()))
                .isPositive();
        assertThat(Long.parseLong(row.findElement(By.cssSelector("td.replace")).getText()))
                .isPositive();
        shot("sites");
    }

    @Test
    @Order(3)
    void filtersAndSortsTheDevicesOnTheServer() throws Exception {
        driver.get(base + "/devices");
        assertThat(text("shown")).startsWith("61 devices");
        choose("filter-site", "plant-7");
        choose("filter-maker", "Hikvision");
        go(driver.findElement(By.id("apply")));
        assertThat(driver.getCurrentUrl()).contains("site=plant-7").contains("maker=Hikvision");
        List<WebElement> rows = rows();
        long expected = Long.parseLong(store.column("SELECT count(*) FROM device d JOIN site s ON"
                + " s.id = d.site_id JOIN identification i ON i.site_id = d.site_id AND i.scan_id"
                + " = d.last_scan_id AND i.device_key = d.device_key WHERE s.name = 'plant-7' AND"
                + " i.platform = 'Hikvision'").getFirst());
        assertThat(rows).hasSize((int) expected);
        assertThat(rows).allMatch(r -> "Hikvision".equals(r.getAttribute("data-platform"))
                && "plant-7".equals(r.getAttribute("data-site")));
        assertThat(text("shown")).startsWith(expected + " devices match");

        go(driver.findElement(By.id("sort-worst")));
        List<String> worst = rows().stream().map(r -> r.getAttribute("data-worst")).toList();
        assertThat(worst.getFirst()).isEqualTo("critical");
        assertThat(worst).isSortedAccordingTo((a, b) -> Dashboard.SEVERITIES.indexOf(a)
                - Dashboard.SEVERITIES.indexOf(b));
        assertThat(driver.findElement(By.id("filter-maker")).getAttribute("value")).isEqualTo(
                "Hikvision");
        shot("devices");

        driver.get(base + "/devices?size=10");
        assertThat(rows()).hasSize(10);
        go(driver.findElement(By.id("next")));
        assertThat(text("pager")).contains("page 2 of 7");
    }

    @Test
    @Order(4)
    void anAuditorAcknowledgesAFindingAndAcceptsARiskAndSeesBoth() throws Exception {
        openDevice("plant-7", "127.95.0.2");
        assertThat(text("device-title")).startsWith("127.95.0.2");
        String page = text("device");
        assertThat(page).contains("Hikvision").contains("DS-2CD2143G0-I").contains("80, 554")
                .contains("Pub. L. 115-232, §889(f)(3)(A)").contains("replace: Replace the device")
                .contains("CVE-2021-36260");
        assertThat(driver.findElements(By.cssSelector("#history tbody tr"))).hasSize(2);
        assertThat(state("ndaa-889")).isEqualTo("open");

        go(finding("ndaa-889").findElement(By.cssSelector("button.acknowledge")));
        assertThat(driver.getCurrentUrl()).contains("#finding-ndaa-889");
        assertThat(state("ndaa-889")).isEqualTo("acknowledged");
        assertThat(finding("ndaa-889").getText()).contains("acknowledged by user:aude");
        assertThat(text("changes")).contains("user:aude").contains("ndaa-889").contains(
                "acknowledged");

        LocalDate until = LocalDate.now(ZoneOffset.UTC).plusDays(30);
        WebElement accept = finding("CVE-2021-36260").findElement(By.cssSelector("form.accept"));
        ((JavascriptExecutor) driver).executeScript("arguments[0].value = arguments[1];", accept
                .findElement(By.cssSelector("input.until")), until.toString());
        accept.findElement(By.cssSelector("input.reason")).sendKeys(
                "isolated VLAN until the firmware update window");
        go(accept.findElement(By.cssSelector("button.accept")));
        assertThat(state("CVE-2021-36260")).isEqualTo("risk-accepted");
        assertThat(finding("CVE-2021-36260").getText()).contains("until " + until).contains(
                "isolated VLAN");
        shot("device");

        List<String> audit = store.column("SELECT actor || ' ' || (detail->>'finding') || ' ' ||"
                + " (detail->>'state') FROM audit_log WHERE action = 'finding.review' ORDER BY id");
        assertThat(audit).containsExactly("user:aude ndaa-889 acknowledged",
                "user:aude CVE-2021-36260 risk-accepted");
    }

    @Test
    @Order(5)
    void theStateIsShownOnTheDevicesNextScan() throws Exception {
        fleet.scan(plant, 3, 95, 40);
        openDevice("plant-7", "127.95.0.2");
        assertThat(driver.findElements(By.cssSelector("#history tbody tr"))).hasSize(3);
        assertThat(driver.findElement(By.cssSelector("#history tbody tr")).getText()).startsWith(
                "#" + store.column("SELECT max(id) FROM scan").getFirst());
        assertThat(state("ndaa-889")).isEqualTo("acknowledged");
        assertThat(state("CVE-2021-36260")).isEqualTo("risk-accepted");
        assertThat(state("fcc-covered-list")).isEqualTo("open");
    }

    @Test
    @Order(6)
    void loggingOutEndsTheSession() {
        go(driver.findElement(By.id("logout")));
        assertThat(driver.getCurrentUrl()).isEqualTo(base + "/login");
        driver.get(base + "/");
        assertThat(driver.getCurrentUrl()).startsWith(base + "/login");
        assertThat(store.column("SELECT count(*) FROM web_session")).containsExactly("0");
    }

    @Test
    @Order(7)
    void aViewerReadsButIsRefusedAChange() throws Exception {
        driver.get(base + "/login");
        logIn(viewerToken);
        openDevice("plant-7", "127.95.0.2");
        assertThat(state("ndaa-889")).isEqualTo("acknowledged");
        assertThat(driver.findElements(By.cssSelector("form.review"))).isEmpty();
        assertThat(finding("ndaa-889").getText()).contains("Read-only");
        shot("device-viewer");

        // the same form sent anyway, with the viewer's own session and CSRF token
        String session = driver.manage().getCookieNamed(Dashboard.SESSION_COOKIE).getValue();
        String csrf = driver.findElement(By.cssSelector("header form input[name=csrf]"))
                .getAttribute("value");
        HttpClient http = HttpClient.newBuilder().sslContext(PinnedCertificate.context(server
                .certificate().fingerprint())).build();
        String path = Dashboard.devicePath("plant-7", "127.95.0.2") + "/review";
        HttpResponse<String> refused = post(http, path, session, "csrf=" + csrf
                + "&finding=ndaa-889&action=replaced");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("vera is a viewer");
        HttpResponse<String> noCsrf = post(http, "/logout", session, "csrf=wrong");
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        driver.navigate().refresh();
        assertThat(state("ndaa-889")).isEqualTo("acknowledged");
        assertThat(store.column("SELECT state FROM finding_review WHERE finding_id = 'ndaa-889'"))
                .containsExactly("acknowledged");
    }

    @Test
    @Order(8)
    void theDiffPageShowsWhatScanDiffSaysAboutTwoScansOfASite() throws Exception {
        SiteInfo site = store.site("plant-7").orElseThrow();
        List<SiteScan> scans = store.siteScans(Optional.of(site.id()));
        long first = agentScan(scans, 1);
        long second = agentScan(scans, 2);
        ScanDiff expected = store.diff(site.id(), first, second);
        // DemoFleet's second plant-7 scan has 40 devices where the first had 38
        assertThat(expected.added()).extracting(Identification::deviceKey).contains(
                "127.95.0.40");

        driver.get(base + "/");
        go(driver.findElement(By.id("nav-diff")));
        choose("filter-site", "plant-7");
        go(driver.findElement(By.id("diff-go")));
        choose("diff-from", Long.toString(first));
        choose("diff-to", Long.toString(second));
        go(driver.findElement(By.id("diff-go")));
        assertThat(driver.getCurrentUrl()).contains("site=plant-7").contains("from=" + first)
                .contains("to=" + second);
        assertThat(keys("#diff-added tbody tr")).containsExactlyElementsOf(expected.added()
                .stream().map(Identification::deviceKey).toList()).contains("127.95.0.40");
        assertThat(keys("#diff-removed tbody tr")).hasSize(expected.removed().size());
        assertThat(keys("#diff-changed tbody tr")).hasSize(expected.changed().stream().mapToInt(
                c -> c.fields().size()).sum());
        assertThat(driver.findElements(By.cssSelector("#diff-fresh tbody tr")).stream().map(
                r -> r.getAttribute("data-device") + " " + r.getAttribute("data-finding"))
                .toList()).containsExactlyElementsOf(expected.fresh().stream()
                        .map(f -> f
                                .deviceKey() + " " + f.id())
                        .toList());
        assertThat(text("diff-summary")).contains(expected.added().size() + " new device(s)");
        assertThat(severeConsoleLines()).isEmpty();
        shot("diff");

        driver.get(base + "/diff?site=plant-7&from=" + first + "&to=999999");
        assertThat(driver.getPageSource()).contains("has no scan #999999");
        // reading the browser's log empties it: the one severe line is that page's 404
        assertThat(severeConsoleLines()).singleElement().asString().contains("404");
    }

    @Test
    @Order(9)
    void anUploadedBomGetsTheVerdictsOfTheSharedBomCheck() throws Exception {
        String csv = "Brand,Model,Quantity,Supplier\nHikvision,DS-2CD2143G0-I,12,Acme Security\n"
                + "Axis,P3245-V,4,Acme Security\n";
        Path file = Files.writeString(dataDir.resolve("cameras.csv"), csv);
        List<BomCheck.Verdict> expected = new BomCheck(new FindingEngine(FindingPacks.shipped(),
                List.of(), LocalDate.now(ZoneOffset.UTC))).check(BomFile.parse(csv, "cameras.csv"));
        assertThat(expected).extracting(BomCheck.Verdict::banned).containsExactly(true, false);

        driver.get(base + "/");
        go(driver.findElement(By.id("nav-check-bom")));
        driver.findElement(By.id("bom-file")).sendKeys(file.toAbsolutePath().toString());
        go(driver.findElement(By.id("bom-go")));
        List<WebElement> rows = driver.findElements(By.cssSelector("#bom-verdicts tbody tr"));
        assertThat(rows).hasSize(expected.size());
        for (int i = 0; i < rows.size(); i++) {
            WebElement row = rows.get(i);
            BomCheck.Verdict v = expected.get(i);
            assertThat(row.getAttribute("data-line")).isEqualTo(Integer.toString(v.line()
                    .number()));
            assertThat(row.getAttribute("data-verdict")).isEqualTo(v.banned()
                    ? "banned"
                    : "not-covered");
            assertThat(row.getAttribute("data-policies")).isEqualTo(String.join(",", v.bans()
                    .keySet()));
            for (var ban : v.bans().entrySet()) {
                assertThat(row.findElement(By.cssSelector(".ban[data-policy='" + ban.getKey()
                        + "'] .citation")).getText()).isEqualTo(ban.getValue().citation()
                                .orElse(""));
            }
        }
        assertThat(text("bom-summary")).startsWith("cameras.csv: 2 line(s), 1 banned");
        assertThat(severeConsoleLines()).isEmpty();
        shot("check-bom");

        // the same lines pasted instead of uploaded; then a text with no header is refused
        go(driver.findElement(By.id("nav-check-bom")));
        driver.findElement(By.id("bom-text")).sendKeys(csv);
        go(driver.findElement(By.id("bom-go")));
        assertThat(driver.findElements(By.cssSelector("#bom-verdicts tbody tr")).stream().map(
                r -> r.getAttribute("data-verdict")).toList()).containsExactly("banned",
                        "not-covered");
        WebElement box = driver.findElement(By.id("bom-text"));
        box.clear();
        box.sendKeys("just,some\ncells,here\n");
        go(driver.findElement(By.id("bom-go")));
        assertThat(text("bom-error")).contains("no header row");

        // a file over the page's limit gets a clear refusal, not a half-checked BOM
        Path big = Files.writeString(dataDir.resolve("big.csv"), "Brand,Model\n" + "Axis,P3245-V\n"
                .repeat(Dashboard.MAX_BOM_BYTES / 13 + 1));
        go(driver.findElement(By.id("nav-check-bom")));
        driver.findElement(By.id("bom-file")).sendKeys(big.toAbsolutePath().toString());
        go(driver.findElement(By.id("bom-go")));
        assertThat(driver.getPageSource()).contains("takes at most " + Dashboard.MAX_BOM_BYTES)
                .doesNotContain("bom-verdicts");
        // the browser logs the two refusals: the text without a header (400), the big file (413)
        assertThat(severeConsoleLines()).hasSize(2).satisfiesExactly(e -> assertThat(e
                .toString()).contains("status of 400"), e -> assertThat(e.toString()).contains(
                        "status of 413"));

        // a POST without this session's CSRF token is refused
        String session = driver.manage().getCookieNamed(Dashboard.SESSION_COOKIE).getValue();
        HttpClient http = HttpClient.newBuilder().sslContext(PinnedCertificate.context(server
                .certificate().fingerprint())).build();
        HttpResponse<String> noCsrf = post(http, "/check-bom", session, "csrf=wrong&text="
                + Dashboard.url(csv));
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        assertThat(noCsrf.body()).contains("CSRF").doesNotContain("bom-verdicts");
    }

    private static long agentScan(List<SiteScan> scans, long n) {
        return scans.stream().filter(s -> s.scan().agentScan() == n).findFirst().orElseThrow()
                .scan().id();
    }

    private static List<String> keys(String rows) {
        return driver.findElements(By.cssSelector(rows)).stream().map(r -> r.getAttribute(
                "data-device")).toList();
    }

    private static HttpResponse<String> post(HttpClient http, String path, String session,
            String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Cookie",
                Dashboard.SESSION_COOKIE + "=" + session).header("Content-Type",
                        "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers
                        .ofString());
    }

    private static void logIn(String token) {
        WebElement box = driver.findElement(By.id("token"));
        box.clear();
        box.sendKeys(token);
        go(driver.findElement(By.id("login")));
    }

    /**
     * Clicks something that loads another page, and returns once that page has replaced this
     * one and finished loading (a click returns before the navigation it starts).
     */
    private static void go(WebElement target) {
        WebElement before = driver.findElement(By.tagName("html"));
        target.click();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                before.isEnabled();
            } catch (WebDriverException gone) {
                // while the old document is torn down, chromedriver may say its node "does not
                // belong to the document" instead of stale: both mean it has been replaced
                if (!(gone instanceof StaleElementReferenceException) && !String.valueOf(gone
                        .getMessage()).contains("does not belong to the document")) {
                    throw gone;
                }
                if ("complete".equals(((JavascriptExecutor) driver).executeScript(
                        "return document.readyState;"))) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no new page within the page-load timeout");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void openDevice(String site, String address) {
        driver.get(base + "/devices?site=" + site);
        go(driver.findElement(By.linkText(address)));
    }

    private static WebElement finding(String id) {
        return driver.findElement(By.cssSelector("#device .finding[data-finding='" + id + "']"));
    }

    private static String state(String finding) {
        return finding(finding).findElement(By.cssSelector(".state")).getAttribute("data-state");
    }

    private static void choose(String select, String value) {
        driver.findElement(By.cssSelector("#" + select + " option[value='" + value + "']")).click();
    }

    private static List<WebElement> rows() {
        return driver.findElements(By.cssSelector("#device-table tbody tr"));
    }

    private static String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    private static List<?> severeConsoleLines() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().filter(e -> e
                .getLevel().intValue() >= Level.SEVERE.intValue()).toList();
    }

    private static void shot(String name) throws Exception {
        Path png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Path dir = Files.createDirectories(Path.of("target", "dashboard"));
        Files.copy(png, dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        if ("docs".equals(System.getProperty("camaudit.screenshots"))) {
            Path docs = Files.createDirectories(Path.of("..", "docs", "dashboard"));
            Files.copy(png, docs.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
