package org.camaudit.traffic;

import java.util.LinkedHashSet;
import java.util.Set;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;

/**
 * DNS (UDP 53, LLMNR 5355) and mDNS (UDP 5353) messages. A query is evidence about the asker
 * ({@code dns.query}); a reply about the client it goes to ({@code dns.query}, {@code dns.answer},
 * MAC from the frame's destination). mDNS replies give {@code mdns.service} (PTR owners such as
 * {@code _http._tcp.local}), {@code mdns.instance} and {@code mdns.hostname} of their sender.
 * Names follow compression pointers only backwards, so a pointer loop cannot hang the decoder.
 */
final class DnsDecoder {
    static final int MAX_NAME = 255;
    private static final int MAX_QUESTIONS = 8;
    private static final int MAX_RECORDS = 64;
    private static final int MAX_JOINED = 16;
    private final Emitter out;
    /** where the name just read ended in the message (after its pointer, if any). */
    private int cursor;

    DnsDecoder(Emitter out) {
        this.out = out;
    }

    void decode(Packet p, boolean multicast) {
        byte[] d = p.data;
        int base = p.payload;
        int end = base + p.payloadLength;
        if (p.payloadLength < 12) {
            throw new Malformed("dns: " + p.payloadLength + " bytes, shorter than the header");
        }
        boolean reply = (p.u8(base + 2) & 0x80) != 0;
        int questions = p.u16(base + 4);
        int records = p.u16(base + 6) + p.u16(base + 8) + p.u16(base + 10);
        if (questions > MAX_QUESTIONS) {
            throw new Malformed("dns: " + questions + " questions");
        }
        cursor = base + 12;
        String firstName = null;
        Set<String> names = new LinkedHashSet<>(2);
        for (int i = 0; i < questions; i++) {
            String name = name(d, base, end, cursor);
            need(cursor + 4, end);
            cursor += 4;
            if (firstName == null) {
                firstName = name;
            }
            names.add(name);
        }
        if (!multicast) {
            if (firstName == null) {
                return;
            }
            out.tally.dnsQueries++;
            if (!out.storing()) {
                return;
            }
            Observation.Builder b = out.about(p, !reply, "dns", reply ? p.srcPort : p.dstPort);
            b.field(Fields.DNS_QUERY, String.join(", ", names));
            if (reply) {
                b.field(Fields.DNS_ANSWER, answers(p, base, end, Math.min(records, MAX_RECORDS),
                        false, null));
            }
            out.emit("dns", b);
            return;
        }
        if (!reply || !out.storing()) {
            return;
        }
        Observation.Builder b = out.about(p, true, "mdns", p.srcPort);
        answers(p, base, end, Math.min(records, MAX_RECORDS), true, b);
        if (b.hasField(Fields.MDNS_SERVICE) || b.hasField(Fields.MDNS_HOSTNAME)
                || b.hasField(Fields.MDNS_INSTANCE)) {
            out.emit("mdns", b);
        }
    }

    /** Reads resource records; DNS: returns "name TYPE value, ..."; mDNS: fills {@code b}. */
    private String answers(Packet p, int base, int end, int records, boolean multicast,
            Observation.Builder b) {
        byte[] d = p.data;
        Set<String> answers = new LinkedHashSet<>();
        Set<String> services = new LinkedHashSet<>();
        Set<String> instances = new LinkedHashSet<>();
        Set<String> hosts = new LinkedHashSet<>();
        for (int i = 0; i < records && cursor < end; i++) {
            String owner = name(d, base, end, cursor);
            need(cursor + 10, end);
            int type = p.u16(cursor);
            int length = p.u16(cursor + 8);
            int data = cursor + 10;
            need(data + length, end);
            cursor = data + length;
            String value = switch (type) {
                case 1 -> length == 4 ? Packet.address(d, data, 4) : null;
                case 28 -> length == 16 ? Packet.address(d, data, 6) : null;
                case 5, 12, 2 -> nameAt(d, base, data + length, data);
                case 33 -> length > 6 ? nameAt(d, base, data + length, data + 6) : null;
                default -> null;
            };
            if (value == null) {
                continue;
            }
            if (!multicast) {
                if (answers.size() < MAX_JOINED) {
                    answers.add(owner + " " + typeName(type) + " " + value);
                }
                continue;
            }
            if (type == 12 && owner.startsWith("_")) {
                add(services, owner);
                add(instances, value);
            } else if (type == 33) {
                add(instances, owner);
                add(hosts, value);
            } else if (type == 1 || type == 28) {
                add(hosts, owner);
            }
        }
        if (multicast) {
            b.field(Fields.MDNS_SERVICE, String.join(", ", services));
            b.field(Fields.MDNS_INSTANCE, String.join(", ", instances));
            b.field(Fields.MDNS_HOSTNAME, String.join(", ", hosts));
        }
        return String.join(", ", answers);
    }

    private static void add(Set<String> set, String value) {
        if (set.size() < MAX_JOINED) {
            set.add(value);
        }
    }

    private static String typeName(int type) {
        return switch (type) {
            case 1 -> "A";
            case 28 -> "AAAA";
            case 5 -> "CNAME";
            case 12 -> "PTR";
            case 2 -> "NS";
            case 33 -> "SRV";
            default -> Integer.toString(type);
        };
    }

    private String nameAt(byte[] d, int base, int end, int at) {
        int saved = cursor;
        try {
            return name(d, base, end, at);
        } finally {
            cursor = saved;
        }
    }

    /**
     * Reads a possibly compressed name starting at {@code at}; sets {@link #cursor} past it. A
     * pointer must point before the label it replaces, which rules out loops.
     */
    String name(byte[] d, int base, int end, int at) {
        StringBuilder sb = new StringBuilder(32);
        int position = at;
        int limit = position;
        int after = -1;
        while (true) {
            need(position + 1, end);
            int len = d[position] & 0xff;
            if (len == 0) {
                if (after < 0) {
                    after = position + 1;
                }
                break;
            }
            if ((len & 0xc0) == 0xc0) {
                need(position + 2, end);
                int target = base + ((len & 0x3f) << 8 | (d[position + 1] & 0xff));
                if (after < 0) {
                    after = position + 2;
                }
                if (target >= limit) {
                    throw new Malformed("dns: compression pointer at " + (position - base)
                            + " does not point backwards");
                }
                position = target;
                limit = target;
                continue;
            }
            if ((len & 0xc0) != 0) {
                throw new Malformed("dns: bad label type 0x" + Integer.toHexString(len));
            }
            need(position + 1 + len, end);
            if (sb.length() + len + 1 > MAX_NAME) {
                throw new Malformed("dns: name longer than " + MAX_NAME + " characters");
            }
            if (!sb.isEmpty()) {
                sb.append('.');
            }
            for (int i = position + 1; i <= position + len; i++) {
                int c = d[i] & 0xff;
                sb.append(c > 0x20 && c < 0x7f ? (char) c : '?');
            }
            position += 1 + len;
        }
        cursor = after;
        return sb.isEmpty() ? "." : sb.toString();
    }

    private static void need(int upTo, int end) {
        if (upTo > end) {
            throw new Malformed("dns: truncated message");
        }
    }
}
