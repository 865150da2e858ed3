package org.camaudit.rules;

/** A rule pack is missing, unreadable or wrong (unknown vendor, bad regex, missing source...). */
public final class RulePackException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RulePackException(String message) {
        super(message);
    }

    public RulePackException(String message, Throwable cause) {
        super(message, cause);
    }
}
