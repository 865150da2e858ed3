package org.camaudit.server.db;

/** PostgreSQL cannot be reached or refused an operation; the message says which and why. */
public final class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
