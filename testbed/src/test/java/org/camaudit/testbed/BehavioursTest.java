package org.camaudit.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.camaudit.model.IpRange;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class BehavioursTest {
    private static final Personalities CATALOG = Personalities.standard();

    private static List<DeviceSpec> fleet(long seed) {
        return FleetPlan.generate(80, IpRange.parse("127.94.0.0/24"), FleetPlan.defaultMix(), seed,
                CATALOG);
    }

    @Test
    void countsParseAndBadOnesAreRefusedWithTheReason() {
        assertThat(Behaviours.parseCounts("phone-home=4, relay=1,telnet-scan")).containsExactly(
                Map.entry(Behaviour.PHONE_HOME, 4), Map.entry(Behaviour.RELAY, 1), Map.entry(
                        Behaviour.TELNET_SCAN, 1));
        assertThatThrownBy(() -> Behaviours.parseCounts("mine-bitcoin=1")).hasMessageContaining(
                "unknown behaviour 'mine-bitcoin'");
        assertThatThrownBy(() -> Behaviours.parseCounts("relay=x")).hasMessageContaining(
                "not a number");
        assertThatThrownBy(() -> Behaviours.parseCounts("relay=-1")).hasMessageContaining(
                "negative");
    }

    @Test
    void assignGivesExactCountsToSuitableDevicesOncePerDeviceAndRepeatsWithTheSeed() {
        Map<Behaviour, Integer> counts = Behaviours
                .parseCounts("phone-home=8,relay=3,telnet-scan=3");
        List<DeviceSpec> told = Behaviours.assign(fleet(3), counts, 3);
        assertThat(told).hasSize(80);
        Map<Behaviour, List<DeviceSpec>> by = told.stream().filter(d -> !Behaviour.of(d).isEmpty())
                .collect(Collectors.groupingBy(d -> Behaviour.of(d).get(0)));
        assertThat(by.get(Behaviour.PHONE_HOME)).hasSize(8);
        assertThat(by.get(Behaviour.RELAY)).hasSize(3);
        assertThat(by.get(Behaviour.TELNET_SCAN)).hasSize(3);
        told.forEach(d -> assertThat(Behaviour.of(d)).hasSizeLessThanOrEqualTo(1));
        by.forEach((b, devices) -> devices.forEach(d -> assertThat(b.suits(d)).isTrue()));
        // every simulated cloud gets a device before any gets a second
        assertThat(by.get(Behaviour.PHONE_HOME).stream().map(d -> VendorCloud.of(d).orElseThrow()
                .id()).distinct()).containsExactlyInAnyOrder("hik-connect", "easy4ip", "xmeye",
                        "reolink-cloud");
        assertThat(Behaviours.assign(fleet(3), counts, 3)).isEqualTo(told);
        assertThat(Behaviours.assign(fleet(3), counts, 4)).isNotEqualTo(told);
        // the manifest says what each was told and what a passive audit must find
        DeviceSpec relay = by.get(Behaviour.RELAY).get(0);
        assertThat(Manifest.line(relay, CATALOG.get(relay.personality()))).contains(
                "\"behaviours\":[\"relay\"]", "\"traffic_findings\":[\"relay-forwarding\"]");
    }

    @Test
    void assignRefusesWhenTooFewDevicesSuit() {
        List<DeviceSpec> hosts = fleet(1).stream().filter(d -> d.type().equals("host")).toList();
        assertThatThrownBy(() -> Behaviours.assign(hosts, Map.of(Behaviour.RELAY, 1), 1))
                .hasMessageContaining("1 devices cannot relay: only 0 suit");
    }

    @Test
    void dnsAnswersKnownNamesRefusesOthersAndSurvivesHostileBytes() {
        Map<String, String> names = Map.of("www.easy4ipcloud.com", "127.250.1.2");
        byte[] q = DnsMessages.query(0x1234, "www.easy4ipcloud.com");
        byte[] a = DnsMessages.answer(q, q.length, names);
        assertThat(DnsMessages.firstAddress(a, a.length, 0x1234)).contains("127.250.1.2");
        assertThat(DnsMessages.firstAddress(a, a.length, 0x4321)).as("another transaction")
                .isEmpty();
        byte[] unknown = DnsMessages.query(7, "example.invalid");
        byte[] nx = DnsMessages.answer(unknown, unknown.length, names);
        assertThat(nx[3] & 0x0f).as("NXDOMAIN").isEqualTo(3);
        assertThat(DnsMessages.firstAddress(nx, nx.length, 7)).isEmpty();
        // every truncation gives nothing; 2,000 random corruptions never throw
        for (int n = 0; n < q.length; n++) {
            assertThat(DnsMessages.answer(q, n, names)).as("a query cut to %d bytes", n).isEmpty();
        }
        for (int n = 0; n < a.length; n++) {
            assertThat(DnsMessages.firstAddress(a, n, 0x1234)).as("a reply cut to %d bytes", n)
                    .isEmpty();
        }
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 2000; i++) {
            byte[] bad = a.clone();
            bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
            DnsMessages.firstAddress(bad, bad.length, 0x1234);
            byte[] badQuery = q.clone();
            badQuery[random.nextInt(badQuery.length)] = (byte) random.nextInt(256);
            DnsMessages.answer(badQuery, badQuery.length, names);
        }
    }

    @Test
    void behavingDevicesReallyTalkToTheSimulatedWorld() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "the simulated DNS server binds port 53");
        List<DeviceSpec> told = Behaviours.assign(fleet(5), Behaviours.parseCounts(
                "phone-home=4,relay=1,telnet-scan=1"), 5);
        try (Fleet fleet = Fleet.start(told, CATALOG);
                SimulatedInternet world = SimulatedInternet.start(IpRange.parse(
                        "127.253.0.0/16"))) {
            Behaviours.Performed done = Behaviours.perform(told, world);
            assertThat(done.errors()).isEmpty();
            assertThat(done.devices()).isEqualTo(6);
            assertThat(done.phoneHomes()).isEqualTo(4);
            assertThat(done.cloudAnswers()).isEqualTo(4);
            assertThat(world.dnsAnswers()).isEqualTo(4);
            assertThat(world.cloudContacts()).isEqualTo(4);
            assertThat(done.relayedBytes()).isEqualTo(Behaviours.RELAY_BYTES);
            assertThat(done.scanAttempts()).isEqualTo(SimulatedInternet.SCAN_TARGETS);
        }
    }

    @Test
    void theWorldStaysOnLoopbackAndApartFromTheFleet() {
        assertThatThrownBy(() -> SimulatedInternet.start(IpRange.parse("10.250.0.0/16")))
                .hasMessageContaining("inside 127.0.0.0/8");
        assertThatThrownBy(() -> SimulatedInternet.start(IpRange.parse("127.250.0.0/24")))
                .hasMessageContaining("a /16");
    }
}
