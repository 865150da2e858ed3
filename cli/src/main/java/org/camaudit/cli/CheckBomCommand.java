package org.camaudit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.camaudit.model.Finding;
import org.camaudit.rules.bom.BomCheck;
import org.camaudit.rules.bom.BomFile;
import org.camaudit.rules.findings.FindingEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code camaudit check-bom FILE}: the bans and vulnerabilities of a quote, before purchase. */
@Command(name = "check-bom", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
        "Checks a bill of materials or quote (CSV, or a spreadsheet saved as CSV, with brand,"
                + " model, quantity, supplier columns under any usual header name) before"
                + " purchase: for each line the platform maker behind the brand (vendors and OEM"
                + " packs), the policies that would ban it, and known vulnerabilities of that"
                + " model line.",
        "Exits " + ExitCode.BANNED_IN_BOM + " when a line is banned by a chosen policy, so a"
                + " procurement pipeline can gate on it. Sends no traffic."}, footer = {"",
                        "Examples:", "  camaudit check-bom quote.csv",
                        "  camaudit check-bom quote.csv --policy ndaa889 --format json",
                        "  camaudit check-bom quote.csv --policy us-federal,texas --as-of 2026-07-01"})
final class CheckBomCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The CSV file.")
    Path file;

    @Option(names = "--format", paramLabel = "table|json", defaultValue = "table", description = "table (default) or json: one JSON object per line.")
    String format;

    @Mixin
    DataDirOption data;

    @Mixin
    PolicyOptions policies;

    @Override
    public Integer call() {
        String f = format.toLowerCase(Locale.ROOT);
        if (!f.equals("table") && !f.equals("json")) {
            throw new UsageException("unknown --format " + format + ": use table or json");
        }
        BomFile bom;
        try {
            bom = BomFile.read(file);
        } catch (NoSuchFileException e) {
            throw new UsageException("no such file: " + file);
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        FindingEngine engine = policies.engine(data.resolve());
        BomCheck check = new BomCheck(engine);
        PrintWriter out = spec.commandLine().getOut();
        boolean banned = false;
        if (f.equals("table")) {
            out.printf("%-5s %-22s %-18s %-5s %-20s %-34s %s%n", "LINE", "BRAND", "MODEL", "QTY",
                    "PLATFORM", "BANNED BY", "VULNERABILITIES");
        }
        int bannedLines = 0;
        for (BomCheck.Verdict v : check.check(bom)) {
            BomFile.Line line = v.line();
            if (v.banned()) {
                banned = true;
                bannedLines++;
            }
            if (f.equals("json")) {
                out.println(v.json().toString());
            } else {
                out.printf("%-5d %-22s %-18s %-5s %-20s %-34s %s%n", line.number(), cut(line
                        .brand(), 22), cut(line.model(), 18), cut(line.quantity(), 5),
                        v
                                .platforms().isEmpty()
                                        ? "(unknown brand)"
                                        : cut(String.join(", ", v.platforms()), 20),
                        v.bans().isEmpty() ? "-" : String.join(",", v.bans().keySet()), v
                                .vulnerabilities().isEmpty()
                                        ? "-"
                                        : String.join(",", v.vulnerabilities()));
                for (Map.Entry<String, Finding> b : v.bans().entrySet()) {
                    Map<String, String> d = b.getValue().details();
                    out.printf("      %s: %s — entry \"%s\" since %s%n        cite: %s%n", b
                            .getKey(), d.getOrDefault("list", b.getValue().title()),
                            d
                                    .getOrDefault("entry", "?"),
                            d.getOrDefault("since", "?"), b
                                    .getValue().citation().orElse("-"));
                }
            }
        }
        if (f.equals("table")) {
            out.printf("%n%d lines, %d banned by %s as on %s%s%n", bom.lines().size(),
                    bannedLines, String.join(", ", engine.policies().stream().map(p -> p.id())
                            .toList()),
                    engine.today(),
                    banned
                            ? " — exit " + ExitCode.BANNED_IN_BOM
                            : "");
        }
        out.flush();
        return banned ? ExitCode.BANNED_IN_BOM : ExitCode.OK;
    }

    private static String cut(String s, int n) {
        return s.length() > n ? s.substring(0, n - 1) + "…" : s;
    }
}
