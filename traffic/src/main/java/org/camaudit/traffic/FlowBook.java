package org.camaudit.traffic;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.camaudit.model.SiteRanges;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;

/**
 * Flows folded per device and peer: (initiator, responder, responder port, protocol, origin). At
 * the end each becomes one observation with the {@code flow.*} keys about the site's side of it:
 * the initiator when it is one of the site's addresses, else the responder (a peer's flow into
 * the site); a flow between two peers is counted and not kept, as a peer is never a device. The
 * MAC a source gave (Zeek's {@code orig_l2_addr}) is kept only on a flow about its initiator.
 * Bounded: beyond {@code maxEntries} new pairs are counted as dropped.
 */
final class FlowBook {
    private record Key(String device, String peer, int port, int protocol, String origin) {
    }

    private static final class Totals {
        long bytes;
        long packets;
        long flows;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        String mac;
        boolean opened;
    }

    private final Map<Key, Totals> book = new HashMap<>();
    private final int maxEntries;
    private long dropped;
    private long peerFlows;
    private long added;

    FlowBook(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** A flow whose opening was seen, or of a source that does not say (Zeek, NetFlow). */
    void add(String device, String peer, int port, int protocol, String origin,
            Optional<String> mac, long bytes, long packets, long firstNanos, long lastNanos) {
        add(device, peer, port, protocol, origin, mac, true, bytes, packets, firstNanos,
                lastNanos);
    }

    /**
     * @param opened false for a TCP flow whose opening the capture did not hold
     */
    void add(String device, String peer, int port, int protocol, String origin,
            Optional<String> mac, boolean opened, long bytes, long packets, long firstNanos,
            long lastNanos) {
        added++;
        Key key = new Key(device, peer, port, protocol, origin);
        Totals t = book.get(key);
        if (t == null) {
            if (book.size() >= maxEntries) {
                dropped++;
                return;
            }
            t = new Totals();
            book.put(key, t);
        }
        t.bytes += bytes;
        t.packets += packets;
        t.flows++;
        t.opened |= opened;
        t.first = Math.min(t.first, firstNanos);
        t.last = Math.max(t.last, lastNanos);
        if (t.mac == null && mac.isPresent()) {
            t.mac = mac.get();
        }
    }

    /** Flows offered, kept or dropped. */
    long added() {
        return added;
    }

    long dropped() {
        return dropped;
    }

    /** Folded flows between two peers, not kept. */
    long peerFlows() {
        return peerFlows;
    }

    int size() {
        return book.size();
    }

    void emit(Emitter out) {
        SiteRanges site = out.site();
        book.forEach((k, t) -> {
            boolean fromSite = site.isDevice(k.device());
            if (!fromSite && !site.isDevice(k.peer())) {
                peerFlows++;
                return;
            }
            Observation.Builder b = Observation.builder(Source.PASSIVE, fromSite
                    ? k.device()
                    : k.peer())
                    .time(instant(t.first)).protocol("flow").port(k.port())
                    .transport(k.protocol() == 6
                            ? Transport.TCP
                            : k.protocol() == 17 ? Transport.UDP : Transport.NONE)
                    .field(Fields.FLOW_SRC, k.device()).field(Fields.FLOW_DST, k.peer())
                    .field(Fields.FLOW_DPORT, Integer.toString(k.port()))
                    .field(Fields.FLOW_PROTO, protocolName(k.protocol()))
                    .field(Fields.FLOW_BYTES, Long.toString(t.bytes))
                    .field(Fields.FLOW_PACKETS, Long.toString(t.packets))
                    .field(Fields.FLOW_COUNT, Long.toString(t.flows))
                    .field(Fields.FLOW_FIRST, instant(t.first).toString())
                    .field(Fields.FLOW_LAST, instant(t.last).toString())
                    .field(Fields.FLOW_ORIGIN, k.origin())
                    .field(Fields.FLOW_MIDSTREAM, k.protocol() == 6 && !t.opened ? "true" : null);
            if (t.mac != null && fromSite) {
                b.mac(t.mac);
            }
            out.emit("flow", b);
        });
        book.clear();
    }

    static String protocolName(int protocol) {
        return switch (protocol) {
            case 6 -> "tcp";
            case 17 -> "udp";
            case 1 -> "icmp";
            default -> Integer.toString(protocol);
        };
    }

    static Instant instant(long nanos) {
        if (nanos == Long.MAX_VALUE || nanos == Long.MIN_VALUE) {
            return Instant.EPOCH;
        }
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
                Math.floorMod(nanos, 1_000_000_000L));
    }
}
