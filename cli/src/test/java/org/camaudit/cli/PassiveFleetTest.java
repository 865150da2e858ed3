package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.camaudit.model.Fields;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.model.IpRange;
import org.camaudit.store.ObservationLog;
import org.camaudit.testbed.Behaviour;
import org.camaudit.testbed.Behaviours;
import org.camaudit.testbed.DeviceSpec;
import org.camaudit.testbed.Fleet;
import org.camaudit.testbed.FleetPlan;
import org.camaudit.testbed.Personalities;
import org.camaudit.testbed.SimulatedInternet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The passive side proved on a recording: a fleet of every personality, ten of its devices told
 * to behave (phone home to each simulated vendor cloud, relay, scan telnet outward), an active
 * scan of it, all captured on {@code lo} by tcpdump. {@code camaudit analyze} of that capture must
 * report exactly the behaviour each device was told to have, and identify every device as the
 * active scan of the same moment did.
 */
class PassiveFleetTest {
    private static final String FLEET = "127.93.0.0/24";
    private static final String WORLD = "127.252.0.0/16";

    @TempDir
    Path dir;

    @Test
    void analyzeOfACaptureFindsEveryBehaviourAndIdentifiesLikeTheActiveScan() throws Exception {
        boolean ci = System.getenv("CI") != null;
        if (!LoopbackCapture.available() || !"root".equals(System.getProperty("user.name"))) {
            assertThat(ci).as("CI must have tcpdump and run as root (.ci/run installs tcpdump)")
                    .isFalse();
            Assumptions.abort("needs tcpdump and root (capture on lo, DNS on port 53)");
        }
        Personalities catalog = Personalities.standard();
        List<DeviceSpec> devices = Behaviours.assign(FleetPlan.generate(80, IpRange.parse(FLEET),
                FleetPlan.defaultMix(), 11, catalog),
                Behaviours.parseCounts(
                        "phone-home=6,relay=2,telnet-scan=2"),
                11);
        Path capture = dir.resolve("fleet.pcap");
        // one data directory: the active scan is scan 1, the analysis of the capture scan 2
        Path data = dir.resolve("data");
        Behaviours.Performed done;
        String tcpdump;
        try (Fleet fleet = Fleet.start(devices, catalog);
                SimulatedInternet world = SimulatedInternet.start(IpRange.parse(WORLD));
                LoopbackCapture recording = LoopbackCapture.start(capture, "net 127.93.0.0/24"
                        + " or net 127.252.0.0/16")) {
            CliRun scan = CliRun.of("scan", FLEET, "--authorized-by", "PassiveFleetTest",
                    "--data-dir", data.toString());
            assertThat(scan.exit()).as(scan.err()).isZero();
            // the behaviours come well after the scan's last flow, as on a real network where
            // an audit is not what a relay forwards
            Thread.sleep(3000);
            done = Behaviours.perform(devices, world);
            recording.stop();
            tcpdump = recording.said();
        }
        assertThat(done.errors()).isEmpty();
        assertThat(done.devices()).isEqualTo(10);
        assertThat(done.cloudAnswers()).isEqualTo(6);
        assertThat(done.relayedBytes()).isEqualTo(2 * Behaviours.RELAY_BYTES);
        assertThat(tcpdump).contains("0 packets dropped by kernel");
        // on lo the kernel hands tcpdump every packet twice (sent and received) and it keeps one:
        // half of what the filter received must be in the file, or the capture lost its tail
        java.util.regex.Matcher captured = java.util.regex.Pattern.compile(
                "(\\d+) packets captured\\s+(\\d+) packets received by filter").matcher(tcpdump);
        assertThat(captured.find()).as(tcpdump).isTrue();
        assertThat(2 * Long.parseLong(captured.group(1))).as(tcpdump).isEqualTo(Long.parseLong(
                captured.group(2)));

        CliRun analyze = CliRun.of("analyze", capture.toString(), "--data-dir", data
                .toString());
        assertThat(analyze.exit()).as(analyze.out() + analyze.err()).isZero();

        Map<String, Set<String>> observed = new TreeMap<>();
        Map<String, Identification> passiveIds = new HashMap<>();
        Map<String, Identification> activeIds = new HashMap<>();
        Map<String, List<String>> flows = new HashMap<>();
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            assertThat(log.scan(2).orElseThrow().kind()).isEqualTo("passive");
            for (Finding f : log.findings(2)) {
                if (f.kind() == Finding.Kind.BEHAVIOUR) {
                    observed.computeIfAbsent(f.address(), a -> new TreeSet<>()).add(f.id());
                }
            }
            log.identifications(2).forEach(i -> passiveIds.put(i.address(), i));
            // for a failure message: the flows each address took part in
            log.forEachObservation(2, o -> o.field(Fields.FLOW_SRC).ifPresent(src -> {
                String line = src + " -> " + o.field(Fields.FLOW_DST).orElse("?") + ":" + o
                        .field(Fields.FLOW_DPORT).orElse("?") + " bytes "
                        + o.field(
                                Fields.FLOW_BYTES).orElse("?")
                        + " first " + o.field(
                                Fields.FLOW_FIRST).orElse("?");
                flows.computeIfAbsent(src, a -> new java.util.ArrayList<>()).add(line);
                o.field(Fields.FLOW_DST).ifPresent(dst -> flows.computeIfAbsent(dst,
                        a -> new java.util.ArrayList<>()).add(line));
            }));
            log.identifications(1).forEach(i -> activeIds.put(i.address(), i));
        }

        SoftAssertions soft = new SoftAssertions();
        Set<String> expectedClouds = new TreeSet<>();
        for (DeviceSpec d : devices) {
            String what = d.address() + " " + d.personality() + " " + Behaviour.of(d);
            List<String> told = Behaviour.expectedFindings(d);
            expectedClouds.addAll(told.stream().filter(id -> id.startsWith("vendor-cloud-"))
                    .toList());
            soft.assertThat(observed.getOrDefault(d.address(), Set.of())).as(what
                    + " behaviour findings; its flows: " + flows.getOrDefault(d.address(), List
                            .of()))
                    .containsExactlyInAnyOrderElementsOf(told);
            Optional<Identification> a = Optional.ofNullable(activeIds.get(d.address())).filter(
                    i -> !i.isUnknown());
            Optional<Identification> p = Optional.ofNullable(passiveIds.get(d.address()))
                    .filter(i -> !i.isUnknown());
            soft.assertThat(p.flatMap(Identification::platform)).as(what + " platform (passive"
                    + " as active)").isEqualTo(a.flatMap(Identification::platform));
            soft.assertThat(p.flatMap(Identification::brand)).as(what + " brand (passive as"
                    + " active)").isEqualTo(a.flatMap(Identification::brand));
            soft.assertThat(p.map(Identification::oemRebrand)).as(what + " rebrand")
                    .isEqualTo(a.map(Identification::oemRebrand));
        }
        // phone-home was given to every simulated cloud's devices in turn
        soft.assertThat(expectedClouds).containsExactlyInAnyOrder("vendor-cloud-hik-connect",
                "vendor-cloud-easy4ip", "vendor-cloud-xmeye", "vendor-cloud-reolink-cloud");
        // outside the fleet only the auditor's own sweep (from 127.0.0.1) may look like a scanner
        Set<String> fleet = devices.stream().map(DeviceSpec::address).collect(Collectors
                .toSet());
        observed.forEach((address, ids) -> {
            if (!fleet.contains(address)) {
                soft.assertThat(address).as("behaviour outside the fleet: " + ids).isEqualTo(
                        "127.0.0.1");
                soft.assertThat(ids).as("the auditor's own sweep").doesNotContain(
                        "relay-forwarding").noneMatch(id -> id.startsWith("vendor-cloud-"));
            }
        });
        // one report of the site: each behaving device's row holds its policy findings from the
        // active scan and its behaviour findings from the capture
        CliRun site = CliRun.of("report", "--scan", "1", "--scan", "2", "--format", "json",
                "--data-dir", data.toString());
        soft.assertThat(site.exit()).as(site.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(site.out());
        Map<String, Set<String>> siteFindings = new TreeMap<>();
        report.path("devices").forEach(d -> d.path("findings").forEach(f -> siteFindings
                .computeIfAbsent(d.path("address").asText(), a -> new TreeSet<>()).add(f.path(
                        "id").asText())));
        for (DeviceSpec d : devices) {
            Set<String> ids = siteFindings.getOrDefault(d.address(), Set.of());
            soft.assertThat(ids).as(d.address() + " in the site report").containsAll(Behaviour
                    .expectedFindings(d)).containsAll(d.findings());
        }
        soft.assertAll();
    }
}
