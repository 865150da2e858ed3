package org.camaudit.traffic;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.camaudit.model.Observation;
import org.camaudit.model.SiteRanges;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;

/**
 * Hands decoded observations to the sink, dropping exact repeats (the same device asking the same
 * name a thousand times is one fact) with a bounded memory of what was already sent, and dropping
 * (counting) observations about addresses outside the site's ranges: a peer is never a device.
 * No observation takes its frame's MAC here; the {@link LinkBook} says which MAC is whose.
 */
final class Emitter {
    private static final int MAX_REMEMBERED = 1 << 20;
    private final Consumer<Observation> sink;
    private final boolean store;
    private final Set<Long> seen = new HashSet<>();
    private final SiteRanges site;
    Tally tally = new Tally();
    /** observations not kept because their address is outside the site's ranges. */
    long aboutPeers;

    Emitter(Consumer<Observation> sink, boolean store, SiteRanges site) {
        this.sink = sink;
        this.store = store;
        this.site = site;
    }

    SiteRanges site() {
        return site;
    }

    /** False in facts-only counting mode: decoders may skip building observations. */
    boolean storing() {
        return store;
    }

    /** An observation about the packet's sender ({@code aboutSender}) or its receiver. */
    Observation.Builder about(Packet p, boolean aboutSender, String protocol, int port) {
        Observation.Builder b = Observation.builder(Source.PASSIVE,
                aboutSender ? p.source() : p.destination()).time(p.time()).protocol(protocol)
                .port(port).transport(p.protocol == 6 ? Transport.TCP : Transport.UDP);
        return b;
    }

    void emit(String decoder, Observation.Builder builder) {
        Observation o = builder.build();
        if (!site.isDevice(o.address())) {
            aboutPeers++;
            return;
        }
        if (!remember(o)) {
            return;
        }
        tally.observed(decoder);
        sink.accept(o);
    }

    private boolean remember(Observation o) {
        long h = 1125899906842597L;
        h = mix(h, o.address());
        h = mix(h, o.protocol());
        h = mix(h, o.mac().orElse(""));
        h = h * 31 + o.port();
        for (Map.Entry<String, String> e : o.fields().entrySet()) {
            h = mix(h, e.getKey());
            h = mix(h, e.getValue());
        }
        if (seen.size() >= MAX_REMEMBERED) {
            seen.clear();
        }
        return seen.add(h);
    }

    private static long mix(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h = 31 * h + s.charAt(i);
        }
        return (h ^ (h >>> 29)) * 0x9E3779B97F4A7C15L;
    }
}
