package org.camaudit.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The top-level command; every verb is a subcommand. */
@Command(name = "camaudit", mixinStandardHelpOptions = true, usageHelpWidth = 100, versionProvider = CamauditCommand.Version.class, description = {
        "Audits a network you own for video-surveillance equipment you cannot trust:",
        "finds cameras, recorders and intercoms, and keeps the evidence of what they are.",
        ""}, footer = {"",
                "Exit codes: 0 ok, 2 usage error, 3 scope refused, 4 runtime failure,"
                        + " 10 banned line (check-bom), 130 interrupted.",
                "Run 'camaudit COMMAND --help' for a command's options."})
final class CamauditCommand implements Runnable {
    /**
     * Every verb, in the order {@code --help} lists them. Registered by {@link Main}: all of them,
     * or only the one a command line names (picocli reads every registered command's annotations
     * at start, which costs more than a short run's work).
     */
    static final java.util.List<Class<?>> VERBS = java.util.List.of(ScanCommand.class,
            ScansCommand.class, ObservationsCommand.class, ImportCommand.class,
            AnalyzeCommand.class, CollectCommand.class, TestbedCommand.class, DemoCommand.class,
            IdentifyCommand.class, FindingsCommand.class, ReportCommand.class, DiffCommand.class,
            CheckBomCommand.class, UpdateCommand.class, ServerCommand.class, AgentCommand.class);

    @Override
    public void run() {
        throw new UsageException(
                "say what to do: demo, scan, scans, observations, identify, findings, report,"
                        + " diff, check-bom, import, analyze, collect, update, testbed, server or"
                        + " agent (see --help)");
    }

    /** Reads the version Maven wrote at build time. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"camaudit " + number(), "Java " + Runtime.version()};
        }

        /** camaudit's version, {@code unknown} when the build did not record it. */
        static String number() {
            return org.camaudit.report.Reports.toolVersion();
        }
    }
}
