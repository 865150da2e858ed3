package org.camaudit.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.camaudit.model.Identification;
import org.camaudit.report.ScanDiff;
import org.camaudit.store.ObservationLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code camaudit diff A B}: what changed between two stored scans. */
@Command(name = "diff", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
        "Compares two stored scans: devices added, removed and changed (firmware, brand, platform,"
                + " model, type), and findings new and fixed. Devices are matched by MAC when"
                + " known, else by address. Sends no traffic."}, footer = {"", "Examples:",
                        "  camaudit diff 3 7", "  camaudit diff 3 7 --json"})
final class DiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "The earlier scan id.")
    long a;

    @Parameters(index = "1", paramLabel = "B", description = "The later scan id.")
    long b;

    @Option(names = "--json", description = "One JSON document.")
    boolean json;

    @Mixin
    DataDirOption data;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (ObservationLog log = data.open()) {
            for (long id : new long[]{a, b}) {
                if (log.scan(id).isEmpty()) {
                    throw new UsageException("no scan " + id + " in " + data.resolve()
                            + " (see 'camaudit scans')");
                }
            }
            ScanDiff d = ScanDiff.of(a, log.identifications(a), log.findings(a), b, log
                    .identifications(b), log.findings(b));
            if (json) {
                out.println(d.json().toString());
            } else {
                out.printf("scan %d → scan %d: %d devices added, %d removed, %d changed; %d"
                        + " findings new, %d fixed%n", a, b, d.added().size(), d.removed().size(),
                        d.changed().size(), d.fresh().size(), d.fixed().size());
                d.added().forEach(i -> out.printf("  + %-16s %s%n", i.address(), label(i)));
                d.removed().forEach(i -> out.printf("  - %-16s %s%n", i.address(), label(i)));
                for (ScanDiff.Change c : d.changed()) {
                    List<String> parts = new ArrayList<>();
                    c.fields().forEach((k, v) -> parts.add(k + " " + v.before() + " → " + v
                            .after()));
                    out.printf("  ~ %-16s %s%n", c.address(), String.join("; ", parts));
                }
                d.fresh().forEach(f -> out.printf("  new   %-16s %-9s %s%n", f.address(), f
                        .severity().label(), f.id()));
                d.fixed().forEach(f -> out.printf("  fixed %-16s %-9s %s%n", f.address(), f
                        .severity().label(), f.id()));
            }
            out.flush();
            return ExitCode.OK;
        }
    }

    private static String label(Identification i) {
        return i.brand().orElse("?") + i.platform().filter(p -> !p.equals(i.brand().orElse("")))
                .map(p -> " (" + p + ")").orElse("") + " " + i.model().orElse("") + " "
                + i
                        .firmware().orElse("");
    }
}
