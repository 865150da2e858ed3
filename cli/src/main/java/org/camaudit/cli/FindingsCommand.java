package org.camaudit.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.rules.findings.FindingEngine;
import org.camaudit.store.ObservationLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code camaudit findings}: what to act on in a stored scan. */
@Command(name = "findings", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
        "Lists a scan's findings: bans with citations (policy), known vulnerabilities decided by"
                + " firmware version or a safe observation (never by exploiting), open doors"
                + " (exposure), with severity, evidence and remediation, then the remediation plan.",
        "Findings stored by the scan are shown; with --policy, --policy-file or --evaluate the scan"
                + " is evaluated again with the current packs and the result stored. Sends no"
                + " traffic."}, footer = {"", "Examples:", "  camaudit findings --scan 3",
                        "  camaudit findings --scan 3 --policy ndaa889,uk2022",
                        "  camaudit findings --scan 3 --policy us-federal,texas --as-of 2026-07-01",
                        "  camaudit findings --scan 3 --explain ndaa-2024-805",
                        "  camaudit findings --scan 3 --json > scan3-findings.jsonl"})
final class FindingsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--scan", paramLabel = "ID", description = "The stored scan (default: the"
            + " newest).")
    Long scan;

    @Option(names = "--json", description = "One JSON object per finding, one a line.")
    boolean json;

    @Option(names = "--evaluate", description = "Evaluate again with the current packs and store the result.")
    boolean evaluate;

    @Option(names = "--explain", paramLabel = "ID[@ADDRESS]", description = "Print how a finding"
            + " was reached, device by device: device, evidence, platform maker, the entity on the"
            + " list and its entry, citation (e.g. --explain dod-1260h or"
            + " --explain texas-prohibited-technology@127.0.0.5).")
    String explain;

    @Mixin
    DataDirOption data;

    @Mixin
    PolicyOptions policies;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (ObservationLog log = data.open()) {
            long scanId = scan != null
                    ? scan
                    : log.scans().stream().findFirst().map(org.camaudit.model.Scan::id).orElseThrow(
                            () -> new UsageException("no scans yet in " + data.resolve()));
            org.camaudit.model.Scan stored = log.scan(scanId).orElseThrow(
                    () -> new UsageException("no scan " + scanId + " in " + data.resolve()
                            + " (see 'camaudit scans')"));
            // a stored scan is judged as on its own day unless --as-of says otherwise
            FindingEngine engine = policies.engine(data.resolve(), stored.started().atZone(
                    java.time.ZoneOffset.UTC).toLocalDate());
            List<Identification> identified = log.identifications(scanId);
            if (identified.isEmpty()) {
                identified = IdentifyCommand.identifyStored(log, scanId);
            }
            List<Finding> findings = log.findings(scanId);
            boolean again = evaluate || policies.chosen() || findings.isEmpty();
            if (again) {
                findings = Evaluation.evaluateStored(log, scanId, identified, engine);
            }
            if (explain != null) {
                FindingChain.print(out, explain, scanId, findings, identified);
                out.flush();
                return ExitCode.OK;
            }
            if (json) {
                for (Finding f : findings) {
                    out.println(FindingsJson.of(f).toString());
                }
            } else {
                printTable(out, findings);
                Evaluation.printSummary(out, identified, findings, engine, Integer.MAX_VALUE);
            }
            out.flush();
            return ExitCode.OK;
        }
    }

    static void printTable(PrintWriter out, List<Finding> findings) {
        if (findings.isEmpty()) {
            return;
        }
        out.printf("%-16s %-9s %-14s %-26s %-16s %s%n", "ADDRESS", "SEVERITY", "KIND", "ID",
                "REMEDIATION", "TITLE / CITATION");
        for (Finding f : findings) {
            out.printf("%-16s %-9s %-14s %-26s %-16s %s%n", f.address(), f.severity().label(), f
                    .kind().label(), f.id(), f.remediation().label(), f.title());
            f.citation().ifPresent(c -> out.printf("%-85s cite: %s%n", "", c));
        }
    }
}
