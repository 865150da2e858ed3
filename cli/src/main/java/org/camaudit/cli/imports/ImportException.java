package org.camaudit.cli.imports;

/**
 * An import file that cannot be read to the end: malformed or truncated XML, or not the format
 * expected. Observations read before the fault have already reached the sink; {@link #partial()}
 * says how many.
 */
public final class ImportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final transient NmapXmlImport.Result partial;

    ImportException(String message, int line, int column, NmapXmlImport.Result partial,
            Throwable cause) {
        super(message, cause);
        this.line = line;
        this.column = column;
        this.partial = partial;
    }

    /** 1-based line of the fault, or -1 when unknown. */
    public int line() {
        return line;
    }

    /** 1-based column of the fault, or -1 when unknown. */
    public int column() {
        return column;
    }

    /** What was read, and passed to the sink, before the fault. */
    public NmapXmlImport.Result partial() {
        return partial;
    }
}
