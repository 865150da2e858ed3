package org.camaudit.cli;

/** camaudit's exit codes, documented in the README. */
final class ExitCode {
    private ExitCode() {
    }

    /** Done. */
    static final int OK = 0;
    /** Wrong arguments, unreadable or invalid input files. */
    static final int USAGE = 2;
    /** The scope was refused: a target outside it, a scope too large, an unresolvable name. */
    static final int SCOPE_REFUSED = 3;
    /** Something failed while running: the store, the network stack, an I/O error. */
    static final int RUNTIME = 4;
    /** check-bom: at least one line is banned by a chosen policy (for procurement gates). */
    static final int BANNED_IN_BOM = 10;
    /** Stopped by the operator (Ctrl-C); what was gathered is kept. */
    static final int INTERRUPTED = 130;
}
