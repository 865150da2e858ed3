package org.camaudit.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.camaudit.model.Fields;
import org.camaudit.model.Identification;
import org.camaudit.model.Observation;
import org.camaudit.model.ScanSummary;
import org.camaudit.store.ObservationLog;

/** The closing summary of a scan on the terminal: the numbers, then one line per host. */
final class ScanReport {
    private ScanReport() {
    }

    /** The fields that say most about what a device is, most telling first. */
    static final List<String> TELLING = List.of("sadp.DeviceDescription", "sadp.OEMInfo",
            "dhdiscover.Vendor", "dhdiscover.DeviceType", "dvrip.HostName", "onvif.manufacturer",
            "onvif.model", "onvif.scope.name", "onvif.scope.hardware", Fields.HTTP_SERVER,
            Fields.HTTP_REALM, Fields.HTTP_TITLE, Fields.RTSP_SERVER, Fields.RTSP_WWW_AUTHENTICATE,
            Fields.TLS_SUBJECT, Fields.UPNP_SERVER, Fields.SSH_BANNER, Fields.FTP_BANNER,
            Fields.TELNET_BANNER, Fields.NMAP_PRODUCT, Fields.SDK_BANNER_HEX);
    static final int MAX_ROWS = 40;

    private static final class Host {
        final TreeSet<String> ports = new TreeSet<>(Comparator.comparingInt(ScanReport::portOf)
                .thenComparing(s -> s));
        final Map<String, String> telling = new LinkedHashMap<>();
        int errors;
    }

    private static int portOf(String s) {
        int slash = s.indexOf('/');
        return Integer.parseInt(slash < 0 ? s : s.substring(0, slash));
    }

    static void print(PrintWriter out, ObservationLog log, long scanId, String status,
            ScanSummary s, Path dataDir, List<Identification> identified) {
        Map<String, Identification> byAddress = new java.util.HashMap<>();
        identified.forEach(i -> byAddress.putIfAbsent(i.address(), i));
        Map<String, Host> hosts = new TreeMap<>(ScanReport::compareAddresses);
        log.forEachObservation(scanId, o -> collect(hosts, o));
        out.printf("scan %d %s: %,d addresses probed, %,d hosts up, %,d open ports, %,d"
                + " observations in %.1f s%n", scanId, status, s.addressesProbed(), s.hostsUp(),
                s
                        .openPorts(),
                s.observations(), s.millis() / 1000.0);
        if (!hosts.isEmpty()) {
            out.println();
            out.printf("%-16s %-12s %-12s %-26s %s%n", "ADDRESS", "BRAND", "PLATFORM", "PORTS",
                    "EVIDENCE");
            int rows = 0;
            for (Map.Entry<String, Host> e : hosts.entrySet()) {
                if (rows++ == MAX_ROWS) {
                    out.printf("... and %,d more hosts%n", hosts.size() - MAX_ROWS);
                    break;
                }
                Host h = e.getValue();
                List<String> ev = new ArrayList<>();
                for (String key : TELLING) {
                    String v = h.telling.get(key);
                    if (v != null && ev.size() < 3) {
                        ev.add(key + "=" + clip(v, 40));
                    }
                }
                if (h.errors > 0) {
                    ev.add(h.errors + " probe error" + (h.errors == 1 ? "" : "s"));
                }
                Identification id = byAddress.get(e.getKey());
                String brand = id == null
                        ? "-"
                        : id.brand().map(b -> id.makerByMac() ? b + "~" : b).orElse("-");
                String platform = id == null ? "-" : id.platform().orElse("-");
                if (id != null && id.oemRebrand()) {
                    platform = platform + "*";
                }
                out.printf("%-16s %-12s %-12s %-26s %s%n", e.getKey(), clip(brand, 12), clip(
                        platform, 12), clip(String.join(",", h.ports), 26),
                        String.join(" · ",
                                ev));
            }
        }
        out.println();
        if (identified.stream().anyMatch(Identification::oemRebrand)) {
            out.println("* OEM rebrand: the brand on the box is not the platform maker");
        }
        if (identified.stream().anyMatch(Identification::makerByMac)) {
            out.println("~ maker named by MAC only (the registrant of its prefix), low confidence");
        }
        out.printf("identification: camaudit identify --scan %d --data-dir %s%n", scanId,
                dataDir);
        out.printf("observations: camaudit observations --scan %d --data-dir %s%n", scanId,
                dataDir);
    }

    private static void collect(Map<String, Host> hosts, Observation o) {
        Host h = hosts.computeIfAbsent(o.address(), a -> new Host());
        if (o.port() > 0 && o.transport() == org.camaudit.model.Transport.TCP) {
            h.ports.add(Integer.toString(o.port()));
        }
        if (o.isError()) {
            h.errors++;
        }
        for (String key : TELLING) {
            o.field(key).ifPresent(v -> h.telling.putIfAbsent(key, v.replaceAll("\\s+", " ")));
        }
    }

    static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    static int compareAddresses(String a, String b) {
        try {
            byte[] x = InetAddress.getByName(a).getAddress();
            byte[] y = InetAddress.getByName(b).getAddress();
            if (x.length != y.length) {
                return Integer.compare(x.length, y.length);
            }
            for (int i = 0; i < x.length; i++) {
                int c = Integer.compare(x[i] & 0xff, y[i] & 0xff);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        } catch (java.net.UnknownHostException e) {
            return a.compareTo(b);
        }
    }
}
