package org.camaudit.store;

/**
 * The observation log could not do what was asked: the database cannot be opened, its schema is
 * newer than this build, or a statement failed. The message says which file or scan and why.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
