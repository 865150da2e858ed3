package org.camaudit.cli;

import java.io.PrintWriter;
import org.camaudit.probes.ScopeRefusedException;
import picocli.CommandLine;

/** Entry point of the {@code camaudit} launcher. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err,
                true)));
    }

    /** Runs one command line; returns the exit code. Used by tests too. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        java.util.Optional<String> unknown = unknownVerb(args);
        if (unknown.isPresent()) {
            // before picocli: it would let '--help' after an unknown word print the top-level help
            err.println("camaudit: unknown command '" + unknown.get() + "'");
            err.println("Try 'camaudit --help' for the commands.");
            err.flush();
            return ExitCode.USAGE;
        }
        CommandLine cli = new CommandLine(new CamauditCommand());
        for (Class<?> verb : verbs(args)) {
            cli.addSubcommand(verb);
        }
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(Main::exitCode);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("camaudit: " + message(e));
            if (exitCode(e) == ExitCode.RUNTIME && System.getenv("CAMAUDIT_DEBUG") != null) {
                e.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return exitCode(e);
        });
        cli.setParameterExceptionHandler((e, a) -> {
            PrintWriter w = e.getCommandLine().getErr();
            w.println("camaudit: " + e.getMessage());
            w.println("Try 'camaudit " + e.getCommandLine().getCommandName().replace("camaudit",
                    "").trim() + " --help'".replace("  ", " "));
            w.flush();
            return ExitCode.USAGE;
        });
        return cli.execute(args);
    }

    /** The verb the command line names (the first argument), else all of them. */
    static java.util.List<Class<?>> verbs(String[] args) {
        if (args.length > 0) {
            for (Class<?> verb : CamauditCommand.VERBS) {
                if (verb.getAnnotation(CommandLine.Command.class).name().equals(args[0])) {
                    return java.util.List.of(verb);
                }
            }
        }
        return CamauditCommand.VERBS;
    }

    /** The first argument when it is a word that names no verb ({@code camaudit server ...}). */
    static java.util.Optional<String> unknownVerb(String[] args) {
        if (args.length == 0 || args[0].startsWith("-")) {
            return java.util.Optional.empty();
        }
        for (Class<?> verb : CamauditCommand.VERBS) {
            if (verb.getAnnotation(CommandLine.Command.class).name().equals(args[0])) {
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.of(args[0]);
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    static int exitCode(Throwable e) {
        if (e instanceof UsageException || e instanceof CommandLine.ParameterException) {
            return ExitCode.USAGE;
        }
        if (e instanceof ScopeRefusedException) {
            return ExitCode.SCOPE_REFUSED;
        }
        return ExitCode.RUNTIME;
    }
}
