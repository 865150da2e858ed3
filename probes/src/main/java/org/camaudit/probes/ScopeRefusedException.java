package org.camaudit.probes;

/** A target or packet outside the operator's scope, or a scope camaudit will not accept. */
public final class ScopeRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ScopeRefusedException(String message) {
        super(message);
    }
}
