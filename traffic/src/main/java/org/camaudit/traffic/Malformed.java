package org.camaudit.traffic;

/** One packet or record that does not follow its protocol: counted, never fatal. */
final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long offset;

    Malformed(String message) {
        this(message, 0);
    }

    /** @param offset where inside the record (datagram, packet) the fault was found */
    Malformed(String message, long offset) {
        super(message, null, false, false);
        this.offset = offset;
    }

    long offset() {
        return offset;
    }
}
