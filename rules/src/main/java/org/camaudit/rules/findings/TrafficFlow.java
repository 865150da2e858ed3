package org.camaudit.rules.findings;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;

/**
 * One flow observation as the behaviour detectors and the country report read it: the traffic module's fold per
 * initiator ({@code flow.src}), responder ({@code flow.dst}), responder port and protocol, with
 * bidirectional totals and the first and last packet times when the source gave them.
 *
 * @param inbound the observation is about the responder ({@code dst}): the initiator is a peer
 *     outside the site, whose flows into the site are evidence about the site's device only
 * @param midstream {@code flow.midstream} is true: a TCP flow whose opening (SYN or SYN-ACK) the
 *     capture did not hold, so which side opened it is a guess
 */
public record TrafficFlow(String src, String dst, String proto, int port, long bytes, long flows,
        Optional<Instant> first, Optional<Instant> last, boolean inbound, boolean midstream) {

    /** The flow of an observation that has {@code flow.dst}; addresses in lower case. */
    public static Optional<TrafficFlow> of(Observation o) {
        Optional<String> dst = o.field(Fields.FLOW_DST);
        if (dst.isEmpty()) {
            return Optional.empty();
        }
        Optional<Instant> first = instant(o, Fields.FLOW_FIRST);
        String src = lower(o.field(Fields.FLOW_SRC).orElse(o.address()));
        String subject = lower(o.address());
        return Optional.of(new TrafficFlow(src, lower(dst.get()),
                o.field(Fields.FLOW_PROTO).map(TrafficFlow::lower).orElse(""),
                (int) number(o, Fields.FLOW_DPORT, -1), number(o, Fields.FLOW_BYTES, 0), number(o,
                        Fields.FLOW_COUNT, 1),
                first, instant(o, Fields.FLOW_LAST).or(() -> first), !src.equals(subject)
                        && lower(dst.get()).equals(subject),
                o.field(Fields.FLOW_MIDSTREAM)
                        .map(v -> v.strip().equals("true")).orElse(false)));
    }

    /** Whether both times are known and the last is not before the first. */
    boolean timed() {
        return first.isPresent() && last.isPresent() && !last.get().isBefore(first.get());
    }

    static String lower(String s) {
        return s.strip().toLowerCase(Locale.ROOT);
    }

    private static long number(Observation o, String key, long absent) {
        try {
            return o.field(key).map(v -> Long.parseLong(v.strip())).orElse(absent);
        } catch (NumberFormatException e) {
            return absent;
        }
    }

    private static Optional<Instant> instant(Observation o, String key) {
        try {
            return o.field(key).map(v -> Instant.parse(v.strip()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
