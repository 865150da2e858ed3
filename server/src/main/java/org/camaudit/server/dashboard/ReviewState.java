package org.camaudit.server.dashboard;

import java.util.Locale;

/** What a person decided about a finding; a finding without a review is open. */
public enum ReviewState {
    /** Seen and owned: still open until it is fixed. */
    ACKNOWLEDGED,
    /** Accepted as a risk until a date, with a reason; open again after that date. */
    RISK_ACCEPTED,
    /** The device was replaced. */
    REPLACED;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static ReviewState of(String label) {
        for (ReviewState s : values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown review state \"" + label + "\"");
    }
}
