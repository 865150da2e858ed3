package org.camaudit.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs one camaudit command line in-process and keeps what it printed. */
record CliRun(int exit, String out, String err) {
    /**
     * {@code --local} for tests whose devices stand in the documentation range 192.0.2.0/24
     * (public space: without it they would be peers, not devices).
     */
    static final String DOC_SITE = "192.0.2.0/24";

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }
}
