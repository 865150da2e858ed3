package org.camaudit.report;

import java.util.Locale;
import java.util.Optional;

/** The report formats. */
public enum Format {
    /** One self-contained page: summary, SVG charts, sortable and filterable table, evidence. */
    HTML("html", true),
    /** The same content in printable pages. */
    PDF("pdf", false),
    /** One row per device and finding (devices without findings get one row), RFC 4180. */
    CSV("csv", true),
    /** One JSON document: scan, devices with identification and findings, counts. */
    JSON("json", true),
    /** A CycloneDX 1.6 JSON inventory: devices as hardware components, findings as vulns. */
    CYCLONEDX("cyclonedx", true),
    /** DefectDojo's Generic Findings Import JSON: one finding per camaudit finding. */
    DEFECTDOJO("defectdojo", true);

    private final String label;
    private final boolean text;

    Format(String label, boolean text) {
        this.label = label;
        this.text = text;
    }

    /** The name used on the command line. */
    public String label() {
        return label;
    }

    /** True when the output is text that may go to a terminal. */
    public boolean isText() {
        return text;
    }

    /** The format named {@code name} (case-insensitive), if any. */
    public static Optional<Format> parse(String name) {
        for (Format f : values()) {
            if (f.label.equalsIgnoreCase(name.strip())) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** Every format's label, comma separated, for messages. */
    public static String labels() {
        StringBuilder sb = new StringBuilder();
        for (Format f : values()) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(f.label.toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }
}
