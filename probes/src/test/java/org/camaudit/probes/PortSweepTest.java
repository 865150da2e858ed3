package org.camaudit.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.camaudit.model.SafetyClass;
import org.camaudit.model.Scope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PortSweepTest {
    private final List<ServerSocketChannel> listeners = new ArrayList<>();

    private ServerSocketChannel listen(String address, int port) throws Exception {
        ServerSocketChannel s = ServerSocketChannel.open();
        s.bind(new InetSocketAddress(address, port), 64);
        s.configureBlocking(false);
        listeners.add(s);
        return s;
    }

    @AfterEach
    void close() throws Exception {
        for (ServerSocketChannel s : listeners) {
            s.close();
        }
    }

    private static int accepted(ServerSocketChannel s) throws Exception {
        int n = 0;
        SocketChannel c;
        while ((c = s.accept()) != null) {
            c.close();
            n++;
        }
        return n;
    }

    @Test
    void findsEveryListenerAndNothingElse() throws Exception {
        listen("127.46.0.3", 18080);
        listen("127.46.0.3", 18554);
        listen("127.46.0.200", 18000);
        listen("127.46.1.1", 18080); // outside the /24: must not be touched
        Scope scope = new Scope(List.of("127.46.0.0/24"), List.of(), List.of(18080, 18554, 18000),
                50_000, 256, SafetyClass.defaults(), false, false, "unit test");
        Network net = new Network(new ScopeGuard(scope), new RateLimiter(50_000));
        Set<String> open = ConcurrentHashMap.newKeySet();
        Set<String> done = ConcurrentHashMap.newKeySet();
        PortSweep sweep = new PortSweep(net, scope.ports(), PortSweep.Settings.defaults(256),
                new Progress());
        PortSweep.Result r = sweep.run(net.guard().targets(), new PortSweep.Listener() {
            @Override
            public void open(InetAddress address, int port, long rttMicros) {
                open.add(address.getHostAddress() + ":" + port);
            }

            @Override
            public void addressDone(InetAddress address) {
                done.add(address.getHostAddress());
            }
        });
        assertThat(open).containsExactlyInAnyOrder("127.46.0.3:18080", "127.46.0.3:18554",
                "127.46.0.200:18000");
        assertThat(r.addresses()).isEqualTo(256);
        assertThat(r.open()).isEqualTo(3);
        assertThat(r.open() + r.refused() + r.silent() + r.localErrors()).isEqualTo(256 * 3);
        assertThat(done).hasSize(256);
        assertThat(accepted(listeners.get(3))).isZero();
    }

    @Test
    void excludedAddressesSeeNoConnection() throws Exception {
        ServerSocketChannel excluded = listen("127.47.0.9", 18080);
        ServerSocketChannel excludedRange = listen("127.47.0.21", 18080);
        ServerSocketChannel included = listen("127.47.0.10", 18080);
        Scope scope = new Scope(List.of("127.47.0.0/24"), List.of("127.47.0.9",
                "127.47.0.20-127.47.0.29"), List.of(18080), 50_000, 64, SafetyClass.defaults(),
                false,
                false, "unit test");
        Network net = new Network(new ScopeGuard(scope), new RateLimiter(50_000));
        Set<String> open = ConcurrentHashMap.newKeySet();
        new PortSweep(net, scope.ports(), PortSweep.Settings.defaults(64), new Progress()).run(net
                .guard().targets(), (address, port, rtt) -> open.add(address.getHostAddress()));
        assertThat(open).containsExactly("127.47.0.10");
        assertThat(accepted(excluded)).isZero();
        assertThat(accepted(excludedRange)).isZero();
        assertThat(accepted(included)).isEqualTo(1);
    }

    @Test
    void adaptiveTimeoutStaysWithinBounds() {
        Scope scope = new Scope(List.of("127.48.0.1"), List.of(), List.of(1), 1000, 1, SafetyClass
                .defaults(), false, false, "unit test");
        Network net = new Network(new ScopeGuard(scope), new RateLimiter(1000));
        PortSweep sweep = new PortSweep(net, List.of(1), new PortSweep.Settings(1, 0, 100, 3000,
                1), new Progress());
        assertThat(sweep.initialTimeoutNanos()).isEqualTo(1_000_000_000L);
        PortSweep tight = new PortSweep(net, List.of(1), new PortSweep.Settings(1, 0, 100, 500,
                1), new Progress());
        assertThat(tight.initialTimeoutNanos()).isEqualTo(500_000_000L);
    }
}
