package org.camaudit.probes;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.camaudit.model.IpRange;
import org.camaudit.model.Scope;

/**
 * The one check every packet passes. Built from a {@link Scope}: host names are resolved once,
 * here, and each resolved address is checked like any literal; exclusions always win; a scope
 * larger than a /16 is refused unless the operator allowed it; multicast and broadcast
 * destinations are refused unless the scope enables multicast discovery.
 */
public final class ScopeGuard {
    /** Resolves a host name to its addresses; the default asks the system resolver. */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    /** Discovery groups camaudit may send to when multicast is enabled. */
    private static final Set<String> DISCOVERY_GROUPS = Set.of("239.255.255.250",
            "239.255.255.251", "255.255.255.255", "ff02:0:0:0:0:0:0:c");

    private final Scope scope;
    private final List<IpRange> include;
    private final List<IpRange> exclude;
    private final BigInteger size;

    public ScopeGuard(Scope scope) {
        this(scope, host -> Arrays.asList(InetAddress.getAllByName(host)));
    }

    public ScopeGuard(Scope scope, Resolver resolver) {
        this.scope = scope;
        this.include = merge(expand(scope.targets(), resolver, "target"));
        this.exclude = merge(expand(scope.excludes(), resolver, "exclusion"));
        BigInteger total = BigInteger.ZERO;
        for (IpRange r : include) {
            total = total.add(r.size());
        }
        this.size = total;
        if (!scope.allowLarge() && total.compareTo(BigInteger.valueOf(Scope.LARGE_SCOPE)) > 0) {
            throw new ScopeRefusedException("scope has " + total
                    + " addresses, more than a /16 (65,536); pass --allow-large if you mean it");
        }
    }

    private static List<IpRange> expand(List<String> specs, Resolver resolver, String what) {
        List<IpRange> out = new ArrayList<>();
        for (String spec : specs) {
            String s = spec.trim();
            if (s.isEmpty()) {
                continue;
            }
            if (IpRange.looksLikeRange(s)) {
                try {
                    out.add(IpRange.parse(s));
                } catch (IllegalArgumentException e) {
                    throw new ScopeRefusedException("bad " + what + ": " + e.getMessage());
                }
                continue;
            }
            if (!s.matches("[A-Za-z0-9._-]+")) {
                throw new ScopeRefusedException("bad " + what + ": '" + s
                        + "' is neither an address, a CIDR, a range nor a host name");
            }
            List<InetAddress> addresses;
            try {
                addresses = resolver.resolve(s);
            } catch (UnknownHostException e) {
                throw new ScopeRefusedException("cannot resolve " + what + " '" + s + "'");
            }
            if (addresses.isEmpty()) {
                throw new ScopeRefusedException("cannot resolve " + what + " '" + s + "'");
            }
            for (InetAddress a : addresses) {
                out.add(IpRange.of(a));
            }
        }
        return out;
    }

    /** Sorts and joins overlapping or adjacent ranges so that no address is visited twice. */
    static List<IpRange> merge(List<IpRange> ranges) {
        List<IpRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingInt(IpRange::family).thenComparing(IpRange::first));
        List<IpRange> out = new ArrayList<>();
        for (IpRange r : sorted) {
            if (!out.isEmpty()) {
                IpRange last = out.get(out.size() - 1);
                if (last.family() == r.family()
                        && r.first().compareTo(last.last().add(BigInteger.ONE)) <= 0) {
                    if (r.last().compareTo(last.last()) > 0) {
                        out.set(out.size() - 1, new IpRange(last.family(), last.first(), r.last()));
                    }
                    continue;
                }
            }
            out.add(r);
        }
        return List.copyOf(out);
    }

    public Scope scope() {
        return scope;
    }

    /** Number of addresses in the included ranges, before exclusions. */
    public BigInteger size() {
        return size;
    }

    /** Number of unicast addresses that will be visited: included ranges less exclusions. */
    public BigInteger addressCount() {
        BigInteger total = size;
        for (IpRange in : include) {
            for (IpRange ex : exclude) {
                if (in.family() != ex.family()) {
                    continue;
                }
                BigInteger lo = in.first().max(ex.first());
                BigInteger hi = in.last().min(ex.last());
                if (lo.compareTo(hi) <= 0) {
                    total = total.subtract(hi.subtract(lo).add(BigInteger.ONE));
                }
            }
        }
        return total;
    }

    public List<IpRange> included() {
        return include;
    }

    public List<IpRange> excluded() {
        return exclude;
    }

    /** True when traffic to this address is allowed. */
    public boolean allows(InetAddress address) {
        if (isGroupOrBroadcast(address)) {
            return scope.multicast() && DISCOVERY_GROUPS.contains(address.getHostAddress());
        }
        for (IpRange r : exclude) {
            if (r.contains(address)) {
                return false;
            }
        }
        for (IpRange r : include) {
            if (r.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Returns the address if traffic to it is allowed, else throws. */
    public InetAddress admit(InetAddress address) {
        if (!allows(address)) {
            throw new ScopeRefusedException(address.getHostAddress() + " is outside the scope");
        }
        return address;
    }

    private static boolean isGroupOrBroadcast(InetAddress a) {
        return a.isMulticastAddress()
                || (a instanceof Inet4Address && a.getHostAddress().equals("255.255.255.255"));
    }

    /** Every in-scope unicast address, in order, each once, exclusions skipped. */
    public Iterator<InetAddress> targets() {
        return new Iterator<>() {
            private int rangeIndex = 0;
            private Iterator<InetAddress> current = include.isEmpty()
                    ? null
                    : include.get(0).iterator();
            private InetAddress next = advance();

            private InetAddress advance() {
                while (current != null) {
                    while (current.hasNext()) {
                        InetAddress a = current.next();
                        if (allows(a)) {
                            return a;
                        }
                    }
                    rangeIndex++;
                    current = rangeIndex < include.size()
                            ? include.get(rangeIndex).iterator()
                            : null;
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public InetAddress next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                InetAddress out = next;
                next = advance();
                return out;
            }
        };
    }
}
