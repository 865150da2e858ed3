package org.camaudit.traffic;

/** A file that cannot be read on from some byte offset: corrupt, truncated or hostile. */
final class CaptureException extends Exception {
    private static final long serialVersionUID = 1L;
    private final long offset;

    CaptureException(long offset, String message) {
        super(message, null, false, false);
        this.offset = offset;
    }

    long offset() {
        return offset;
    }
}
