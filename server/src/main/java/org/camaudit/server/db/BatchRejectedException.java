package org.camaudit.server.db;

/**
 * A batch the store will not take as it is: its key was stored with other content, or its scan
 * is incomplete. Nothing was changed.
 */
public final class BatchRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BatchRejectedException(String message) {
        super(message);
    }
}
