package org.camaudit.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.model.Scan;
import org.camaudit.model.ScanSummary;

/**
 * Several scans of one site as one report: an active scan and a passive analysis of the same
 * network, say. Devices are joined by MAC first (a MAC any scan learnt for an address keys that
 * address in every scan), else by address. Each device keeps its best identification (a named one
 * over an unknown one, then the higher confidence), and one finding per id, where findings from
 * several scans corroborate each other (evidence combined, higher severity; observed behaviour
 * stays the finding's kind). Pure: no I/O.
 */
public final class SiteJoin {
    private SiteJoin() {
    }

    /** The join of {@code parts}, the first being the scan the report is headed by. */
    public static ReportData join(List<ReportData> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to join");
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        Map<String, String> macByAddress = new HashMap<>();
        for (ReportData p : parts) {
            for (Identification i : p.identifications()) {
                i.mac().ifPresent(m -> macByAddress.putIfAbsent(i.address(), m));
            }
        }
        Map<String, Identification> devices = new LinkedHashMap<>();
        Map<String, Finding> findings = new LinkedHashMap<>();
        Map<String, DeviceServices> services = new HashMap<>();
        for (ReportData p : parts) {
            for (Identification i : p.identifications()) {
                Identification keyed = i.mac().isPresent() || !macByAddress.containsKey(i
                        .address())
                                ? i
                                : withMac(i, macByAddress.get(i.address()));
                devices.merge(keyed.deviceKey(), keyed, SiteJoin::better);
            }
            for (Finding f : p.findings()) {
                Finding keyed = f.withDeviceKey(f.deviceKey().equals(f.address())
                        ? macByAddress.getOrDefault(f.address(), f.address())
                        : f.deviceKey());
                findings.merge(keyed.deviceKey() + "\n" + keyed.id(), keyed, SiteJoin::corroborate);
            }
            p.services().forEach((address, s) -> services.merge(address, s, SiteJoin::union));
        }
        List<Identification> ids = new ArrayList<>(devices.values());
        return new ReportData(joinedScan(parts), ids, List.copyOf(findings.values()), services,
                parts.get(0).generated(), parts.get(0).toolVersion());
    }

    private static Identification withMac(Identification i, String mac) {
        return new Identification(i.address(), Optional.of(mac), i.brand(), i.platform(), i
                .model(), i.firmware(), i.type(), i.confidence(), i.oemRebrand(), i.evidence(),
                i
                        .conflicts());
    }

    private static Identification better(Identification a, Identification b) {
        if (a.isUnknown() != b.isUnknown()) {
            return a.isUnknown() ? b : a;
        }
        return b.confidence() > a.confidence() ? b : a;
    }

    /** Observed behaviour stays the finding; otherwise the first scan's. */
    private static Finding corroborate(Finding first, Finding second) {
        if (second.kind() == Finding.Kind.BEHAVIOUR && first.kind() != Finding.Kind.BEHAVIOUR) {
            return second.corroboratedBy(first);
        }
        return first.corroboratedBy(second);
    }

    private static DeviceServices union(DeviceServices a, DeviceServices b) {
        return new DeviceServices(merge(a.tcpPorts(), b.tcpPorts()), merge(a.protocols(), b
                .protocols()));
    }

    private static <T extends Comparable<T>> List<T> merge(List<T> a, List<T> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).distinct().sorted()
                .toList();
    }

    /**
     * One scan record for the header: the first scan's id, every scan's kind and id, the earliest
     * start, the latest end, every authorisation, the worst status.
     */
    private static Scan joinedScan(List<ReportData> parts) {
        List<Scan> scans = parts.stream().map(ReportData::scan).toList();
        Scan first = scans.get(0);
        String kind = "site: " + scans.stream().map(s -> s.kind() + " #" + s.id()).collect(
                Collectors.joining(" + "));
        Instant started = scans.stream().map(Scan::started).min(Comparator.naturalOrder())
                .orElseThrow();
        Optional<Instant> finished = scans.stream().allMatch(s -> s.finished().isPresent())
                ? scans.stream().map(s -> s.finished().get()).max(Comparator.naturalOrder())
                : Optional.empty();
        String who = scans.stream().map(Scan::authorizedBy).distinct().collect(Collectors.joining(
                "; "));
        String scope = scans.stream().map(Scan::scope).collect(Collectors.joining(",", "[", "]"));
        String status = scans.stream().map(Scan::status).filter(s -> !s.equals("complete"))
                .findFirst().orElse("complete");
        ScanSummary sum = first.summary();
        long observations = 0;
        for (Scan s : scans) {
            observations += s.summary().observations();
        }
        return new Scan(first.id(), started, finished, kind, who, scope, status, new ScanSummary(
                sum.addressesProbed(), sum.hostsUp(), sum.openPorts(), observations, sum
                        .millis()));
    }
}
