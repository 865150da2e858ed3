package org.camaudit.probes.discovery;

/** A reply that does not follow its protocol; the message becomes the observation's error. */
final class MalformedReplyException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedReplyException(String message) {
        super(message, null, false, false);
    }
}
