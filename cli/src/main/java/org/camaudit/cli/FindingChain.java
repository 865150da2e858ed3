package org.camaudit.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camaudit.model.Evidence;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;

/**
 * {@code findings --explain ID[@ADDRESS]}: how a finding was reached, device by device. For a
 * policy: the device, the evidence that identified it, its platform maker, how that maker hangs
 * under the entity on the list, the list's entry and since when, and the citation. For other
 * findings: the device, the finding's evidence and its citation.
 */
final class FindingChain {
    private FindingChain() {
    }

    /**
     * Prints the chain of every finding with that id (on that address, when given).
     *
     * @throws UsageException when the scan has no such finding, naming the ids it has
     */
    static void print(PrintWriter out, String what, long scanId, List<Finding> findings,
            List<Identification> identified) {
        int at = what.indexOf('@');
        String id = at < 0 ? what.strip() : what.substring(0, at).strip();
        Optional<String> address = at < 0
                ? Optional.empty()
                : Optional.of(what.substring(at + 1).strip());
        List<Finding> chosen = findings.stream().filter(f -> f.id().equalsIgnoreCase(id) || f
                .details().getOrDefault("policy", "").equalsIgnoreCase(id)).filter(f -> address
                        .map(a -> a.equals(f.address()) || a.equalsIgnoreCase(f.deviceKey()))
                        .orElse(true))
                .toList();
        if (chosen.isEmpty()) {
            throw new UsageException("scan " + scanId + " has no finding " + what
                    + " (its finding ids: " + String.join(", ", findings.stream().map(
                            Finding::id).distinct().sorted().toList())
                    + ")");
        }
        for (Finding f : chosen) {
            Optional<Identification> device = identified.stream().filter(i -> i.deviceKey()
                    .equals(f.deviceKey())).findFirst();
            out.printf("%s on %s — %s %s, %s%n", f.id(), f.address(), f.severity().label(), f
                    .kind().label(), f.remediation().label());
            out.println("  device:         " + device.map(FindingChain::describe).orElse(f
                    .deviceKey() + " (identification not stored)"));
            List<String> rules = device.map(d -> d.evidence().stream().map(FindingChain::rule)
                    .toList()).orElse(List.of());
            List<String> lines = rules.isEmpty() ? f.evidence() : rules;
            for (int n = 0; n < lines.size(); n++) {
                out.println((n == 0 ? "  evidence:       " : "                  ") + lines.get(n));
            }
            Map<String, String> d = f.details();
            if (f.kind() == Finding.Kind.POLICY) {
                out.println("  platform maker: " + device.flatMap(Identification::platform).or(
                        () -> device.flatMap(Identification::brand)).orElse(
                                d.getOrDefault(
                                        "matched_vendor", "?")));
                out.println("  covered as:     " + d.getOrDefault("matched_vendor", "?") + (d
                        .containsKey("relation") ? " — " + d.get("relation") : ""));
                out.println("  on the list:    " + d.getOrDefault("list", f.title()) + " ("
                        + d.getOrDefault("policy", f.id()) + ", " + d.getOrDefault(
                                "jurisdiction", "")
                        + ")");
                out.println("  entry:          " + d.getOrDefault("entry", d.getOrDefault(
                        "listed_entity", "?")) + " — in force since " + d.getOrDefault("since",
                                d.getOrDefault("effective", "?"))
                        + (d.containsKey("listed_since")
                                ? " (listed " + d.get("listed_since") + ")"
                                : "")
                        + (d.containsKey("judged_at")
                                ? ", judged as on " + d.get("judged_at")
                                : ""));
            } else {
                f.evidence().forEach(e -> out.println("  finding:        " + e));
            }
            out.println("  citation:       " + f.citation().orElse("-"));
            Optional.ofNullable(d.get("source")).ifPresent(s -> out.println("  source:         "
                    + s));
            out.println();
        }
    }

    private static String describe(Identification i) {
        StringBuilder b = new StringBuilder(i.address());
        i.mac().ifPresent(m -> b.append(" (").append(m).append(')'));
        i.brand().ifPresent(x -> b.append(", brand ").append(x));
        i.model().ifPresent(x -> b.append(", model ").append(x));
        i.type().ifPresent(x -> b.append(", ").append(x));
        i.firmware().ifPresent(x -> b.append(", firmware ").append(x));
        b.append(String.format(java.util.Locale.ROOT, ", confidence %.2f", i.confidence()));
        return b.toString();
    }

    private static String rule(Evidence e) {
        String excerpt = e.excerpt().replaceAll("\\s+", " ").strip();
        if (excerpt.length() > 80) {
            excerpt = excerpt.substring(0, 79) + "…";
        }
        return "rule " + e.ruleId() + ": " + e.field() + "=" + excerpt + " → " + e.said();
    }
}
