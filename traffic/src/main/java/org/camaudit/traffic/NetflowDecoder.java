package org.camaudit.traffic;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * NetFlow v5, v9 and IPFIX (v10) export datagrams into the {@link FlowBook}. v9 and IPFIX templates
 * are cached per exporter, observation domain (source id) and template id, as the RFCs require;
 * data sets whose template has not been seen yet are counted and skipped. Bounded: at most
 * {@link #MAX_EXPORTERS} exporters keep a cache (the least recently heard loses its own) and each
 * keeps at most {@link #MAX_TEMPLATES_PER_EXPORTER} templates (its least recently used goes).
 * Faults are thrown as {@link Malformed} with their byte offset inside the datagram.
 */
final class NetflowDecoder {
    static final int MAX_EXPORTERS = 1024;
    static final int MAX_TEMPLATES_PER_EXPORTER = 256;
    private static final int MAX_FIELDS = 128;
    private final FlowBook book;
    private final Emitter out;
    private final Map<String, Map<Long, int[]>> templates = lru(MAX_EXPORTERS);
    private long templatesReceived;
    private int start;
    private long base;

    NetflowDecoder(FlowBook book, Emitter out) {
        this.book = book;
        this.out = out;
    }

    private static <K, V> Map<K, V> lru(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }

    /** Template records read so far, repeats included (exporters resend them periodically). */
    long templatesReceived() {
        return templatesReceived;
    }

    /** Templates cached now, over all exporters. */
    int templatesCached() {
        return templates.values().stream().mapToInt(Map::size).sum();
    }

    /** Exporters with a template cache now. */
    int exportersCached() {
        return templates.size();
    }

    static boolean isCollectorPort(int port) {
        return port == 2055 || port == 2056 || port == 4739 || port == 9995 || port == 9996
                || port == 6343;
    }

    /** Length of the datagram at {@code at}, for files of datagrams laid end to end. */
    static int datagramLength(byte[] d, int at, int end) {
        int version = u16(d, at);
        return switch (version) {
            case 5 -> 24 + 48 * Math.min(30, u16(d, at + 2));
            case 10 -> u16(d, at + 2);
            case 9 -> v9Length(d, at, end);
            default -> throw new Malformed("netflow: version " + version);
        };
    }

    /** v9 headers carry no length: walk its flowsets until the next header (id 9) or the end. */
    private static int v9Length(byte[] d, int at, int end) {
        int cursor = at + 20;
        while (cursor + 4 <= end) {
            int id = u16(d, cursor);
            int length = u16(d, cursor + 2);
            if (id == 9) {
                break;
            }
            if (length < 4 || cursor + length > end) {
                throw new Malformed("netflow: v9 flowset length " + length);
            }
            cursor += length;
        }
        return cursor - at;
    }

    /**
     * Decodes one export datagram from {@code exporter} (its address and port, or the file name).
     * Data sets without a known template are counted at {@code fileOffset} plus their offset in
     * the datagram, and the rest of the datagram is still read.
     *
     * @throws Malformed with the offset inside the datagram where decoding had to stop
     */
    void datagram(String exporter, byte[] d, int at, int length, long fileOffset) {
        int end = at + length;
        start = at;
        base = fileOffset;
        if (length < 4) {
            throw new Malformed("netflow: " + length + "-byte datagram", 0);
        }
        int version = u16(d, at);
        switch (version) {
            case 5 -> v5(exporter, d, at, end);
            case 9 -> v9(exporter, d, at, end);
            case 10 -> ipfix(exporter, d, at, end);
            default -> throw new Malformed("netflow: unknown version " + version, 0);
        }
        out.tally.observed("netflow-v" + version + "-datagrams");
    }

    private void v5(String exporter, byte[] d, int at, int end) {
        need(at + 24, end);
        int count = u16(d, at + 2);
        long uptime = u32(d, at + 4);
        long epochMillis = u32(d, at + 8) * 1000 + u32(d, at + 12) / 1_000_000;
        need(at + 24 + 48L * count, end);
        for (int i = 0; i < count; i++) {
            int r = at + 24 + 48 * i;
            String src = Packet.address(d, r, 4);
            String dst = Packet.address(d, r + 4, 4);
            long packets = u32(d, r + 16);
            long bytes = u32(d, r + 20);
            long first = epochMillis - (uptime - u32(d, r + 24));
            long last = epochMillis - (uptime - u32(d, r + 28));
            int dport = u16(d, r + 34);
            int protocol = d[r + 38] & 0xff;
            book.add(src, dst, dport, protocol, "netflow-v5", Optional.empty(), bytes, packets,
                    first * 1_000_000, last * 1_000_000);
        }
    }

    private void v9(String exporter, byte[] d, int at, int end) {
        need(at + 20, end);
        long uptime = u32(d, at + 4);
        long epochMillis = u32(d, at + 8) * 1000;
        long domain = u32(d, at + 16);
        sets(exporter, domain, d, at + 20, end, 9, epochMillis - uptime);
    }

    private void ipfix(String exporter, byte[] d, int at, int end) {
        need(at + 16, end);
        int length = u16(d, at + 2);
        if (length < 16 || at + length > end) {
            throw new Malformed("ipfix: message length " + length, 2);
        }
        long domain = u32(d, at + 12);
        sets(exporter, domain, d, at + 16, at + length, 10, 0);
    }

    /** Template, options-template and data sets of v9 (ids 0/1) or IPFIX (ids 2/3). */
    private void sets(String exporter, long domain, byte[] d, int at, int end, int version,
            long bootMillis) {
        while (at + 4 <= end) {
            int id = u16(d, at);
            int length = u16(d, at + 2);
            if (length < 4 || at + length > end) {
                throw new Malformed("netflow: set length " + length, at - start);
            }
            int setEnd = at + length;
            if ((version == 9 && id == 0) || (version == 10 && id == 2)) {
                templates(exporter, domain, d, at + 4, setEnd, version, false);
            } else if ((version == 9 && id == 1) || (version == 10 && id == 3)) {
                templates(exporter, domain, d, at + 4, setEnd, version, true);
            } else if (id >= 256) {
                Map<Long, int[]> cache = templates.get(exporter);
                int[] template = cache == null ? null : cache.get(domain << 16 | id);
                if (template == null) {
                    out.tally.error("netflow", base + at - start, "netflow: data for unknown"
                            + " template " + id + " (domain " + domain + ") from " + exporter);
                } else {
                    records(template, d, at + 4, setEnd, version, bootMillis);
                }
            }
            at = setEnd;
        }
    }

    /**
     * Template records, or options-template records ({@code options}): those describe data about
     * the exporter itself (sampling, interfaces); their fields are kept only to be skipped.
     */
    private void templates(String exporter, long domain, byte[] d, int at, int end, int version,
            boolean options) {
        int header = options ? 6 : 4;
        while (at + header <= end) {
            int id = u16(d, at);
            int count = u16(d, at + 2);
            if (options && version == 9) {
                // v9: scope and option lengths in bytes, four bytes per field
                count = (u16(d, at + 2) + u16(d, at + 4)) / 4;
            }
            if (id < 256 || count == 0 || count > MAX_FIELDS) {
                return;
            }
            int[] spec = new int[count * 2];
            int cursor = at + header;
            for (int i = 0; i < count; i++) {
                need(cursor + 4, end);
                int type = u16(d, cursor);
                spec[2 * i + 1] = u16(d, cursor + 2);
                cursor += 4;
                if (version == 10 && (type & 0x8000) != 0) {
                    need(cursor + 4, end);
                    cursor += 4;
                    type = -1;
                }
                spec[2 * i] = options ? -1 : type;
            }
            templates.computeIfAbsent(exporter, e -> lru(MAX_TEMPLATES_PER_EXPORTER))
                    .put(domain << 16 | id, spec);
            templatesReceived++;
            at = cursor;
        }
    }

    private void records(int[] spec, byte[] d, int at, int end, int version, long bootMillis) {
        int minimum = 0;
        for (int i = 1; i < spec.length; i += 2) {
            minimum += spec[i] == 65535 ? 1 : spec[i];
        }
        if (minimum == 0) {
            return;
        }
        while (at + minimum <= end) {
            String src = null;
            String dst = null;
            int dport = 0;
            int protocol = 0;
            long bytes = 0;
            long packets = 0;
            long first = 0;
            long last = 0;
            int cursor = at;
            for (int i = 0; i < spec.length; i += 2) {
                int type = spec[i];
                int len = spec[i + 1];
                if (len == 65535) {
                    need(cursor + 1, end);
                    len = d[cursor] & 0xff;
                    cursor++;
                    if (len == 255) {
                        need(cursor + 2, end);
                        len = u16(d, cursor);
                        cursor += 2;
                    }
                }
                need(cursor + len, end);
                switch (type) {
                    case 8 -> src = len == 4 ? Packet.address(d, cursor, 4) : src;
                    case 12 -> dst = len == 4 ? Packet.address(d, cursor, 4) : dst;
                    case 27 -> src = len == 16 ? Packet.address(d, cursor, 6) : src;
                    case 28 -> dst = len == 16 ? Packet.address(d, cursor, 6) : dst;
                    case 11 -> dport = (int) number(d, cursor, len);
                    case 4 -> protocol = (int) number(d, cursor, len);
                    case 1, 85 -> bytes = number(d, cursor, len);
                    case 2, 86 -> packets = number(d, cursor, len);
                    case 22 -> first = bootMillis + number(d, cursor, len);
                    case 21 -> last = bootMillis + number(d, cursor, len);
                    case 150 -> first = number(d, cursor, len) * 1000;
                    case 151 -> last = number(d, cursor, len) * 1000;
                    case 152 -> first = number(d, cursor, len);
                    case 153 -> last = number(d, cursor, len);
                    default -> {
                    }
                }
                cursor += len;
            }
            if (cursor == at) {
                return;
            }
            at = cursor;
            if (src != null && dst != null) {
                book.add(src, dst, dport & 0xffff, protocol & 0xff,
                        version == 9 ? "netflow-v9" : "ipfix", Optional.empty(), bytes, packets,
                        first * 1_000_000, last * 1_000_000);
            }
        }
    }

    private static long number(byte[] d, int at, int len) {
        long v = 0;
        for (int i = 0; i < Math.min(len, 8); i++) {
            v = v << 8 | (d[at + i] & 0xff);
        }
        return v;
    }

    private void need(long upTo, int end) {
        if (upTo > end) {
            throw new Malformed(
                    "netflow: truncated: needs " + (upTo - start) + " bytes, datagram has "
                            + (end - start),
                    end - start);
        }
    }

    static int u16(byte[] d, int at) {
        return (d[at] & 0xff) << 8 | (d[at + 1] & 0xff);
    }

    static long u32(byte[] d, int at) {
        return ((d[at] & 0xffL) << 24) | ((d[at + 1] & 0xffL) << 16) | ((d[at + 2] & 0xffL) << 8)
                | (d[at + 3] & 0xffL);
    }
}
