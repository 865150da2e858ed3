package org.camaudit.probes.discovery;

/** Cheap looks at a datagram's first bytes, used only to recognise a reply from an odd port. */
final class Sniff {
    private Sniff() {
    }

    /** The first {@code max} bytes as ISO-8859-1 text. */
    static String ascii(byte[] data, int length, int max) {
        return new String(data, 0, Math.min(length, max),
                java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    static int u16le(byte[] data, int offset) {
        return (data[offset] & 0xff) | (data[offset + 1] & 0xff) << 8;
    }

    static long u32le(byte[] data, int offset) {
        return (data[offset] & 0xffL) | (data[offset + 1] & 0xffL) << 8
                | (data[offset + 2] & 0xffL) << 16 | (data[offset + 3] & 0xffL) << 24;
    }
}
