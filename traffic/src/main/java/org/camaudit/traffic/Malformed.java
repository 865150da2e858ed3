package org.camaudit.traffic;

/** One packet or record that does not follow its protocol: counted, never fatal. */
final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
        super(message, null, false, false);
    }
}
