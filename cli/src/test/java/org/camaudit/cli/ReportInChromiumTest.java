package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import org.camaudit.model.Evidence;
import org.camaudit.model.Identification;
import org.camaudit.report.Format;
import org.camaudit.report.ReportData;
import org.camaudit.report.Reports;
import org.camaudit.store.ObservationLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The HTML report of the demo's scan (with the manifest's findings and one hostile device) in a
 * real headless Chromium: it loads without console errors, the table holds every device, the
 * filters hide what does not match, and headers sort. Skipped when Debian's chromium and
 * chromium-driver are not installed.
 */
class ReportInChromiumTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    static Path data;
    static ChromeDriver driver;
    static int devices;
    static int critical;

    @BeforeAll
    static void openReport() throws Exception {
        assumeThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)).as(
                "headless Chromium test skipped: install Debian's chromium and chromium-driver"
                        + " (/usr/bin/chromium, /usr/bin/chromedriver)")
                .isTrue();
        CliRun run = CliRun.of("demo", "--devices", "40", "--range", "127.91.0.0/24", "--seed",
                "6", "--quiet", "--data-dir", data.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        ReportData report;
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            report = ReportCommand.collect(log, 1, new ManifestFindings(data.resolve(
                    "demo-manifest.jsonl")), Clock.systemUTC());
        }
        List<Identification> ids = new ArrayList<>(report.identifications());
        ids.add(new Identification("127.91.0.250", Optional.empty(), Optional.of(
                "<script>alert('brand')</script>"), Optional.of("Dahua"),
                Optional.of(
                        "<img src=x onerror=alert('model')>"),
                Optional.of("\"><svg onload=alert(1)>"),
                Optional.of("ip-camera"), 0.4, true, List.of(new Evidence("dahua-http-title",
                        "http.title", "</title><script>alert('title')</script>", "platform=Dahua",
                        0.4)),
                List.of("</details><script>alert('conflict')</script>")));
        report = new ReportData(report.scan(), ids, report.findings(), report.services(), report
                .generated(), report.toolVersion());
        devices = ids.size();
        critical = (int) report.findings().stream().filter(f -> f.severity().name().equals(
                "CRITICAL")).map(f -> f.address()).distinct().count();
        Path html = data.resolve("report.html");
        try (OutputStream out = Files.newOutputStream(html)) {
            Reports.write(report, Format.HTML, out);
        }
        Files.createDirectories(Path.of("target"));
        Files.copy(html, Path.of("target", "reports-demo.html"),
                StandardCopyOption.REPLACE_EXISTING);

        // the Debian driver and browser, never anything Selenium Manager would download
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1400,1800",
                "--user-data-dir=" + Files.createDirectories(data.resolve("chromium-profile")));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(
                CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        driver.get(html.toUri().toString());
    }

    @AfterAll
    static void close() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void loadsWithoutConsoleErrorsOrInjectedScript() throws Exception {
        List<LogEntry> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(severe).isEmpty();
        assertThat(driver.getTitle()).isEqualTo("camaudit report \u2014 scan 1");
        try {
            driver.switchTo().alert();
            throw new AssertionError("a device string ran as script");
        } catch (NoAlertPresentException expected) {
            // escaped text, not script
        }
        assertThat(driver.findElements(By.tagName("script"))).hasSize(1);
        assertThat(driver.findElement(By.id("device-table")).getText()).contains(
                "<script>alert('brand')</script>");
        Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target", "reports-chromium.png"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void tableHasEveryDeviceAndTheFiltersHideWhatDoesNotMatch() {
        reset();
        assertThat(rows()).hasSize(devices);
        assertThat(visible()).hasSize(devices);
        assertThat(text("shown-count")).isEqualTo(devices + " of " + devices + " devices shown");

        WebElement box = driver.findElement(By.id("filter-text"));
        box.sendKeys("hikvision");
        List<WebElement> shown = visible();
        assertThat(shown).isNotEmpty().hasSizeLessThan(devices);
        for (WebElement r : rows()) {
            boolean matches = r.getAttribute("textContent").toLowerCase(Locale.ROOT).contains(
                    "hikvision");
            assertThat(r.isDisplayed()).as(r.getAttribute("textContent")).isEqualTo(matches);
        }
        assertThat(text("shown-count")).startsWith(shown.size() + " of ");
        box.clear();
        box.sendKeys("no device is called this");
        assertThat(visible()).isEmpty();
        reset();

        choose("filter-severity", "critical");
        assertThat(visible()).hasSize(critical).allMatch(r -> "critical".equals(r.getAttribute(
                "data-severity")));
        choose("filter-severity", "");
        choose("filter-platform", "Dahua");
        assertThat(visible()).isNotEmpty().allMatch(r -> "Dahua".equals(r.getAttribute(
                "data-platform")));
        reset();
    }

    @Test
    void clickingAHeaderSorts() {
        reset();
        WebElement address = header("Address");
        address.click();
        List<String> up = column(0);
        assertThat(up).isSorted();
        address.click();
        List<String> down = column(0);
        assertThat(down).isEqualTo(up.reversed());

        header("Platform").click();
        List<String> platforms = visible().stream().map(r -> r.findElements(By.tagName("td")).get(3)
                .getText().toLowerCase(Locale.ROOT)).toList();
        assertThat(platforms).isSorted();
        header("Worst").click();
        List<String> worst = visible().stream().map(r -> r.getAttribute("data-severity")).toList();
        assertThat(worst.get(0)).isEqualTo("critical");
        assertThat(worst.get(worst.size() - 1)).isEqualTo("none");
    }

    private static void reset() {
        driver.findElement(By.id("filter-text")).clear();
        ((JavascriptExecutor) driver).executeScript(
                "document.getElementById('filter-text').dispatchEvent(new Event('input'));");
        choose("filter-severity", "");
        choose("filter-platform", "");
    }

    /** Picks an option the way a user does: by clicking it. */
    private static void choose(String select, String value) {
        driver.findElement(By.cssSelector("#" + select + " option[value='" + value + "']")).click();
    }

    private static WebElement header(String name) {
        return driver.findElements(By.cssSelector("#device-table thead th")).stream().filter(
                h -> h.getText().startsWith(name)).findFirst().orElseThrow();
    }

    private static List<WebElement> rows() {
        return driver.findElements(By.cssSelector("#device-table tbody tr"));
    }

    private static List<WebElement> visible() {
        return rows().stream().filter(WebElement::isDisplayed).toList();
    }

    private static List<String> column(int index) {
        return visible().stream().map(r -> r.findElements(By.tagName("td")).get(index)
                .getAttribute("data-sort")).toList();
    }

    private static String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }
}
