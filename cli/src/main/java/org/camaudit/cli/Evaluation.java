package org.camaudit.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.model.Observation;
import org.camaudit.model.SiteRanges;
import org.camaudit.rules.findings.BehaviourDetector;
import org.camaudit.rules.findings.FindingEngine;
import org.camaudit.rules.findings.RemediationPlan;
import org.camaudit.rules.geo.DestinationCountries;
import org.camaudit.store.ObservationLog;

/** Evaluates a stored scan into findings, stores them, and prints the summary and plan. */
final class Evaluation {
    private Evaluation() {
    }

    /**
     * Evaluates a scan's identified devices with its observations, adds the behaviour findings of
     * its traffic (every device, identified or not), and stores the findings.
     */
    static List<Finding> evaluateStored(ObservationLog log, long scanId,
            List<Identification> identified, FindingEngine engine) {
        return evaluateStored(log, scanId, identified, engine, Optional.empty());
    }

    /**
     * The site's ranges scan {@code scanId} kept ({@code --local} and the built-in ones): the one
     * rule of device and peer for every detector that evaluates it.
     */
    static SiteRanges site(ObservationLog log, long scanId) {
        return log.scan(scanId).map(s -> PassiveScan.site(s.scope())).orElse(SiteRanges
                .builtIn());
    }

    /**
     * As above, and with the destinations by country of the same pass over the observations (a
     * session made with {@link #site}); with none, the country findings stored before are kept.
     */
    static List<Finding> evaluateStored(ObservationLog log, long scanId,
            List<Identification> identified, FindingEngine engine,
            Optional<DestinationCountries.Session> countries) {
        Set<String> addresses = new HashSet<>();
        Set<String> macs = new HashSet<>();
        for (Identification i : identified) {
            if (!i.isUnknown()) {
                addresses.add(i.address());
                i.mac().ifPresent(macs::add);
            }
        }
        List<Observation> observations = new ArrayList<>();
        BehaviourDetector.Session behaviour = new BehaviourDetector(engine.packs().clouds())
                .newSession(site(log, scanId));
        log.forEachObservation(scanId, o -> {
            behaviour.accept(o);
            countries.ifPresent(c -> c.accept(o));
            if (addresses.contains(o.address()) || o.mac().filter(macs::contains).isPresent()) {
                observations.add(o);
            }
        });
        List<Finding> behaviours = new ArrayList<>(behaviour.finish());
        // without a country database (findings --evaluate, a scan) the stored countries stay
        behaviours.addAll(countries.isPresent()
                ? countries.get().finish().findings()
                : log.findings(scanId).stream().filter(f -> DestinationCountries.IDS.contains(f
                        .id())).toList());
        List<Finding> findings = merged(engine.evaluate(identified, observations), joined(
                behaviours, identified));
        log.replaceFindings(scanId, findings);
        return findings;
    }

    /**
     * The device's findings and its behaviour findings, one finding per device and id: where the
     * same id stands in both (a SADP cloud switch seen on and the same cloud seen in traffic), the
     * behaviour finding stays, as observed traffic is the stronger evidence, and takes the other's
     * evidence and the higher severity.
     */
    static List<Finding> merged(List<Finding> device, List<Finding> behaviour) {
        Map<String, Finding> byKey = new java.util.LinkedHashMap<>();
        for (Finding f : device) {
            byKey.putIfAbsent(f.deviceKey() + "\n" + f.id(), f);
        }
        for (Finding b : behaviour) {
            byKey.merge(b.deviceKey() + "\n" + b.id(), b, (seen, observed) -> observed
                    .corroboratedBy(seen));
        }
        return List.copyOf(byKey.values());
    }

    /**
     * Behaviour findings (on every device of the traffic, identified or not) keyed like the
     * identified devices: an address identified under a MAC takes that MAC's key.
     */
    static List<Finding> joined(List<Finding> behaviour, List<Identification> identified) {
        Map<String, String> keyByAddress = new HashMap<>();
        identified.forEach(i -> keyByAddress.putIfAbsent(i.address(), i.deviceKey()));
        List<Finding> out = new ArrayList<>();
        for (Finding f : behaviour) {
            out.add(f.withDeviceKey(keyByAddress.getOrDefault(f.address(), f.deviceKey())));
        }
        return out;
    }

    /** Counts by severity and policy, then the remediation plan (top devices, sites, makers). */
    static void printSummary(PrintWriter out, List<Identification> identified,
            List<Finding> findings, FindingEngine engine, int topDevices) {
        RemediationPlan plan = RemediationPlan.of(identified, findings);
        out.println();
        out.printf("findings: %,d on %,d devices (policies: %s)%n", findings.size(), plan.devices()
                .size(), String.join(", ", engine.policies().stream().map(p -> p.id()).toList()));
        if (findings.isEmpty()) {
            return;
        }
        StringBuilder sev = new StringBuilder("  by severity:");
        for (Finding.Severity s : Finding.Severity.values()) {
            sev.append(' ').append(s.label()).append(' ').append(plan.bySeverity().getOrDefault(s,
                    0));
        }
        out.println(sev);
        if (!plan.byPolicy().isEmpty()) {
            CountLine.of("  by policy:", plan.byPolicy()).forEach(out::println);
        }
        Map<String, Integer> byKind = new TreeMap<>();
        findings.forEach(f -> byKind.merge(f.kind().label(), 1, Integer::sum));
        CountLine.of("  by kind:", byKind).forEach(out::println);
        out.println();
        out.println("remediation plan (act on these first):");
        out.printf("  %-3s %-16s %-12s %-12s %-9s %-16s %s%n", "#", "ADDRESS", "BRAND", "PLATFORM",
                "WORST", "ACTION", "FINDINGS");
        int n = 0;
        for (RemediationPlan.DeviceAction a : plan.devices()) {
            if (n++ == topDevices) {
                out.printf("  ... and %,d more devices ('camaudit findings --scan ID')%n", plan
                        .devices().size() - topDevices);
                break;
            }
            out.printf("  %-3d %-16s %-12s %-12s %-9s %-16s %s%n", n, a.address(), cut(a.brand()),
                    cut(a.platform()), a.worst().label(), a.action().label(), String.join(",", a
                            .findingIds()));
        }
        CountLine.of("  devices with findings by site:", plan.bySite()).forEach(out::println);
        CountLine.of("  devices with findings by platform:", plan.byPlatform()).forEach(
                out::println);
    }

    private static String cut(String s) {
        return s.isEmpty() ? "-" : s.length() > 12 ? s.substring(0, 11) + "…" : s;
    }
}
