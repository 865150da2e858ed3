package org.camaudit.model;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;

/**
 * An inclusive range of IPv4 or IPv6 addresses, parsed from a CIDR ({@code 10.1.0.0/16}), a range
 * ({@code 10.1.0.5-10.1.0.9} or {@code 10.1.0.5-9}) or a single literal address. Hostnames are not
 * ranges: the scope guard resolves them.
 */
public record IpRange(int family, BigInteger first,
        BigInteger last) implements Iterable<InetAddress> {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public IpRange {
        if (family != 4 && family != 6) {
            throw new IllegalArgumentException("family must be 4 or 6");
        }
        BigInteger max = BigInteger.ONE.shiftLeft(family == 4 ? 32 : 128).subtract(BigInteger.ONE);
        if (first.signum() < 0 || last.compareTo(max) > 0 || first.compareTo(last) > 0) {
            throw new IllegalArgumentException("range start must not be after its end");
        }
    }

    /** True when the text is an IPv4 or IPv6 literal (parsing it needs no name lookup). */
    public static boolean isLiteral(String text) {
        String t = text.trim();
        return IPV4.matcher(t).matches()
                || (t.contains(":") && !t.contains("/") && !t.contains("-"));
    }

    /** True when the text is a CIDR, a range or a literal, rather than a host name. */
    public static boolean looksLikeRange(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        if (slash > 0) {
            return isLiteral(t.substring(0, slash));
        }
        int dash = t.indexOf('-');
        if (dash > 0 && isLiteral(t.substring(0, dash))) {
            return true;
        }
        return isLiteral(t);
    }

    public static IpRange parse(String text) {
        String t = text.trim();
        try {
            int slash = t.indexOf('/');
            if (slash > 0) {
                InetAddress base = literal(t.substring(0, slash));
                int bits = base instanceof Inet4Address ? 32 : 128;
                int prefix = Integer.parseInt(t.substring(slash + 1));
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException(
                            "prefix length out of range in '" + text + "'");
                }
                BigInteger value = new BigInteger(1, base.getAddress());
                BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix)
                        .subtract(BigInteger.ONE);
                BigInteger first = value.andNot(hostMask);
                return new IpRange(bits == 32 ? 4 : 6, first, first.or(hostMask));
            }
            int dash = t.indexOf('-');
            if (dash > 0) {
                InetAddress start = literal(t.substring(0, dash));
                String endText = t.substring(dash + 1).trim();
                InetAddress end;
                if (start instanceof Inet4Address && endText.matches("\\d{1,3}")) {
                    byte[] b = start.getAddress();
                    int lastOctet = Integer.parseInt(endText);
                    if (lastOctet > 255) {
                        throw new IllegalArgumentException("octet out of range in '" + text + "'");
                    }
                    b[3] = (byte) lastOctet;
                    end = InetAddress.getByAddress(b);
                } else {
                    end = literal(endText);
                }
                if ((start instanceof Inet4Address) != (end instanceof Inet4Address)) {
                    throw new IllegalArgumentException("range mixes IPv4 and IPv6: '" + text + "'");
                }
                return new IpRange(family(start), new BigInteger(1, start.getAddress()),
                        new BigInteger(1, end.getAddress()));
            }
            return of(literal(t));
        } catch (NumberFormatException | UnknownHostException e) {
            throw new IllegalArgumentException("not an address, CIDR or range: '" + text + "'");
        }
    }

    public static IpRange of(InetAddress address) {
        BigInteger v = new BigInteger(1, address.getAddress());
        return new IpRange(family(address), v, v);
    }

    private static int family(InetAddress a) {
        return a instanceof Inet4Address ? 4 : 6;
    }

    private static InetAddress literal(String text) throws UnknownHostException {
        String t = text.trim();
        if (!isLiteral(t)) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
        if (IPV4.matcher(t).matches()) {
            for (String part : t.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    throw new IllegalArgumentException("octet out of range in '" + text + "'");
                }
            }
        }
        return InetAddress.getByName(t); // a literal: no name lookup happens
    }

    public boolean contains(InetAddress address) {
        if (family(address) != family) {
            return false;
        }
        BigInteger v = new BigInteger(1, address.getAddress());
        return v.compareTo(first) >= 0 && v.compareTo(last) <= 0;
    }

    /** Cheap containment for IPv4 addresses given as an unsigned 32-bit value. */
    public boolean containsIpv4(long value) {
        return family == 4 && value >= first.longValue() && value <= last.longValue();
    }

    public BigInteger size() {
        return last.subtract(first).add(BigInteger.ONE);
    }

    public InetAddress firstAddress() {
        return toAddress(first);
    }

    public InetAddress lastAddress() {
        return toAddress(last);
    }

    public InetAddress toAddress(BigInteger value) {
        int len = family == 4 ? 4 : 16;
        byte[] raw = value.toByteArray();
        byte[] out = new byte[len];
        int copy = Math.min(raw.length, len);
        System.arraycopy(raw, raw.length - copy, out, len - copy, copy);
        try {
            return family == 4 ? Inet4Address.getByAddress(out) : Inet6Address.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Iterator<InetAddress> iterator() {
        return new Iterator<>() {
            private BigInteger next = first;

            @Override
            public boolean hasNext() {
                return next.compareTo(last) <= 0;
            }

            @Override
            public InetAddress next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                InetAddress a = toAddress(next);
                next = next.add(BigInteger.ONE);
                return a;
            }
        };
    }

    @Override
    public String toString() {
        String a = firstAddress().getHostAddress();
        return first.equals(last) ? a : a + "-" + lastAddress().getHostAddress();
    }
}
