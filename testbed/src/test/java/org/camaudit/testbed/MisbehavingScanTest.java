package org.camaudit.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.camaudit.model.Scope;
import org.camaudit.probes.ProbeLimits;
import org.camaudit.model.SafetyClass;
import org.camaudit.probes.Network;
import org.camaudit.probes.ProbeContext;
import org.camaudit.probes.RateLimiter;
import org.camaudit.probes.ScopeGuard;
import org.camaudit.probes.service.ServiceProbes;
import org.junit.jupiter.api.Test;

/**
 * Issue 3, "the misbehaving devices cost the scan no more than their timeouts": a fleet of every
 * misbehaving personality and a few good devices, scanned by the real scanner with small limits,
 * finishes within a bound derived from those limits, records an error for every misbehaving
 * service, and still records the good devices completely.
 */
class MisbehavingScanTest {
    static final String NET = "127.71.0.";
    static final ProbeLimits LIMITS = new ProbeLimits(Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(3), 64 * 1024);
    static final Duration UDP_QUIET = Duration.ofMillis(300);

    /**
     * The most the scan may take. On loopback the sweep is decided in milliseconds (every port
     * answers SYN-ACK or RST at once); allow {@code SWEEP} for it. Service probes of a host start
     * as soon as its sweep is decided and run port by port in parallel; UDP discovery runs beside
     * them and ends {@code UDP_QUIET} after its last datagram. On one port the worst chain is the
     * 8000 null probe (at most 1 s, capped by the read limit) followed by one exchange that
     * stalls until the total limit; a stall ends that port's probing, and every exchange after a
     * non-stalling failure ends at once. So: sweep + null probe + total + UDP quiet, plus one
     * more total limit and 3 s for a slow, shared build machine (the limits themselves are kept
     * at 2 s per read and 3 s in total so that good devices are not cut off on a loaded one). Without the limits the drip
     * alone would hold a probe for minutes and the huge body would stream 100 MB.
     */
    static long boundMillis() {
        long sweep = 2_000;
        long nullProbe = Math.min(1_000, LIMITS.read().toMillis());
        long slack = 3_000;
        return sweep + nullProbe + 2 * LIMITS.total().toMillis() + UDP_QUIET.toMillis() + slack;
    }

    @Test
    void misbehavingDevicesCostNoMoreThanTheirTimeouts() throws Exception {
        Personalities catalog = Personalities.standard();
        List<DeviceSpec> bad = new ArrayList<>();
        int host = 10;
        for (Misbehaving.Kind kind : Misbehaving.Kind.values()) {
            bad.add(FleetScans.device(catalog, kind.id, NET + host++, d -> true));
        }
        // both broken XML shapes that matter most: an entity bomb and an external entity
        bad.add(FleetScans.device(catalog, "entity-bomb", NET + host++, d -> d.attribute("variant",
                "").equals("1")));
        bad.add(FleetScans.device(catalog, "entity-bomb", NET + host++, d -> d.attribute("variant",
                "").equals("0")));
        List<DeviceSpec> good = List.of(
                FleetScans.device(catalog, "hikvision-camera", NET + 50, d -> true),
                FleetScans.device(catalog, "hanwha-camera", NET + 51, d -> true),
                FleetScans.device(catalog, "web-server", NET + 52, d -> true));
        List<DeviceSpec> all = new ArrayList<>(bad);
        all.addAll(good);

        FleetScans.Result scan;
        // load the TLS keys before the clock starts: a cold JVM on a shared two-core machine
        // otherwise spends the first second of the scan on them, which is nobody's misbehaviour
        Tls.context(Tls.GENERIC);
        try (Fleet fleet = Fleet.start(all, catalog)) {
            scan = FleetScans.scan(NET + "0/24", Scope.CAMERA_PORTS, LIMITS, UDP_QUIET);
        }
        System.out.printf("misbehaving fleet: scan took %d ms (bound %d ms)%n", scan.millis(),
                boundMillis());
        assertThat(scan.millis()).as("scan time").isLessThanOrEqualTo(boundMillis());

        for (DeviceSpec d : bad) {
            Personality p = catalog.get(d.personality());
            for (int port : p.tcpPorts(d)) {
                List<Observation> here = scan.of(d.address(), port);
                assertThat(here).as(d.personality() + " port " + port + " open").anySatisfy(
                        o -> assertThat(o.field(Fields.STATE)).contains("open"));
                assertThat(here).as(d.personality() + " port " + port + " error").anySatisfy(
                        o -> {
                            assertThat(o.protocol()).isNotEqualTo("tcp");
                            assertThat(o.field(Fields.ERROR)).hasValueSatisfying(e -> assertThat(
                                    e).matches(expectedError(d.personality())));
                        });
            }
            for (int port : p.udpPorts(d)) {
                assertThat(scan.of(d.address(), port)).as(d.personality() + " udp " + port)
                        .anySatisfy(o -> assertThat(o.field(Fields.ERROR)).hasValueSatisfying(
                                e -> assertThat(e).matches(expectedError(d.personality()))));
            }
        }

        for (DeviceSpec d : good) {
            List<Observation> mine = scan.of(d.address());
            assertThat(mine).as(d.personality() + " has no errors").noneSatisfy(o -> assertThat(o
                    .isError()).isTrue());
            for (int port : catalog.get(d.personality()).tcpPorts(d)) {
                assertThat(scan.of(d.address(), port)).as(d.personality() + " port " + port)
                        .anySatisfy(o -> assertThat(o.protocol()).isNotEqualTo("tcp"));
            }
        }
        DeviceSpec hik = good.get(0);
        assertThat(scan.of(hik.address())).anySatisfy(o -> assertThat(o.field(
                "sadp.DeviceDescription")).contains(hik.model()));
        assertThat(scan.of(hik.address(), 554)).anySatisfy(o -> assertThat(o.field(
                Fields.RTSP_WWW_AUTHENTICATE)).isPresent());
        assertThat(scan.of(good.get(1).address(), 80)).anySatisfy(o -> assertThat(o.field(
                Fields.HTTP_TITLE)).contains("Hanwha Techwin"));
        assertThat(scan.of(good.get(2).address(), 22)).anySatisfy(o -> assertThat(o.field(
                Fields.SSH_BANNER)).isPresent());
    }

    /**
     * The service probes themselves, given the ports without a sweep: a reset right after accept
     * is recorded as an error on every port, and costs nothing like a timeout.
     */
    @Test
    void resetOnConnectIsAnErrorOnEveryPort() throws Exception {
        Personalities catalog = Personalities.standard();
        DeviceSpec d = FleetScans.device(catalog, "reset-on-connect", "127.71.1.10", x -> true);
        Scope scope = new Scope(List.of("127.71.1.0/24"), List.of(), Scope.CAMERA_PORTS, 50_000,
                1000, SafetyClass.defaults(), false, false, "testbed test");
        Network net = new Network(new ScopeGuard(scope), new RateLimiter(50_000));
        try (Fleet fleet = Fleet.start(List.of(d), catalog)) {
            long start = System.nanoTime();
            List<Observation> obs = ServiceProbes.standard().probeHost(InetAddress.getByName(d
                    .address()), new TreeSet<>(catalog.get(d.personality()).tcpPorts(d)),
                    new ProbeContext(net, LIMITS, SafetyClass.defaults()));
            long millis = (System.nanoTime() - start) / 1_000_000;
            for (int port : catalog.get(d.personality()).tcpPorts(d)) {
                assertThat(obs).as("port " + port).anySatisfy(o -> {
                    assertThat(o.port()).isEqualTo(port);
                    assertThat(o.field(Fields.ERROR)).hasValueSatisfying(e -> assertThat(e)
                            .matches(expectedError(d.personality())));
                });
            }
            assertThat(millis).as("resets are immediate").isLessThan(LIMITS.total().toMillis());
        }
    }

    /**
     * Known gap, reported to the probes module: a port that completes the handshake and then
     * resets (SO_LINGER 0 close right after accept) is a listening service, as nmap's SYN-ACK
     * rule says, but the epoll sweep reads SO_ERROR after the reset has arrived, sees ECONNRESET
     * and counts the port as refused (EpollConnectEngine.refusal). Whether the port is seen then
     * depends on a race, so the scan test above tolerates its absence.
     */
    @Test
    void sweepSeesAPortThatResetsAfterAccept() throws Exception {
        Personalities catalog = Personalities.standard();
        DeviceSpec d = FleetScans.device(catalog, "reset-on-connect", "127.71.2.10", x -> true);
        try (Fleet fleet = Fleet.start(List.of(d), catalog)) {
            FleetScans.Result scan = FleetScans.scan("127.71.2.0/24", Scope.CAMERA_PORTS, LIMITS,
                    UDP_QUIET);
            for (int port : catalog.get(d.personality()).tcpPorts(d)) {
                assertThat(scan.of(d.address(), port)).as("port " + port)
                        .anySatisfy(o -> assertThat(
                                o.field(Fields.STATE)).contains("open"));
            }
        }
    }

    /** What each misbehaviour must be recorded as. */
    static String expectedError(String personality) {
        return switch (personality) {
            case "slow-drip", "endless-headers", "accept-silence" -> ".*timeout.*";
            // Two limits race here, and either one ending the exchange is the bound this test
            // is about: on an idle machine 64 KiB arrive long before the 3 s total, but on two
            // cores kept busy (bench/suite-under-load.sh: a 0.9 s connect was seen) the total can
            // trip first. The byte cap alone is proven by HostileDeviceTest.
            case "huge-body" -> "reply exceeded 65536 bytes|timeout \\(total 3000 ms\\)";
            case "reset-on-connect" -> "reset|closed.*";
            case "entity-bomb" -> ".*DOCTYPE.*";
            case "malformed-xml" -> "(?!.*DOCTYPE).+";
            default -> throw new IllegalArgumentException(personality);
        };
    }
}
