package org.camaudit.model;

/** The transport an observation travelled on; NONE for facts with no port (a MAC from an import). */
public enum Transport {
    TCP, UDP, NONE;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Transport fromLabel(String label) {
        return valueOf(label.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
