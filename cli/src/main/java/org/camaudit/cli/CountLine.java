package org.camaudit.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One count line of the terminal summary ({@code by site: 10.1.2.0/24 40, ...}) that stays
 * readable at scale: the largest counts first, at most {@link #SHOWN} of them, then "and N more",
 * wrapped under its label so that no line is wider than {@link #WIDTH} columns.
 */
final class CountLine {
    /** Entries shown before "and N more". */
    static final int SHOWN = 10;
    /** A terminal's width. */
    static final int WIDTH = 80;

    private CountLine() {
    }

    /**
     * @param label what is counted, with its indent and colon ({@code "  by kind:"})
     * @param counts name to count
     * @return the lines to print, the first starting with the label
     */
    static List<String> of(String label, Map<String, ? extends Number> counts) {
        List<Map.Entry<String, ? extends Number>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Comparator.<Map.Entry<String, ? extends Number>>comparingLong(e -> -e
                .getValue().longValue()).thenComparing(Map.Entry::getKey));
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, ? extends Number> e : sorted.subList(0, Math.min(SHOWN, sorted
                .size()))) {
            parts.add(String.format("%s %,d", e.getKey(), e.getValue().longValue()));
        }
        if (sorted.size() > SHOWN) {
            parts.add(String.format("and %,d more", sorted.size() - SHOWN));
        }
        String indent = " ".repeat(label.length());
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(label);
        boolean empty = true; // nothing after the label or indent yet
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i) + (i < parts.size() - 1 ? "," : "");
            if (!empty && line.length() + 1 + part.length() > WIDTH) {
                lines.add(line.toString());
                line = new StringBuilder(indent);
            }
            line.append(' ').append(part);
            empty = false;
        }
        lines.add(line.toString());
        return lines;
    }
}
