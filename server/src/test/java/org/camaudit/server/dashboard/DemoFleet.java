package org.camaudit.server.dashboard;

import java.time.Duration;
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
import org.camaudit.server.db.CentralStore;
import org.camaudit.server.db.Principal;
import org.camaudit.server.db.Secrets;
import org.camaudit.server.wire.Batch;
import org.camaudit.server.wire.BatchJson;
import org.camaudit.server.wire.ScanHeader;

/**
 * A demo-like fleet pushed into a central store the way an agent pushes it (enrolment, then
 * batches through {@link CentralStore#ingest}): cameras and recorders of several makers on
 * loopback addresses, with the findings the rules give them (bans, a KEV vulnerability, telnet).
 */
final class DemoFleet {
    /** Makers in turn: brand, platform maker, model, type. */
    private static final String[][] MAKERS = {{"Hikvision", "Hikvision", "DS-2CD2143G0-I",
            "ip-camera"}, {"Dahua", "Dahua", "IPC-HDW2431T", "ip-camera"},
            {"Axis", "Axis",
                    "P3245-V", "ip-camera"},
            {"LTS", "Hikvision", "CMIP7442W", "ip-camera"},
            {"Hanwha", "Hanwha", "XNV-6080", "ip-camera"}, {"Lorex", "Dahua", "N841A6",
                    "nvr"},
            {"Bosch", "Bosch", "FLEXIDOME 5100i", "ip-camera"}};

    static final Instant FIRST = Instant.parse("2026-11-02T09:00:00Z");

    private final CentralStore store;

    DemoFleet(CentralStore store) {
        this.store = store;
    }

    /** Adds a site with its agent; returns the agent. */
    Principal site(String name) {
        String token = store.addSite(name, "user:test", "test").enrolmentToken();
        String credential = store.enrol(token, name + "-agent", "test").orElseThrow().credential();
        return store.principal(credential).orElseThrow();
    }

    /**
     * Pushes one finished scan of {@code devices} devices at {@code 127.<octet>.x.y}, the
     * {@code agentScan}-th of the site, a week after the one before.
     */
    void scan(Principal agent, long agentScan, int octet, int devices) {
        Instant started = FIRST.plus(Duration.ofDays(7 * (agentScan - 1)));
        List<Observation> obs = new ArrayList<>();
        List<Identification> ids = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        for (int n = 0; n < devices; n++) {
            String address = "127." + octet + "." + (n / 250) + "." + (n % 250 + 2);
            String[] m = MAKERS[n % MAKERS.length];
            String firmware = n % 3 == 0 ? "V5.4.0" : "V5.7.1";
            for (int port : new int[]{80, 554}) {
                obs.add(Observation.builder(Source.ACTIVE, address).time(started).port(port)
                        .transport(Transport.TCP).protocol("tcp").field("state", "open").raw("")
                        .build());
            }
            obs.add(Observation.builder(Source.ACTIVE, address).time(started).port(80).transport(
                    Transport.TCP).protocol("http").field("http.server", m[1] + "-webs").raw(
                            "HTTP/1.1 200 OK")
                    .build());
            ids.add(new Identification(address, Optional.empty(), Optional.of(m[0]), Optional.of(
                    m[1]), Optional.of(m[2]), Optional.of(firmware), Optional.of(m[3]), 0.9,
                    !m[0]
                            .equals(m[1]),
                    List.of(new Evidence(m[1].toLowerCase() + "-http-server", "http.server", m[1]
                            + "-webs", "platform=" + m[1], 0.9)),
                    List.of()));
            if (m[1].equals("Hikvision") || m[1].equals("Dahua")) {
                findings.add(new Finding("ndaa-889", Finding.Kind.POLICY, Finding.Severity.CRITICAL,
                        address, address, m[1] + " equipment is covered by NDAA §889", List.of(
                                "platform=" + m[1]),
                        Optional.of("Pub. L. 115-232, §889(f)(3)(A)"),
                        Finding.Remediation.REPLACE, Map.of("effective", "2019-08-13")));
                findings.add(new Finding("fcc-covered-list", Finding.Kind.POLICY,
                        Finding.Severity.HIGH, address, address, m[1]
                                + " is on the FCC Covered List",
                        List.of("platform=" + m[1]), Optional.of("47 CFR §1.50002"),
                        Finding.Remediation.REPLACE, Map.of()));
            }
            if (m[1].equals("Hikvision") && firmware.equals("V5.4.0")) {
                findings.add(new Finding("CVE-2021-36260", Finding.Kind.VULNERABILITY,
                        Finding.Severity.CRITICAL, address, address,
                        "Hikvision web server command injection (KEV)", List.of("firmware="
                                + firmware),
                        Optional.of("CISA KEV, added 2022-01-10"), Finding.Remediation.PATCH,
                        Map.of("kev", "yes")));
            }
            if (n % 5 == 1) {
                findings.add(new Finding("telnet-open", Finding.Kind.EXPOSURE,
                        Finding.Severity.HIGH, address, address, "Telnet is open", List.of(
                                "port=23"),
                        Optional.empty(), Finding.Remediation.DISABLE_SERVICE, Map.of()));
            }
        }
        ScanHeader h = new ScanHeader(agentScan, "scan", "Jane Doe, CISO (ticket SEC-42)", "127."
                + octet + ".0.0/16", "complete", started, Optional.of(started.plusSeconds(60)),
                new ScanSummary(devices * 2L, devices, devices * 2L, obs.size(), 60_000));
        int seq = 0;
        for (int from = 0; from < obs.size(); from += 5_000) {
            push(agent, new Batch(h, seq++, obs.subList(from, Math.min(obs.size(), from + 5_000)),
                    false, List.of(), List.of()));
        }
        push(agent, new Batch(h, seq, List.of(), true, ids, findings));
    }

    private void push(Principal agent, Batch b) {
        byte[] body = BatchJson.write(b);
        store.ingest(agent, b, Secrets.sha256(body), "test");
    }
}
