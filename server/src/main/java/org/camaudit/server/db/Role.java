package org.camaudit.server.db;

import java.util.Locale;

/** What a user may do: read (viewer), also review findings (auditor), also manage (admin). */
public enum Role {
    VIEWER, AUDITOR, ADMIN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role of(String label) {
        for (Role r : values()) {
            if (r.label().equals(label)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role \"" + label
                + "\" (viewer, auditor or admin)");
    }

    /** True when this role includes everything {@code other} may do. */
    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }
}
