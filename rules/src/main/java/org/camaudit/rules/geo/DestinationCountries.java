package org.camaudit.rules.geo;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.camaudit.model.Finding;
import org.camaudit.model.Observation;
import org.camaudit.model.SiteRanges;
import org.camaudit.rules.findings.TrafficFlow;

/**
 * Bytes and flows per initiating device ({@code flow.src}) and country of its peer
 * ({@code flow.dst}), from a scan's flow observations and a {@link CountryDatabase}.
 *
 * <p>
 * A peer that is private (RFC 1918, shared 100.64/10, IPv6 unique-local), loopback, link-local,
 * multicast, broadcast or unspecified is {@value #LOCAL} and never looked up, and so is one
 * inside the scan's operator ranges ({@code --local}, {@link #newSession(SiteRanges)}). A documentation
 * address (192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32) is {@value #LOCAL} too unless
 * the database itself maps it (no public database does; a test or lab database may). A public
 * peer the database does not know is {@value #UNKNOWN}.
 *
 * <p>
 * Findings, per device with at least one peer that is not local: {@value #DESTINATION_COUNTRIES}
 * (info; details country → "flows N, bytes B"), and, when a peer is in one of the countries of
 * concern, {@value #COUNTRY_OF_CONCERN} (medium, monitor) with those countries' totals and a
 * sample of peers. The device key is the first MAC seen for the address, else the address.
 */
public final class DestinationCountries implements java.io.Closeable {
    public static final String DESTINATION_COUNTRIES = "destination-countries";
    public static final String COUNTRY_OF_CONCERN = "traffic-to-country-of-concern";
    /** The ids of the findings made here. */
    public static final Set<String> IDS = Set.of(DESTINATION_COUNTRIES, COUNTRY_OF_CONCERN);
    public static final String LOCAL = "local";
    public static final String UNKNOWN = "unknown";
    private static final int MAX_SAMPLE = 5;

    /** Flows and bytes to one country. */
    public record Totals(long flows, long bytes) {
        Totals plus(long f, long b) {
            return new Totals(flows + f, bytes + b);
        }

        @Override
        public String toString() {
            return "flows " + flows + ", bytes " + bytes;
        }
    }

    /** One device's destinations by country, most bytes first. */
    public record DeviceCountries(String deviceKey, String address, Map<String, Totals> byCountry) {
        public DeviceCountries {
            byCountry = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byCountry));
        }
    }

    /** The per-device table and its findings, devices in first-seen order. */
    public record Report(List<DeviceCountries> devices, List<Finding> findings) {
        public Report {
            devices = List.copyOf(devices);
            findings = List.copyOf(findings);
        }
    }

    private final CountryDatabase database;
    private final Set<String> concern;

    /**
     * @param countriesOfConcern ISO 3166-1 alpha-2 codes (any case) that raise
     *     {@value #COUNTRY_OF_CONCERN}; may be empty
     * @throws IllegalArgumentException if a code is not two letters
     */
    public DestinationCountries(CountryDatabase database, Collection<String> countriesOfConcern) {
        this.database = database;
        this.concern = Set.copyOf(countryCodes(countriesOfConcern));
    }

    /**
     * ISO 3166-1 alpha-2 codes, upper case, sorted.
     *
     * @throws IllegalArgumentException if one is not two letters
     */
    public static Set<String> countryCodes(Collection<String> codes) {
        Set<String> out = new TreeSet<>();
        for (String c : codes) {
            String code = c.strip().toUpperCase(Locale.ROOT);
            if (!code.matches("[A-Z]{2}")) {
                throw new IllegalArgumentException("not an ISO 3166-1 alpha-2 country code: '" + c
                        + "'");
            }
            out.add(code);
        }
        return out;
    }

    public CountryDatabase database() {
        return database;
    }

    /** Closes the database. */
    @Override
    public void close() throws java.io.IOException {
        database.close();
    }

    public Set<String> countriesOfConcern() {
        return new TreeSet<>(concern);
    }

    /**
     * A streaming evaluation over the built-in private ranges only: feed every observation of a
     * scan, then {@link Session#finish()}.
     */
    public Session newSession() {
        return newSession(SiteRanges.builtIn());
    }

    /**
     * As {@link #newSession()} with the scan's ranges: a peer inside {@code site} (the operator's
     * {@code --local} ranges too) is {@value #LOCAL}, and only an initiator that can be one of the
     * site's devices ({@link SiteRanges#isDevice}) is a row.
     */
    public Session newSession(SiteRanges site) {
        return new Session(site);
    }

    private static final class Device {
        String mac;
        final Map<String, Totals> byCountry = new LinkedHashMap<>();
        final Map<String, Set<String>> concernPeers = new LinkedHashMap<>();
    }

    /** Accumulates per device; not thread-safe. */
    public final class Session {
        private final SiteRanges site;
        private final Map<String, Device> devices = new LinkedHashMap<>();
        private Report report;

        private Session(SiteRanges site) {
            this.site = site;
        }

        public void accept(Observation o) {
            Optional<TrafficFlow> flow = o.isError() ? Optional.empty() : TrafficFlow.of(o);
            if (flow.isEmpty()) {
                return;
            }
            TrafficFlow f = flow.get();
            if (f.inbound() || !site.isDevice(f.src())) {
                return; // a peer's flow into the site: the peer is no device of ours
            }
            Device d = devices.computeIfAbsent(f.src(), a -> new Device());
            if (d.mac == null && o.mac().isPresent()) {
                d.mac = o.mac().get();
            }
            String country = countryOf(f.dst(), site);
            d.byCountry.merge(country, new Totals(f.flows(), f.bytes()), (a, b) -> a.plus(b
                    .flows(), b.bytes()));
            if (concern.contains(country)) {
                Set<String> peers = d.concernPeers.computeIfAbsent(country,
                        k -> new LinkedHashSet<>());
                if (peers.size() < MAX_SAMPLE) {
                    peers.add(f.dst());
                }
            }
        }

        /** The report; later calls return the same one. */
        public Report finish() {
            if (report != null) {
                return report;
            }
            List<DeviceCountries> table = new ArrayList<>();
            List<Finding> findings = new ArrayList<>();
            devices.forEach((address, d) -> {
                String key = d.mac != null ? d.mac : address;
                Map<String, Totals> sorted = new LinkedHashMap<>();
                d.byCountry.entrySet().stream().sorted(Map.Entry.<String, Totals>comparingByValue(
                        Comparator.comparingLong(Totals::bytes).thenComparingLong(Totals::flows))
                        .reversed().thenComparing(Map.Entry.comparingByKey())).forEach(
                                e -> sorted
                                        .put(e.getKey(), e.getValue()));
                table.add(new DeviceCountries(key, address, sorted));
                if (sorted.keySet().stream().allMatch(LOCAL::equals)) {
                    return;
                }
                findings.add(destinations(key, address, sorted));
                if (!d.concernPeers.isEmpty()) {
                    findings.add(ofConcern(key, address, sorted, d.concernPeers));
                }
            });
            devices.clear();
            report = new Report(table, findings);
            return report;
        }
    }

    private Finding destinations(String key, String address, Map<String, Totals> byCountry) {
        List<String> countries = byCountry.keySet().stream().filter(c -> !c.equals(LOCAL) && !c
                .equals(UNKNOWN)).toList();
        List<String> evidence = new ArrayList<>();
        evidence.add("behaviour: flows and bytes by country of the peer (" + database.info()
                .summary() + ")");
        Map<String, String> details = new LinkedHashMap<>();
        byCountry.forEach((c, t) -> {
            evidence.add(c + ": " + t);
            details.put(c, t.toString());
        });
        String title = countries.isEmpty()
                ? "Sends to peers of unknown country"
                : "Sends to " + countries.size()
                        + (countries.size() == 1 ? " country: " : " countries: ")
                        + String.join(", ", countries);
        return new Finding(DESTINATION_COUNTRIES, Finding.Kind.BEHAVIOUR, Finding.Severity.INFO,
                key, address, title, evidence, Optional.empty(), Finding.Remediation.MONITOR,
                details);
    }

    private Finding ofConcern(String key, String address, Map<String, Totals> byCountry,
            Map<String, Set<String>> peers) {
        List<String> hit = byCountry.keySet().stream().filter(peers::containsKey).toList();
        List<String> evidence = new ArrayList<>();
        evidence.add("behaviour: flows to peers in " + String.join(", ", hit)
                + " (countries of concern: " + String.join(", ", countriesOfConcern()) + "; "
                + database.info().summary() + ")");
        Map<String, String> details = new LinkedHashMap<>();
        for (String c : hit) {
            evidence.add(c + ": " + byCountry.get(c) + ", peers " + String.join(", ", peers.get(c))
                    + (peers.get(c).size() == MAX_SAMPLE ? ", ..." : ""));
            details.put(c, byCountry.get(c).toString());
        }
        details.put("countries_of_concern", String.join(",", countriesOfConcern()));
        return new Finding(COUNTRY_OF_CONCERN, Finding.Kind.BEHAVIOUR, Finding.Severity.MEDIUM,
                key, address, "Sends traffic to a country of concern: " + String.join(", ", hit),
                evidence, Optional.empty(), Finding.Remediation.MONITOR, details);
    }

    /** The peer's country code, {@value #LOCAL} or {@value #UNKNOWN}, by the built-in ranges. */
    public String countryOf(String peer) {
        return countryOf(peer, SiteRanges.builtIn());
    }

    /** The peer's country code: {@value #LOCAL} if it is inside {@code site}, never looked up. */
    public String countryOf(String peer, SiteRanges site) {
        InetAddress a;
        try {
            a = InetAddress.ofLiteral(peer.strip());
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
        if (site.isLocal(peer)) {
            return LOCAL;
        }
        return database.country(a).orElse(documentation(a) ? LOCAL : UNKNOWN);
    }

    /** The documentation ranges (RFC 5737, RFC 3849). */
    static boolean documentation(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int x = b[0] & 0xff;
            int y = b[1] & 0xff;
            int z = b[2] & 0xff;
            return (x == 192 && y == 0 && z == 2) || (x == 198 && y == 51 && z == 100)
                    || (x == 203 && y == 0 && z == 113);
        }
        return (b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d
                && (b[3] & 0xff) == 0xb8;
    }
}
