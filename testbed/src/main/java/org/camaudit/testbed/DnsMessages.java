package org.camaudit.testbed;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The little DNS (RFC 1035) the simulated world speaks: a device's A query, the server's answer
 * (one A record, or NXDOMAIN), and reading the address back. Bounded and defensive: a malformed
 * message gives no answer rather than an exception.
 */
final class DnsMessages {
    private static final int TYPE_A = 1;
    private static final int CLASS_IN = 1;

    private DnsMessages() {
    }

    /** A recursive A query for {@code name} with transaction {@code id}. */
    static byte[] query(int id, String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        u16(out, id);
        u16(out, 0x0100); // standard query, recursion desired
        u16(out, 1);
        u16(out, 0);
        u16(out, 0);
        u16(out, 0);
        for (String label : name.split("\\.")) {
            byte[] l = label.getBytes(StandardCharsets.US_ASCII);
            out.write(l.length);
            out.writeBytes(l);
        }
        out.write(0);
        u16(out, TYPE_A);
        u16(out, CLASS_IN);
        return out.toByteArray();
    }

    /**
     * The server's reply to a query of {@code length} bytes: the A record of a known name (TTL
     * 300), NXDOMAIN for others, nothing for what is not one plain question.
     */
    static byte[] answer(byte[] q, int length, Map<String, String> names) {
        if (length < 17 || (q[2] & 0x80) != 0 || u16(q, 4) != 1) {
            return new byte[0];
        }
        StringBuilder name = new StringBuilder();
        int at = 12;
        while (at < length && q[at] != 0) {
            int l = q[at] & 255;
            if (l > 63 || at + 1 + l >= length) {
                return new byte[0];
            }
            if (name.length() > 0) {
                name.append('.');
            }
            name.append(new String(q, at + 1, l, StandardCharsets.US_ASCII));
            at += 1 + l;
        }
        int questionEnd = at + 5;
        if (questionEnd > length) {
            return new byte[0];
        }
        String address = names.get(name.toString().toLowerCase(Locale.ROOT));
        boolean a = address != null && u16(q, at + 1) == TYPE_A;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(q, 0, 2);
        u16(out, address != null ? 0x8180 : 0x8183); // response, RD+RA; NXDOMAIN when unknown
        u16(out, 1);
        u16(out, a ? 1 : 0);
        u16(out, 0);
        u16(out, 0);
        out.write(q, 12, questionEnd - 12);
        if (a) {
            u16(out, 0xc00c);
            u16(out, TYPE_A);
            u16(out, CLASS_IN);
            u16(out, 0);
            u16(out, 300);
            u16(out, 4);
            for (String part : address.split("\\.")) {
                out.write(Integer.parseInt(part));
            }
        }
        return out.toByteArray();
    }

    /** The first A record's address of a reply to transaction {@code id}, if any. */
    static Optional<String> firstAddress(byte[] r, int length, int id) {
        if (length < 12 || u16(r, 0) != id || (r[3] & 0x0f) != 0 || u16(r, 6) == 0) {
            return Optional.empty();
        }
        int at = skipName(r, 12, length) + 4;
        for (int i = 0, answers = u16(r, 6); i < answers && at > 0 && at + 10 <= length; i++) {
            at = skipName(r, at, length);
            if (at < 0 || at + 10 > length) {
                break;
            }
            int type = u16(r, at);
            int rdLength = u16(r, at + 8);
            int data = at + 10;
            if (type == TYPE_A && rdLength == 4 && data + 4 <= length) {
                byte[] b = Arrays.copyOfRange(r, data, data + 4);
                return Optional.of((b[0] & 255) + "." + (b[1] & 255) + "." + (b[2] & 255) + "."
                        + (b[3] & 255));
            }
            at = data + rdLength;
        }
        return Optional.empty();
    }

    private static int skipName(byte[] r, int at, int length) {
        while (at < length) {
            int l = r[at] & 255;
            if (l == 0) {
                return at + 1;
            }
            if ((l & 0xc0) == 0xc0) {
                return at + 2;
            }
            at += 1 + l;
        }
        return -1;
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 255) << 8) | (b[at + 1] & 255);
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }
}
