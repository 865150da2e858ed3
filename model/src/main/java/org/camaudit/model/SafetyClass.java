package org.camaudit.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * How much a probe touches a device (protocol-facts.md §0). EXPLOIT is deliberately absent: camaudit
 * never sends vulnerable input, so there is nothing to enable.
 */
public enum SafetyClass {
    /** Listen only. */
    PASSIVE,
    /** A request the protocol is designed to answer for anyone (WS-Discovery Probe, RTSP OPTIONS). */
    SAFE_PROBE,
    /** A plain read that succeeds only because of a known disclosure bug; opt-in. */
    INFO_LEAK_READ,
    /** A login handshake with operator-supplied credentials; opt-in. */
    AUTH_ATTEMPT;

    /** The classes enabled when the operator says nothing. */
    public static Set<SafetyClass> defaults() {
        return EnumSet.of(PASSIVE, SAFE_PROBE);
    }

    /** Accepts "safe-probe", "SAFE_PROBE", "info-leak-read". */
    public static SafetyClass parse(String text) {
        String key = text.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        if (key.equals("EXPLOIT")) {
            throw new IllegalArgumentException("EXPLOIT is never implemented by camaudit");
        }
        try {
            return valueOf(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown safety class '" + text
                    + "' (known: passive, safe-probe, info-leak-read, auth-attempt)");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
