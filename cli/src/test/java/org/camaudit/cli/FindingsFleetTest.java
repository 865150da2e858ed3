package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.camaudit.model.Finding;
import org.camaudit.store.ObservationLog;
import org.camaudit.testbed.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's scan produces findings that match the testbed manifest's expected findings exactly:
 * per device, the set of finding ids equals the manifest's set (default policies, no opt-in
 * checks).
 */
class FindingsFleetTest {
    @TempDir
    Path data;

    @Test
    void demoFindingsMatchTheManifestExactly() throws Exception {
        CliRun run = CliRun.of("demo", "--devices", "80", "--range", "127.84.0.0/24", "--seed",
                "5", "--quiet", "--data-dir", data.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("findings:", "remediation plan");
        List<Map<String, Object>> manifest = Manifest.read(data.resolve("demo-manifest.jsonl"));
        Map<String, Set<String>> found = new HashMap<>();
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            for (Finding f : log.findings(1)) {
                found.computeIfAbsent(f.address(), a -> new TreeSet<>()).add(f.id());
            }
        }
        List<String> mismatches = new ArrayList<>();
        int expectedTotal = 0;
        for (Map<String, Object> device : manifest) {
            String address = (String) device.get("address");
            @SuppressWarnings("unchecked")
            Set<String> expected = new TreeSet<>((List<String>) device.get("findings"));
            expectedTotal += expected.size();
            Set<String> got = found.getOrDefault(address, Set.of());
            if (!expected.equals(got)) {
                Set<String> missing = new TreeSet<>(expected);
                missing.removeAll(got);
                Set<String> extra = new TreeSet<>(got);
                extra.removeAll(expected);
                mismatches.add(address + " " + device.get("personality") + " " + device.get(
                        "model") + " " + device.get("firmware") + ": missing " + missing
                        + ", unexpected " + extra);
            }
        }
        assertThat(expectedTotal).as("the manifest expects findings").isGreaterThan(80);
        assertThat(mismatches).as("devices whose findings differ from the manifest").isEmpty();
    }
}
