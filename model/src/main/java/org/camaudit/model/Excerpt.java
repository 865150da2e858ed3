package org.camaudit.model;

/** Bounded, printable excerpts of device replies: text stays text, other bytes become \xNN. */
public final class Excerpt {
    /** Longest raw excerpt kept with an observation. */
    public static final int MAX_CHARS = 4096;
    /** Longest single field value kept. */
    public static final int MAX_FIELD_CHARS = 2048;

    private Excerpt() {
    }

    public static String of(byte[] data, int offset, int length) {
        StringBuilder sb = new StringBuilder(Math.min(length, MAX_CHARS));
        int end = offset + length;
        for (int i = offset; i < end && sb.length() < MAX_CHARS; i++) {
            int b = data[i] & 0xff;
            if (b == '\\') {
                sb.append("\\\\");
            } else if ((b >= 0x20 && b < 0x7f) || b == '\n' || b == '\r' || b == '\t') {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        return bound(sb.toString(), MAX_CHARS);
    }

    /** Cuts text to at most {@code max} characters, marking the cut. */
    public static String bound(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        String mark = "…[cut]";
        return text.substring(0, max - mark.length()) + mark;
    }

    public static String hex(byte[] data, int offset, int length) {
        StringBuilder sb = new StringBuilder(length * 2);
        for (int i = offset; i < offset + length && sb.length() < MAX_FIELD_CHARS; i++) {
            sb.append(String.format("%02x", data[i] & 0xff));
        }
        return sb.toString();
    }
}
