package org.camaudit.server.agent;

/** The server answered with a 4xx or 5xx: its status and the one line it gave. */
public final class ServerRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public ServerRefusedException(int status, String message) {
        super("the server answered " + status + ": " + message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
