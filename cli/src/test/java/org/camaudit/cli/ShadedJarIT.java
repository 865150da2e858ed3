package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as the launcher runs it ({@code java -jar camaudit.jar}): a dependency missing
 * from it (a scope that hides it from the shade plugin) fails here, not in a user's hands. Runs
 * after {@code package}, in {@code mvn verify}.
 */
class ShadedJarIT {
    @TempDir
    Path data;

    private String run(String... args) throws Exception {
        Path jar = Path.of(System.getProperty("camaudit.jar", "target/camaudit.jar"));
        assertThat(jar).exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        return exec(cmd, args);
    }

    /** Runs {@code cmd} to its end (3 minutes at most), expects exit 0, returns what it printed. */
    private String exec(List<String> cmd, String... args) throws Exception {
        Path log = Files.createTempFile(data, "out", ".txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(log);
        assertThat(p.exitValue()).as(String.join(" ", args) + ":\n" + out).isZero();
        return out;
    }

    @Test
    void demoAndEveryReportFormatRunFromTheShadedJar() throws Exception {
        assertThat(run("--version")).startsWith("camaudit ");
        String d = data.toString();
        assertThat(run("demo", "--devices", "12", "--range", "127.97.0.0/24", "--quiet",
                "--data-dir", d)).contains("12 hosts up");
        for (String format : List.of("html", "pdf", "csv", "json", "cyclonedx")) {
            Path out = data.resolve("report." + format);
            run("report", "--format", format, "--out", out.toString(), "--data-dir", d);
            assertThat(Files.size(out)).as(format).isPositive();
        }
        assertThat(Files.readString(data.resolve("report.pdf"),
                java.nio.charset.StandardCharsets.ISO_8859_1)).startsWith("%PDF-");
        run("identify", "--scan", "1", "--data-dir", d);
        run("findings", "--scan", "1", "--data-dir", d);
    }

    /**
     * The {@code ./camaudit} launcher records its start-up cache once from a training run, then
     * starts with it: the JVM must accept the cache (it says nothing and gives the same answer),
     * and a jar newer than the cache makes the launcher record it again.
     */
    @Test
    void launcherRecordsAndUsesItsStartUpCache() throws Exception {
        Path launcher = Path.of("..", "camaudit").toAbsolutePath().normalize();
        Path aot = Path.of("target", "camaudit.aot").toAbsolutePath();
        assertThat(launcher).exists();
        Files.deleteIfExists(aot);
        String first = launch(launcher, "--version");
        assertThat(first).contains("preparing the start-up cache").contains("camaudit ")
                .as("no stray terminal escapes").doesNotContain("\u001b");
        assertThat(aot).exists();
        long size = Files.size(aot);
        assertThat(size).isGreaterThan(1_000_000);
        String second = launch(launcher, "--version");
        assertThat(second).as("no training, no JVM complaint").startsWith("camaudit ")
                .doesNotContain("preparing").doesNotContain("[aot]").doesNotContain("error");
        assertThat(launch(launcher, "analyze", "--help")).contains("Usage: camaudit analyze")
                .doesNotContain("[aot]");
        // a rebuilt jar: the cache is recorded again
        Path jar = Path.of("target", "camaudit.jar");
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.from(Files
                .getLastModifiedTime(aot).toInstant().plusSeconds(5)));
        assertThat(launch(launcher, "--version")).contains("preparing the start-up cache");
        assertThat(Files.getLastModifiedTime(aot).compareTo(Files.getLastModifiedTime(jar)))
                .isGreaterThanOrEqualTo(0);
        // and that recording holds: however fast the training was, the next start uses it
        assertThat(launch(launcher, "--version")).startsWith("camaudit ")
                .doesNotContain("preparing");
    }

    private String launch(Path launcher, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", launcher.toString()));
        cmd.addAll(List.of(args));
        return exec(cmd, args);
    }

    /** The MaxMind DB reader inside the jar: analyze with a country database written here. */
    @Test
    void analyzeReadsACountryDatabaseFromTheShadedJar() throws Exception {
        BehaviourFindingsTest.Pcap pcap = new BehaviourFindingsTest.Pcap();
        pcap.syn(0x10, new byte[]{(byte) 203, 0, 113, 10}, new byte[]{(byte) 192, 0, 2, 99}, 443);
        Path capture = Files.write(data.resolve("mirror.pcap"), pcap.bytes());
        Path db = org.camaudit.rules.geo.MaxMindDbWriter.documentationCountries(data.resolve(
                "countries.mmdb"));
        // the device sits in a documentation range, so it is named the site's (--local)
        assertThat(run("analyze", "--local", "203.0.113.0/24", capture.toString(), "--geo-db",
                db.toString(), "--data-dir", data
                        .resolve("geo").toString()))
                .contains("countries: camaudit-test-country")
                .containsPattern("203\\.0\\.113\\.10 +CN +1 ");
    }
}
