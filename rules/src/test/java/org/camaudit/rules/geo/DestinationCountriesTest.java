package org.camaudit.rules.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camaudit.model.Fields;
import org.camaudit.model.Finding;
import org.camaudit.model.Observation;
import org.camaudit.model.SiteRanges;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flows and bytes per device and peer country, and the two findings, over the test database. */
class DestinationCountriesTest {
    @TempDir
    Path dir;
    CountryDatabase db;

    @BeforeEach
    void open() throws IOException {
        db = CountryDatabase.open(MaxMindDbWriter.documentationCountries(dir.resolve("t.mmdb")));
    }

    @AfterEach
    void close() throws IOException {
        db.close();
    }

    static Observation flow(String src, String mac, String dst, long flows, long bytes) {
        Observation.Builder b = Observation.builder(Source.PASSIVE, src).protocol("flow")
                .port(443).transport(Transport.TCP).field(Fields.FLOW_SRC,
                        src)
                .field(Fields.FLOW_DST, dst).field(Fields.FLOW_DPORT, "443").field(
                        Fields.FLOW_PROTO, "tcp")
                .field(Fields.FLOW_COUNT, Long.toString(flows))
                .field(Fields.FLOW_BYTES, Long.toString(bytes));
        if (mac != null) {
            b.mac(mac);
        }
        return b.build();
    }

    @Test
    void classifiesPeers() {
        DestinationCountries dc = new DestinationCountries(db, List.of());
        assertThat(dc.countryOf("192.0.2.9")).isEqualTo("CN");
        assertThat(dc.countryOf("2001:db8:1::5")).isEqualTo("JP");
        for (String local : List.of("10.1.2.3", "172.16.0.1", "192.168.1.1", "127.0.0.1",
                "169.254.3.4", "224.0.0.251", "239.255.255.250", "255.255.255.255", "100.64.0.1",
                "0.0.0.0", "::1", "fe80::1", "fd00::10", "ff02::fb")) {
            assertThat(dc.countryOf(local)).as(local).isEqualTo(DestinationCountries.LOCAL);
        }
        // not in the database: a documentation range is local, anything else unknown
        assertThat(dc.countryOf("2001:db9::1")).isEqualTo(DestinationCountries.UNKNOWN);
        assertThat(dc.countryOf("garbage")).isEqualTo(DestinationCountries.UNKNOWN);
    }

    @Test
    void documentationRangesTheDatabaseDoesNotMapAreLocal() throws IOException {
        Path empty = new MaxMindDbWriter(6, "empty", 1_767_225_600L, "nothing mapped")
                .put("2001:db8:ffff::/48", Map.of("country_code", "JP"))
                .write(dir.resolve("empty.mmdb"));
        try (CountryDatabase none = CountryDatabase.open(empty)) {
            DestinationCountries dc = new DestinationCountries(none, List.of());
            assertThat(dc.countryOf("192.0.2.1")).isEqualTo(DestinationCountries.LOCAL);
            assertThat(dc.countryOf("203.0.113.1")).isEqualTo(DestinationCountries.LOCAL);
            assertThat(dc.countryOf("2001:db8::1")).isEqualTo(DestinationCountries.LOCAL);
            assertThat(dc.countryOf("2001:db8:ffff::1")).isEqualTo("JP");
        }
    }

    @Test
    void sumsFlowsAndBytesPerDeviceAndCountryAndReportsThem() {
        DestinationCountries dc = new DestinationCountries(db, List.of("cn", "RU"));
        DestinationCountries.Session session = dc.newSession();
        List.of(
                flow("127.0.2.5", "02:00:00:00:00:05", "192.0.2.7", 3, 1200),
                flow("127.0.2.5", null, "192.0.2.8", 1, 300),
                flow("127.0.2.5", null, "198.51.100.1", 2, 5000),
                flow("127.0.2.5", null, "127.0.2.1", 4, 100),
                flow("127.0.2.6", null, "127.0.2.1", 9, 900),
                flow("127.0.2.7", null, "203.0.113.3", 1, 64)).forEach(session::accept);
        DestinationCountries.Report r = session.finish();
        assertThat(r.devices()).hasSize(3);
        DestinationCountries.DeviceCountries cam = r.devices().get(0);
        assertThat(cam.deviceKey()).isEqualTo("02:00:00:00:00:05");
        assertThat(cam.address()).isEqualTo("127.0.2.5");
        assertThat(cam.byCountry()).containsExactly(
                Map.entry("US", new DestinationCountries.Totals(2, 5000)),
                Map.entry("CN", new DestinationCountries.Totals(4, 1500)),
                Map.entry("local", new DestinationCountries.Totals(4, 100)));

        // the device that only talks locally has a table row but no finding
        assertThat(r.findings()).extracting(Finding::address).containsExactly("127.0.2.5",
                "127.0.2.5", "127.0.2.7");
        Finding info = r.findings().get(0);
        assertThat(info.id()).isEqualTo("destination-countries");
        assertThat(info.kind()).isEqualTo(Finding.Kind.BEHAVIOUR);
        assertThat(info.severity()).isEqualTo(Finding.Severity.INFO);
        assertThat(info.deviceKey()).isEqualTo("02:00:00:00:00:05");
        assertThat(info.title()).isEqualTo("Sends to 2 countries: US, CN");
        assertThat(info.details()).containsExactly(Map.entry("CN", "flows 4, bytes 1500"), Map
                .entry("US", "flows 2, bytes 5000"), Map.entry("local", "flows 4, bytes 100"));
        assertThat(info.evidence()).contains("US: flows 2, bytes 5000");

        Finding concern = r.findings().get(1);
        assertThat(concern.id()).isEqualTo("traffic-to-country-of-concern");
        assertThat(concern.severity()).isEqualTo(Finding.Severity.MEDIUM);
        assertThat(concern.remediation()).isEqualTo(Finding.Remediation.MONITOR);
        assertThat(concern.details()).containsEntry("CN", "flows 4, bytes 1500")
                .containsEntry("countries_of_concern", "CN,RU").doesNotContainKey("US");
        assertThat(concern.evidence()).contains("CN: flows 4, bytes 1500, peers 192.0.2.7,"
                + " 192.0.2.8");
        assertThat(r.findings().get(2).details()).containsOnlyKeys("DE");
    }

    @Test
    void noConcernListMeansNoMediumFinding() {
        DestinationCountries.Session s = new DestinationCountries(db, Set.of()).newSession();
        s.accept(flow("127.0.2.5", null, "192.0.2.7", 1, 10));
        DestinationCountries.Report r = s.finish();
        assertThat(r.findings()).extracting(Finding::id).containsExactly("destination-countries");
        assertThat(s.finish()).isSameAs(r);
    }

    /**
     * A peer inside the operator's ranges ({@code --local}) is local though the database maps it,
     * and only the site's hosts are rows: the operator's public range is the site, a public
     * initiator outside it is no device.
     */
    @Test
    void theOperatorsRangesAreLocalAndOnlyTheirHostsAreDevices() {
        SiteRanges site = SiteRanges.parse("192.0.2.0/24");
        DestinationCountries dc = new DestinationCountries(db, List.of("CN"));
        assertThat(dc.countryOf("192.0.2.9")).isEqualTo("CN");
        assertThat(dc.countryOf("192.0.2.9", site)).isEqualTo(DestinationCountries.LOCAL);
        assertThat(dc.countryOf("198.51.100.1", site)).isEqualTo("US");
        assertThat(dc.countryOf("10.0.0.1", site)).isEqualTo(DestinationCountries.LOCAL);

        DestinationCountries.Session s = dc.newSession(site);
        s.accept(flow("192.0.2.5", "02:00:00:00:00:05", "192.0.2.7", 3, 1200));
        s.accept(flow("192.0.2.5", null, "198.51.100.1", 2, 5000));
        s.accept(flow("192.0.2.6", null, "192.0.2.1", 1, 10));
        s.accept(flow("198.51.100.9", null, "192.0.2.8", 1, 10)); // not a site host
        DestinationCountries.Report r = s.finish();
        assertThat(r.devices()).extracting(DestinationCountries.DeviceCountries::address)
                .containsExactly("192.0.2.5", "192.0.2.6");
        assertThat(r.devices().get(0).byCountry()).containsExactly(
                Map.entry("US", new DestinationCountries.Totals(2, 5000)),
                Map.entry("local", new DestinationCountries.Totals(3, 1200)));
        // no country finding for the site's own peers, none of concern (CN) at all
        assertThat(r.findings()).extracting(Finding::id, Finding::address).containsExactly(
                org.assertj.core.groups.Tuple.tuple("destination-countries", "192.0.2.5"));
    }

    @Test
    void rejectsCountryCodesThatAreNotTwoLetters() {
        assertThatThrownBy(() -> new DestinationCountries(db, List.of("CHN")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'CHN'");
    }
}
