package org.camaudit.server.db;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camaudit.model.Evidence;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.model.Observation;
import org.camaudit.model.ScanSummary;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;
import org.camaudit.server.wire.Batch;
import org.camaudit.server.wire.ScanHeader;

/** Small scans to push in tests: one Hikvision camera and one Axis camera on loopback. */
public final class SampleScans {
    public static final Instant STARTED = Instant.parse("2026-11-02T09:00:00Z");

    private SampleScans() {
    }

    public static ScanHeader header(long agentScan) {
        return new ScanHeader(agentScan, "scan", "tester", "127.0.0.0/29", "complete", STARTED,
                Optional.of(STARTED.plusSeconds(5)), new ScanSummary(8, 2, 2, 2, 5_000));
    }

    public static Observation observation(String address, String server) {
        return Observation.builder(Source.ACTIVE, address).time(STARTED.plusSeconds(1)).port(80)
                .transport(Transport.TCP).protocol("http").field("http.server", server).raw(
                        "HTTP/1.1 200 OK\r\nServer: " + server)
                .build();
    }

    public static Batch observations(ScanHeader h, int seq, Observation... obs) {
        return new Batch(h, seq, List.of(obs), false, List.of(), List.of());
    }

    /** The last batch: a Hikvision camera with a policy finding and an Axis camera without. */
    public static Batch last(ScanHeader h, int seq) {
        Identification hik = new Identification("127.0.0.2", Optional.empty(), Optional.of(
                "Hikvision"), Optional.of("Hikvision"), Optional.of("DS-2CD2143G0-I"),
                Optional.of(
                        "V5.5.0"),
                Optional.of("ip-camera"), 0.9, false, List.of(new Evidence(
                        "hik-http-server", "http.server", "App-webs/", "platform=Hikvision",
                        0.9)),
                List.of());
        Identification axis = new Identification("127.0.0.3", Optional.empty(), Optional.of(
                "Axis"), Optional.of("Axis"), Optional.empty(), Optional.empty(),
                Optional.of(
                        "ip-camera"),
                0.8, false, List.of(), List.of());
        Finding ndaa = new Finding("ndaa-889", Finding.Kind.POLICY, Finding.Severity.CRITICAL,
                "127.0.0.2", "127.0.0.2", "Hikvision equipment is covered by NDAA §889", List.of(
                        "platform=Hikvision"),
                Optional.of("Pub. L. 115-232 §889"),
                Finding.Remediation.REPLACE, Map.of("effective", "2019-08-13"));
        Finding telnet = new Finding("telnet-open", Finding.Kind.EXPOSURE, Finding.Severity.HIGH,
                "127.0.0.3", "127.0.0.3", "Telnet is open", List.of("port=23"), Optional.empty(),
                Finding.Remediation.DISABLE_SERVICE, Map.of());
        return new Batch(h, seq, List.of(), true, List.of(hik, axis), new ArrayList<>(List.of(ndaa,
                telnet)));
    }
}
