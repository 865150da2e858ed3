package org.camaudit.rules.findings;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;

/**
 * What to act on first in one scan: devices ordered by their worst finding (severity, then how
 * many critical and high findings, then the strongest remediation), and counts by severity, site,
 * platform maker and policy. A site is the device's /24 (IPv4) or /64 (IPv6) for now.
 */
public record RemediationPlan(List<DeviceAction> devices, Map<Finding.Severity, Integer> bySeverity,
        Map<String, Integer> bySite, Map<String, Integer> byPlatform,
        Map<String, Integer> byPolicy) {

    /** One device to act on: its worst severity, the strongest remediation, its finding ids. */
    public record DeviceAction(String deviceKey, String address, String site, String brand,
            String platform, Finding.Severity worst, Finding.Remediation action,
            List<String> findingIds) {
    }

    public RemediationPlan {
        devices = List.copyOf(devices);
    }

    public static RemediationPlan of(List<Identification> devices, List<Finding> findings) {
        Map<String, List<Finding>> byDevice = new LinkedHashMap<>();
        for (Finding f : findings) {
            byDevice.computeIfAbsent(f.deviceKey(), k -> new ArrayList<>()).add(f);
        }
        Map<String, Identification> ids = new LinkedHashMap<>();
        devices.forEach(i -> ids.put(i.deviceKey(), i));
        List<DeviceAction> actions = new ArrayList<>();
        Map<String, Integer> bySite = new TreeMap<>();
        Map<String, Integer> byPlatform = new TreeMap<>();
        Map<String, Integer> byPolicy = new TreeMap<>();
        Map<Finding.Severity, Integer> bySeverity = new EnumMap<>(Finding.Severity.class);
        for (Map.Entry<String, List<Finding>> e : byDevice.entrySet()) {
            List<Finding> fs = e.getValue();
            Finding first = fs.get(0);
            Identification i = ids.get(e.getKey());
            String platform = i == null ? "" : i.platform().orElse("");
            String brand = i == null ? "" : i.brand().orElse("");
            Finding.Severity worst = fs.stream().map(Finding::severity).min(Comparator
                    .naturalOrder()).orElseThrow();
            Finding.Remediation action = fs.stream().filter(f -> f.severity() == worst).map(
                    Finding::remediation).min(Comparator.naturalOrder()).orElseThrow();
            String site = site(first.address());
            actions.add(new DeviceAction(e.getKey(), first.address(), site, brand, platform, worst,
                    action, fs.stream().map(Finding::id).toList()));
            bySite.merge(site, 1, Integer::sum);
            byPlatform.merge(platform.isEmpty() ? "(unknown)" : platform, 1, Integer::sum);
            for (Finding f : fs) {
                bySeverity.merge(f.severity(), 1, Integer::sum);
                if (f.kind() == Finding.Kind.POLICY) {
                    byPolicy.merge(f.details().getOrDefault("policy", f.id()), 1, Integer::sum);
                }
            }
        }
        actions.sort(Comparator.comparing(DeviceAction::worst).thenComparing(a -> -count(a,
                byDevice, Finding.Severity.CRITICAL)).thenComparing(a -> -count(a, byDevice,
                        Finding.Severity.HIGH))
                .thenComparing(DeviceAction::action).thenComparing(DeviceAction::address));
        return new RemediationPlan(actions, bySeverity, bySite, byPlatform, byPolicy);
    }

    private static int count(DeviceAction a, Map<String, List<Finding>> byDevice,
            Finding.Severity s) {
        return (int) byDevice.get(a.deviceKey()).stream().filter(f -> f.severity() == s).count();
    }

    /** The /24 of an IPv4 address (the /64 of an IPv6 one). */
    public static String site(String address) {
        if (address.contains(":")) {
            String[] p = address.split(":");
            return String.join(":", java.util.Arrays.copyOf(p, Math.min(4, p.length))) + "::/64";
        }
        int dot = address.lastIndexOf('.');
        return dot < 0 ? address : address.substring(0, dot) + ".0/24";
    }
}
