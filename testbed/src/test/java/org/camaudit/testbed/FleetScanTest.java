package org.camaudit.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camaudit.model.IpRange;
import org.camaudit.model.Observation;
import org.camaudit.model.SafetyClass;
import org.camaudit.model.ScanSummary;
import org.camaudit.model.Scope;
import org.camaudit.probes.Network;
import org.camaudit.probes.PortSweep;
import org.camaudit.probes.ProbeLimits;
import org.camaudit.probes.Progress;
import org.camaudit.probes.RateLimiter;
import org.camaudit.probes.Scanner;
import org.camaudit.probes.ScopeGuard;
import org.camaudit.probes.discovery.UdpDiscovery;
import org.camaudit.probes.service.ServiceProbes;
import org.junit.jupiter.api.Test;

/** The real scanner against a fleet: every device in the manifest is found, with its tells. */
class FleetScanTest {
    static List<Observation> scan(String cidr, Duration timeout) throws Exception {
        Scope scope = new Scope(List.of(cidr), List.of(), Scope.CAMERA_PORTS, 50_000, 1000,
                SafetyClass.defaults(), false, false, "fleet test");
        Network net = new Network(new ScopeGuard(scope), new RateLimiter(50_000));
        List<Observation> out = Collections.synchronizedList(new ArrayList<>());
        UdpDiscovery udp = new UdpDiscovery(net, Duration.ofMillis(500), false);
        ScanSummary s = new Scanner(net, new Scanner.Options(true, false, PortSweep.Settings
                .defaults(1000),
                new ProbeLimits(Duration.ofSeconds(2), Duration.ofSeconds(2),
                        timeout, 256 * 1024),
                64), ServiceProbes.standard()::probeHost,
                (t, sink) -> udp
                        .run(t, sink),
                new Progress()).run(out::add);
        assertThat(s.addressesProbed()).isPositive();
        return out;
    }

    @Test
    void everyDeviceOfTheManifestIsFoundWithItsTells() throws Exception {
        Personalities catalog = Personalities.standard();
        List<DeviceSpec> devices = FleetPlan.generate(40, IpRange.parse("127.61.0.0/24"),
                FleetPlan.defaultMix(), 7, catalog);
        try (Fleet fleet = Fleet.start(devices, catalog)) {
            List<Observation> obs = scan("127.61.0.0/24", Duration.ofSeconds(5));
            Map<String, Set<String>> protocols = new HashMap<>();
            for (Observation o : obs) {
                protocols.computeIfAbsent(o.address(), a -> new HashSet<>()).add(o.protocol());
            }
            for (DeviceSpec d : devices) {
                Personality p = catalog.get(d.personality());
                Set<Integer> open = new HashSet<>();
                obs.stream().filter(o -> o.address().equals(d.address()) && o.protocol().equals(
                        "tcp")).forEach(o -> open.add(o.port()));
                assertThat(open).as(d.address() + " " + d.personality())
                        .containsExactlyInAnyOrderElementsOf(p.tcpPorts(d).stream().filter(
                                Scope.CAMERA_PORTS::contains).toList());
            }
            assertThat(protocols.keySet()).containsAll(devices.stream().map(DeviceSpec::address)
                    .toList());
            assertThat(devices.stream().map(DeviceSpec::address).toList()).containsAll(protocols
                    .keySet());
            for (DeviceSpec d : devices) {
                // each platform's own discovery protocol names the device
                String field = switch (d.platform()) {
                    case "Hikvision" -> "sadp.DeviceDescription";
                    case "Dahua" -> "dhdiscover.DeviceType";
                    case "Xiongmai" -> "dvrip.SN";
                    case "Axis" -> "onvif.scope.hardware";
                    default -> "";
                };
                if (field.isEmpty()) {
                    continue;
                }
                String expected = d.platform().equals("Xiongmai") ? d.serial() : d.model();
                assertThat(obs).as(field + " from " + d.address() + " " + d.personality())
                        .anySatisfy(o -> {
                            assertThat(o.address()).isEqualTo(d.address());
                            assertThat(o.field(field)).contains(expected);
                            if (!field.startsWith("onvif")) {
                                assertThat(o.mac()).contains(d.mac());
                            }
                        });
            }
            assertThat(fleet.connectionsAccepted()).isPositive();
        }
    }

    @Test
    void planIsDeterministicFromTheSeed() {
        Personalities catalog = Personalities.standard();
        List<DeviceSpec> a = FleetPlan.generate(50, IpRange.parse("127.62.0.0/16"), FleetPlan
                .defaultMix(), 42, catalog);
        List<DeviceSpec> b = FleetPlan.generate(50, IpRange.parse("127.62.0.0/16"), FleetPlan
                .defaultMix(), 42, catalog);
        List<DeviceSpec> c = FleetPlan.generate(50, IpRange.parse("127.62.0.0/16"), FleetPlan
                .defaultMix(), 43, catalog);
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
        assertThat(a.stream().map(DeviceSpec::address).distinct()).hasSize(50);
        assertThat(a).allSatisfy(d -> assertThat(InetAddressCheck.isLoopback(d.address()))
                .isTrue());
    }

    static final class InetAddressCheck {
        static boolean isLoopback(String a) {
            try {
                return InetAddress.getByName(a).isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
    }
}
