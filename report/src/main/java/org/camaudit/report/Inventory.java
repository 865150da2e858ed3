package org.camaudit.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.camaudit.model.Finding;
import org.camaudit.model.Finding.Severity;
import org.camaudit.model.Identification;

/**
 * The report's view of a scan: one row per device with its findings and services, and the counts
 * every format shows. Findings whose device was never identified get an unknown device of their
 * own, so none is dropped.
 */
final class Inventory {
    /** One device and what was found about it, worst finding first. */
    record Device(int index, Identification id, List<Finding> findings,
            DeviceServices services) {
        Optional<Severity> worst() {
            return findings.stream().map(Finding::severity).min(Comparator.naturalOrder());
        }
    }

    final ReportData data;
    final List<Device> devices;
    /** devices by platform maker ("unknown" last), most first. */
    final Map<String, Integer> byPlatform;
    /** devices caught by each policy finding id, most first. */
    final Map<String, Integer> byPolicy;
    /** findings by severity, every severity present. */
    final Map<Severity, Integer> bySeverity;
    /** findings by kind, every kind present. */
    final Map<Finding.Kind, Integer> byKind;
    final int identified;
    final int rebrands;

    static final String UNKNOWN = "unknown";

    Inventory(ReportData data) {
        this.data = data;
        Map<String, List<Finding>> byKey = new LinkedHashMap<>();
        for (Finding f : data.findings()) {
            byKey.computeIfAbsent(f.deviceKey(), k -> new ArrayList<>()).add(f);
        }
        List<Identification> ids = new ArrayList<>(data.identifications());
        Set<String> keys = new LinkedHashSet<>();
        Map<String, String> addressToKey = new HashMap<>();
        for (Identification i : ids) {
            keys.add(i.deviceKey());
            addressToKey.putIfAbsent(i.address(), i.deviceKey());
        }
        // findings keyed by address whose device is keyed by MAC, or devices never identified
        for (Finding f : data.findings()) {
            if (!keys.contains(f.deviceKey())) {
                String key = addressToKey.get(f.address());
                if (key != null) {
                    byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
                } else {
                    keys.add(f.deviceKey());
                    addressToKey.put(f.address(), f.deviceKey());
                    ids.add(Identification.unknown(f.address(), Optional.of(f.deviceKey())
                            .filter(k -> !k.equals(f.address()))));
                }
            }
        }
        List<Device> list = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Identification i : ids) {
            if (!seen.add(i.deviceKey())) {
                continue;
            }
            List<Finding> fs = new ArrayList<>(byKey.getOrDefault(i.deviceKey(), List.of()));
            fs.sort(Comparator.comparing(Finding::severity).thenComparing(Finding::kind)
                    .thenComparing(Finding::id));
            list.add(new Device(list.size() + 1, i, List.copyOf(fs), data.services().getOrDefault(i
                    .address(), DeviceServices.NONE)));
        }
        this.devices = List.copyOf(list);

        Map<String, Integer> platforms = new HashMap<>();
        Map<String, Set<String>> policies = new TreeMap<>();
        Map<Severity, Integer> severities = new EnumMap<>(Severity.class);
        Map<Finding.Kind, Integer> kinds = new EnumMap<>(Finding.Kind.class);
        for (Severity s : Severity.values()) {
            severities.put(s, 0);
        }
        for (Finding.Kind k : Finding.Kind.values()) {
            kinds.put(k, 0);
        }
        int known = 0;
        int oem = 0;
        for (Device d : devices) {
            platforms.merge(d.id().platform().orElse(UNKNOWN), 1, Integer::sum);
            known += d.id().isUnknown() ? 0 : 1;
            oem += d.id().oemRebrand() ? 1 : 0;
            for (Finding f : d.findings()) {
                severities.merge(f.severity(), 1, Integer::sum);
                kinds.merge(f.kind(), 1, Integer::sum);
                if (f.kind() == Finding.Kind.POLICY) {
                    policies.computeIfAbsent(f.id(), k -> new LinkedHashSet<>()).add(d.id()
                            .deviceKey());
                }
            }
        }
        this.byPlatform = sortedByCount(platforms);
        Map<String, Integer> pol = new HashMap<>();
        policies.forEach((k, v) -> pol.put(k, v.size()));
        this.byPolicy = sortedByCount(pol);
        this.bySeverity = severities;
        this.byKind = kinds;
        this.identified = known;
        this.rebrands = oem;
    }

    int findingCount() {
        return data.findings().size();
    }

    private static Map<String, Integer> sortedByCount(Map<String, Integer> counts) {
        Map<String, Integer> out = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Comparator.<Map.Entry<String, Integer>>comparingInt(
                e -> e.getKey().equals(UNKNOWN) ? 1 : 0).thenComparing(Map.Entry::getValue,
                        Comparator.reverseOrder())
                .thenComparing(Map.Entry::getKey)).forEach(
                        e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** What to do, in words. */
    static String remediation(Finding.Remediation r) {
        return switch (r) {
            case REPLACE -> "Replace the device";
            case ISOLATE -> "Isolate it on a segment without internet access";
            case PATCH -> "Update the firmware to a fixed version";
            case DISABLE_SERVICE -> "Disable the exposed service";
            case MONITOR -> "Monitor it";
        };
    }

    /** Severity colours shared by the HTML and PDF charts. */
    static String colour(Severity s) {
        return switch (s) {
            case CRITICAL -> "#b3261e";
            case HIGH -> "#e8710a";
            case MEDIUM -> "#c99700";
            case LOW -> "#1e6fd9";
            case INFO -> "#767676";
        };
    }
}
