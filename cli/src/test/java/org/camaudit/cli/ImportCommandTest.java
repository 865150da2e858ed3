package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.camaudit.model.Observation;
import org.camaudit.model.Scan;
import org.camaudit.store.ObservationLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code camaudit import} end to end: a real Nmap run becomes a scan; a broken file keeps its start. */
class ImportCommandTest {
    @TempDir
    Path data;

    private Path fixture(String name) throws Exception {
        Path out = data.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/org/camaudit/cli/imports/" + name)) {
            Files.copy(in, out);
        }
        return out;
    }

    @Test
    void realNmapRunBecomesAScan() throws Exception {
        CliRun run = CliRun.of("import", fixture("nmap-loopback-real.xml").toString(),
                "--data-dir", data.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("scan 1: imported 1 hosts");
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            Scan scan = log.scan(1).orElseThrow();
            assertThat(scan.kind()).isEqualTo("import:nmap");
            assertThat(scan.status()).isEqualTo("complete");
            List<Observation> obs = new ArrayList<>();
            log.forEachObservation(1, obs::add);
            assertThat(obs).anySatisfy(o -> assertThat(o.field("http.server")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("SimpleHTTP")));
            assertThat(obs).anySatisfy(o -> assertThat(o.field("ftp.banner")).hasValueSatisfying(
                    v -> assertThat(v).contains("AXIS")));
        }
    }

    @Test
    void truncatedFileKeepsWhatWasReadAndSaysWhere() throws Exception {
        CliRun run = CliRun.of("import", fixture("nmap-truncated.xml").toString(), "--data-dir",
                data.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("line").contains("kept").contains("scan 1");
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            assertThat(log.scan(1).orElseThrow().status()).isEqualTo("failed");
            assertThat(log.countObservations(1)).isPositive();
        }
        assertThat(CliRun.of("import", data.resolve("missing.xml").toString(), "--data-dir", data
                .toString()).exit()).isEqualTo(2);
    }
}
