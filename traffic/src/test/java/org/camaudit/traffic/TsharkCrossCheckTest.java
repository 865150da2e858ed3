package org.camaudit.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated sample read by tshark (Debian package) must give the same facts; skips without it. */
class TsharkCrossCheckTest {
    @TempDir
    Path dir;

    @Test
    void tsharkSeesTheSameNamesSniAndServers() throws Exception {
        assumeTrue(onPath("tshark"), "tshark not installed");
        Path capture = dir.resolve("sample.pcapng");
        Files.write(capture, TrafficAnalyzerTest.sample().pcapng(ByteOrder.LITTLE_ENDIAN));
        Process p = new ProcessBuilder("tshark", "-n", "-r", capture.toString(), "-T", "fields",
                "-e", "dns.qry.name", "-e", "tls.handshake.extensions_server_name", "-e",
                "http.server", "-e", "x509sat.printableString", "-e", "eth.src")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Set<String> tshark = new TreeSet<>();
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            for (int i = 0; i < 3; i++) {
                if (f.length > i && !f[i].isEmpty()) {
                    tshark.add(i + ":" + f[i]);
                }
            }
        }
        List<Observation> seen = new ArrayList<>();
        TrafficAnalyzer a = new TrafficAnalyzer(TrafficAnalyzerTest.OPTIONS, seen::add);
        a.analyze(capture);
        Set<String> ours = new TreeSet<>();
        for (Observation o : seen) {
            o.field(Fields.DNS_QUERY).ifPresent(v -> ours.add("0:" + v));
            o.field(Fields.TLS_SNI).ifPresent(v -> ours.add("1:" + v));
            o.field(Fields.HTTP_SERVER).ifPresent(v -> ours.add("2:" + v));
        }
        assertThat(ours).isEqualTo(tshark);
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
