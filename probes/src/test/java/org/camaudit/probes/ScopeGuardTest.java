package org.camaudit.probes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camaudit.model.SafetyClass;
import org.camaudit.model.Scope;
import org.junit.jupiter.api.Test;

class ScopeGuardTest {
    static Scope scope(List<String> targets, List<String> excludes, boolean multicast,
            boolean large) {
        return new Scope(targets, excludes, List.of(80), 1000, 10, SafetyClass.defaults(),
                multicast, large, "unit test");
    }

    static InetAddress ip(String s) throws UnknownHostException {
        return InetAddress.getByName(s);
    }

    @Test
    void exclusionsWin() throws Exception {
        ScopeGuard g = new ScopeGuard(scope(List.of("127.40.0.0/24"),
                List.of("127.40.0.5", "127.40.0.10-12"), false, false));
        assertThat(g.allows(ip("127.40.0.4"))).isTrue();
        assertThat(g.allows(ip("127.40.0.5"))).isFalse();
        assertThat(g.allows(ip("127.40.0.11"))).isFalse();
        assertThat(g.allows(ip("127.40.1.1"))).isFalse();
        assertThat(g.addressCount()).isEqualTo(BigInteger.valueOf(256 - 4));
        List<String> visited = new ArrayList<>();
        g.targets().forEachRemaining(a -> visited.add(a.getHostAddress()));
        assertThat(visited).hasSize(252).doesNotContain("127.40.0.5", "127.40.0.10",
                "127.40.0.12").contains("127.40.0.0", "127.40.0.255");
    }

    @Test
    void overlappingTargetsVisitEachAddressOnce() {
        ScopeGuard g = new ScopeGuard(scope(List.of("127.41.0.0/30", "127.41.0.2-127.41.0.5",
                "127.41.0.1"), List.of(), false, false));
        List<String> visited = new ArrayList<>();
        g.targets().forEachRemaining(a -> visited.add(a.getHostAddress()));
        assertThat(visited).containsExactly("127.41.0.0", "127.41.0.1", "127.41.0.2",
                "127.41.0.3", "127.41.0.4", "127.41.0.5");
    }

    @Test
    void largerThanSlash16NeedsAllowLarge() {
        assertThatThrownBy(() -> new ScopeGuard(scope(List.of("127.0.0.0/15"), List.of(), false,
                false))).isInstanceOf(ScopeRefusedException.class).hasMessageContaining(
                        "--allow-large");
        assertThat(new ScopeGuard(scope(List.of("127.0.0.0/16"), List.of(), false, false))
                .size()).isEqualTo(BigInteger.valueOf(65536));
        assertThat(new ScopeGuard(scope(List.of("127.0.0.0/15"), List.of(), false, true))
                .size()).isEqualTo(BigInteger.valueOf(131072));
    }

    @Test
    void hostNamesAreResolvedAndEachAddressChecked() throws Exception {
        Map<String, List<InetAddress>> dns = Map.of("cam-a.lab", List.of(ip("127.42.0.7")),
                "cam-b.lab", List.of(ip("127.42.0.8"), ip("::1")), "gone.lab", List.of());
        ScopeGuard.Resolver resolver = host -> {
            List<InetAddress> a = dns.get(host);
            if (a == null) {
                throw new UnknownHostException(host);
            }
            return a;
        };
        ScopeGuard g = new ScopeGuard(scope(List.of("cam-a.lab", "cam-b.lab"), List.of("::1"),
                false, false), resolver);
        assertThat(g.allows(ip("127.42.0.7"))).isTrue();
        assertThat(g.allows(ip("127.42.0.8"))).isTrue();
        assertThat(g.allows(ip("::1"))).as("excluded by literal").isFalse();
        assertThat(g.allows(ip("127.42.0.9"))).isFalse();
        assertThatThrownBy(() -> new ScopeGuard(scope(List.of("nope.lab"), List.of(), false,
                false), resolver)).isInstanceOf(ScopeRefusedException.class).hasMessageContaining(
                        "cannot resolve target 'nope.lab'");
        assertThatThrownBy(() -> new ScopeGuard(scope(List.of("127.42.0.0/24"), List.of(
                "gone.lab"), false, false), resolver)).isInstanceOf(ScopeRefusedException.class)
                .hasMessageContaining("exclusion");
    }

    @Test
    void ipv6RangesAndCidrs() throws Exception {
        ScopeGuard g = new ScopeGuard(scope(List.of("::1/128", "fd00::10-fd00::1f"), List.of(
                "fd00::15"), false, false));
        assertThat(g.allows(ip("::1"))).isTrue();
        assertThat(g.allows(ip("fd00::10"))).isTrue();
        assertThat(g.allows(ip("fd00::15"))).isFalse();
        assertThat(g.allows(ip("fd00::20"))).isFalse();
        assertThat(g.allows(ip("127.0.0.1"))).isFalse();
        assertThat(g.addressCount()).isEqualTo(BigInteger.valueOf(1 + 16 - 1));
    }

    @Test
    void multicastOnlyWhenEnabled() throws Exception {
        ScopeGuard off = new ScopeGuard(scope(List.of("127.43.0.0/24"), List.of(), false, false));
        ScopeGuard on = new ScopeGuard(scope(List.of("127.43.0.0/24"), List.of(), true, false));
        assertThat(off.allows(ip("239.255.255.250"))).isFalse();
        assertThat(off.allows(ip("255.255.255.255"))).isFalse();
        assertThat(on.allows(ip("239.255.255.250"))).isTrue();
        assertThat(on.allows(ip("224.0.0.1"))).as("not a discovery group").isFalse();
    }

    @Test
    void badTargetsAreRefusedWithTheirText() {
        assertThatThrownBy(() -> new ScopeGuard(scope(List.of("127.0.0.300"), List.of(), false,
                false))).hasMessageContaining("127.0.0.300");
        assertThatThrownBy(() -> new ScopeGuard(scope(List.of("127.0.0.0/33"), List.of(), false,
                false))).hasMessageContaining("prefix");
        assertThatThrownBy(() -> new ScopeGuard(scope(List.of("127.0.0.9-127.0.0.1"), List.of(),
                false, false))).isInstanceOf(ScopeRefusedException.class);
        assertThatThrownBy(() -> new ScopeGuard(scope(List.of("a b;c"), List.of(), false,
                false))).hasMessageContaining("neither");
    }

    @Test
    void networkRefusesBeforeSendingAnything() throws Exception {
        ScopeGuard g = new ScopeGuard(scope(List.of("127.44.0.0/24"), List.of("127.44.0.9"),
                false, false));
        Network net = new Network(g, new RateLimiter(1000));
        assertThatThrownBy(() -> net.startConnect(new InetSocketAddress("127.44.0.9", 80)))
                .isInstanceOf(ScopeRefusedException.class);
        assertThatThrownBy(() -> net.connect(new InetSocketAddress("127.45.0.1", 80),
                java.time.Duration.ofSeconds(1))).isInstanceOf(ScopeRefusedException.class);
        assertThat(net.connectsStarted()).isZero();
    }
}
