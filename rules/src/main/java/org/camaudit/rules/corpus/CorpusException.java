package org.camaudit.rules.corpus;

/** A corpus line or floor file is malformed; the message starts with {@code file:line}. */
public final class CorpusException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorpusException(String message) {
        super(message);
    }

    public CorpusException(String message, Throwable cause) {
        super(message, cause);
    }
}
