package org.camaudit.testbed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.camaudit.model.Observation;
import org.camaudit.model.SafetyClass;
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

/** The real scanner (sweep, service probes, unicast UDP discovery) run against a test fleet. */
final class FleetScans {
    /** What one scan gathered and how long it took. */
    record Result(List<Observation> observations, long millis) {
        List<Observation> of(String address) {
            return observations.stream().filter(o -> o.address().equals(address)).toList();
        }

        List<Observation> of(String address, int port) {
            return observations.stream().filter(o -> o.address().equals(address) && o
                    .port() == port).toList();
        }
    }

    private FleetScans() {
    }

    static Result scan(String cidr, List<Integer> ports, ProbeLimits limits, Duration udpQuiet)
            throws Exception {
        Scope scope = new Scope(List.of(cidr), List.of(), ports, 50_000, 1000, SafetyClass
                .defaults(), false, false, "testbed test");
        Network net = new Network(new ScopeGuard(scope), new RateLimiter(50_000));
        List<Observation> out = Collections.synchronizedList(new ArrayList<>());
        UdpDiscovery udp = new UdpDiscovery(net, udpQuiet, false);
        long start = System.nanoTime();
        new Scanner(net, new Scanner.Options(true, false, PortSweep.Settings.defaults(1000), limits,
                64), ServiceProbes.standard()::probeHost, udp::run, new Progress()).run(out::add);
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new Result(List.copyOf(out), millis);
    }

    /** The first device of a personality (seeds 0, 1, ...) that has what the test needs. */
    static DeviceSpec device(Personalities catalog, String id, String address,
            Predicate<DeviceSpec> wanted) {
        for (long seed = 0; seed < 10_000; seed++) {
            DeviceSpec d = catalog.get(id).create(address, new SplittableRandom(seed));
            if (wanted.test(d)) {
                return d;
            }
        }
        throw new IllegalStateException("no " + id + " device matches in 10,000 seeds");
    }

    /** Every field value and the raw excerpt of each observation, one text to search. */
    static String text(List<Observation> observations) {
        StringBuilder s = new StringBuilder();
        for (Observation o : observations) {
            o.fields().values().forEach(v -> s.append(v).append('\n'));
            s.append(o.raw()).append('\n');
        }
        return s.toString();
    }
}
