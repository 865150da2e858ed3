package org.camaudit.model;

/** Where an observation came from. */
public enum Source {
    /** A reply to a probe camaudit sent. */
    ACTIVE,
    /** Traffic camaudit only listened to. */
    PASSIVE,
    /** Another tool's output (Nmap XML, observation JSONL). */
    IMPORT;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Source fromLabel(String label) {
        return valueOf(label.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
