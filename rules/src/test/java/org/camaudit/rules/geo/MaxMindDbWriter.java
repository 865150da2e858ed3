package org.camaudit.rules.geo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small MaxMind DB files for tests, from the public format description: a binary search
 * tree over the address bits (here 24-bit records, two per node), sixteen zero bytes, a data
 * section of typed values, then the metadata marker {@code \xAB\xCD\xEF MaxMind.com} and a map
 * describing the file. An IPv6 tree keeps IPv4 networks at {@code ::a.b.c.d/96+n}, as the
 * published databases do. Networks must not overlap.
 */
public final class MaxMindDbWriter {
    private static final byte[] MARKER = {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF, 'M', 'a', 'x',
            'M', 'i', 'n', 'd', '.', 'c', 'o', 'm'};
    private static final int RECORD_BITS = 24;
    /** Child kinds in the tree under construction. */
    private static final long EMPTY = -1;

    private final int ipVersion;
    private final String databaseType;
    private final long buildEpoch;
    private final String description;
    /** node i: children [2i] and [2i+1]: a node number, EMPTY, or -(2 + data offset). */
    private final List<long[]> nodes = new ArrayList<>();
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private final Map<Object, Integer> written = new LinkedHashMap<>();

    public MaxMindDbWriter(int ipVersion, String databaseType, long buildEpoch,
            String description) {
        if (ipVersion != 4 && ipVersion != 6) {
            throw new IllegalArgumentException("ip version 4 or 6");
        }
        this.ipVersion = ipVersion;
        this.databaseType = databaseType;
        this.buildEpoch = buildEpoch;
        this.description = description;
        nodes.add(new long[]{EMPTY, EMPTY});
    }

    /** Maps a network given as "address/prefix" to a record (a map of strings, numbers, maps). */
    public MaxMindDbWriter put(String cidr, Map<String, ?> record) throws IOException {
        String[] parts = cidr.split("/");
        byte[] address = InetAddress.ofLiteral(parts[0]).getAddress();
        int prefix = Integer.parseInt(parts[1]);
        if (ipVersion == 6 && address.length == 4) {
            byte[] mapped = new byte[16];
            System.arraycopy(address, 0, mapped, 12, 4);
            address = mapped;
            prefix += 96;
        } else if (ipVersion == 4 && address.length == 16) {
            throw new IllegalArgumentException("IPv6 network in an IPv4 tree: " + cidr);
        }
        Integer offset = written.get(record);
        if (offset == null) {
            offset = data.size();
            data.write(encode(record));
            written.put(record, offset);
        }
        int node = 0;
        for (int i = 0; i < prefix; i++) {
            int bit = (address[i / 8] >> (7 - i % 8)) & 1;
            long[] n = nodes.get(node);
            if (i == prefix - 1) {
                if (n[bit] != EMPTY) {
                    throw new IllegalArgumentException("overlapping network " + cidr);
                }
                n[bit] = -(2 + offset);
            } else {
                if (n[bit] == EMPTY) {
                    nodes.add(new long[]{EMPTY, EMPTY});
                    n[bit] = nodes.size() - 1;
                } else if (n[bit] < 0) {
                    throw new IllegalArgumentException("overlapping network " + cidr);
                }
                node = (int) n[bit];
            }
        }
        return this;
    }

    /** The whole file. */
    public byte[] bytes() throws IOException {
        long count = nodes.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long[] n : nodes) {
            for (long child : n) {
                long value = child == EMPTY
                        ? count
                        : child >= 0 ? child : count + 16 + (-child - 2);
                out.write((int) (value >> 16));
                out.write((int) (value >> 8));
                out.write((int) value);
            }
        }
        out.write(new byte[16]);
        out.write(data.toByteArray());
        out.write(MARKER);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("node_count", new Uint(6, count));
        meta.put("record_size", new Uint(5, RECORD_BITS));
        meta.put("ip_version", new Uint(5, ipVersion));
        meta.put("database_type", databaseType);
        meta.put("languages", List.of("en"));
        meta.put("binary_format_major_version", new Uint(5, 2));
        meta.put("binary_format_minor_version", new Uint(5, 0));
        meta.put("build_epoch", new Uint(9, buildEpoch));
        meta.put("description", Map.of("en", description));
        out.write(encode(meta));
        return out.toByteArray();
    }

    public Path write(Path file) throws IOException {
        Files.write(file, bytes());
        return file;
    }

    /** An unsigned integer of a given data type: 5 uint16, 6 uint32, 9 uint64. */
    record Uint(int type, long value) {
    }

    /** Encodes a value: strings, maps, lists, Uint, and Integer/Long as uint32. */
    static byte[] encode(Object value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (value) {
            case String s -> {
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                control(out, 2, utf8.length);
                out.write(utf8);
            }
            case Map<?, ?> m -> {
                control(out, 7, m.size());
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    out.write(encode((String) e.getKey()));
                    out.write(encode(e.getValue()));
                }
            }
            case List<?> l -> {
                control(out, 11, l.size());
                for (Object o : l) {
                    out.write(encode(o));
                }
            }
            case Uint u -> {
                byte[] b = BigInteger.valueOf(u.value()).toByteArray();
                int skip = b[0] == 0 ? 1 : 0; // minimal big-endian, no sign byte
                int length = u.value() == 0 ? 0 : b.length - skip;
                control(out, u.type(), length);
                out.write(b, skip, length);
            }
            case Integer i -> out.write(encode(new Uint(6, i)));
            case Long l -> out.write(encode(new Uint(6, l)));
            default -> throw new IllegalArgumentException("cannot encode " + value.getClass());
        }
        return out.toByteArray();
    }

    /** A control byte (type in the top 3 bits, 0 for extended types) and the size encoding. */
    private static void control(ByteArrayOutputStream out, int type, int size) {
        int head = type <= 7 ? type << 5 : 0;
        byte[] extra;
        if (size < 29) {
            head |= size;
            extra = new byte[0];
        } else if (size < 29 + 256) {
            head |= 29;
            extra = new byte[]{(byte) (size - 29)};
        } else if (size < 285 + 65536) {
            head |= 30;
            int s = size - 285;
            extra = new byte[]{(byte) (s >> 8), (byte) s};
        } else {
            head |= 31;
            int s = size - 65821;
            extra = new byte[]{(byte) (s >> 16), (byte) (s >> 8), (byte) s};
        }
        out.write(head);
        if (type > 7) {
            out.write(type - 7);
        }
        out.writeBytes(extra);
    }

    /**
     * The test database: 192.0.2.0/24 CN, 198.51.100.0/24 US, 203.0.113.0/24 DE (documentation
     * ranges), and 2001:db8::/32 JP, in an IPv6 tree with ip-location-db's record shape.
     */
    public static Path documentationCountries(Path file) throws IOException {
        return new MaxMindDbWriter(6, "camaudit-test-country", 1_767_225_600L,
                "camaudit test countries (documentation ranges)")
                .put("192.0.2.0/24", Map.of("country_code", "CN"))
                .put("198.51.100.0/24", Map.of("country_code", "US"))
                .put("203.0.113.0/24", Map.of("country_code", "DE"))
                .put("2001:db8::/32", Map.of("country_code", "JP"))
                .write(file);
    }
}
