package org.camaudit.rules.corpus;

import java.util.Locale;
import java.util.Map;
import org.camaudit.model.Identification;

/**
 * A corpus score as markdown: the summary figures, the per-maker table (to paste into the
 * README), the slices by field family, source family and label origin, and, in the full report,
 * every record the engine missed or named wrongly.
 */
public final class ScoreReport {
    private ScoreReport() {
    }

    /** The summary and every table, without the per-record list. */
    public static String tables(CorpusScore s) {
        StringBuilder b = new StringBuilder();
        b.append(summary(s)).append('\n');
        b.append("### Per maker\n\n").append(makerTable(s)).append('\n');
        b.append("### Per field family (a record counts in each family it has)\n\n");
        b.append(sliceTable("family", s.byFieldFamily())).append('\n');
        b.append("### Per source family (records file)\n\n");
        b.append(sliceTable("source family", s.bySourceFamily())).append('\n');
        b.append("### Per label origin\n\n");
        b.append(sliceTable("label_from", s.byLabelFrom()));
        return b.toString();
    }

    /** The tables, then every miss and wrong call with its evidence. */
    public static String full(CorpusScore s) {
        StringBuilder b = new StringBuilder(tables(s)).append('\n');
        b.append("### Records not named correctly\n\n");
        b.append("| record | where | label | named | evidence |\n|---|---|---|---|---|\n");
        for (CorpusScore.Outcome o : s.outcomes()) {
            if (o.correct()) {
                continue;
            }
            CorpusRecord r = o.record();
            Identification id = o.identification();
            String named = o.named()
                    ? id.brand().orElse("-") + " / " + id.platform().orElse("-")
                    : "nothing";
            b.append("| ").append(cell(r.id())).append(" | ").append(cell(r.where())).append(
                    " | ").append(cell(label(r))).append(" | ").append(cell(named)).append(" | ")
                    .append(cell(String.join(", ", id.evidence().stream().map(e -> e.ruleId())
                            .toList())))
                    .append(" |\n");
        }
        return b.toString();
    }

    public static String summary(CorpusScore s) {
        StringBuilder b = new StringBuilder();
        b.append("| slice | records | named | correct | accuracy | coverage | precision |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|\n");
        row(b, "all records", s.overall());
        row(b, "camera records (camera, nvr, dvr, intercom, doorbell)", s.cameras());
        row(b, "Hikvision/Dahua/Xiongmai families (OEM brands included)", s.coveredFamilies());
        row(b, "other makers' camera records", s.otherCameras());
        b.append('\n').append(String.format(Locale.ROOT,
                "Policy-covered calls on records of a maker no policy concerns: %d (of %d such"
                        + " records).%n",
                s.wronglyCovered().size(), s.nonCoveredRecords()));
        for (CorpusScore.Outcome o : s.wronglyCovered()) {
            b.append("- ").append(o.record().where()).append(' ').append(o.record().id()).append(
                    ": label ").append(label(o.record())).append(", called ").append(o
                            .policyCalls())
                    .append('\n');
        }
        return b.toString();
    }

    /** One row per label maker, most records first; with the wrong calls naming that maker. */
    public static String makerTable(CorpusScore s) {
        Map<String, Integer> wrong = s.wrongCallsByNamedMaker();
        StringBuilder b = new StringBuilder();
        b.append("| maker | records | named | correct | accuracy | coverage | precision |"
                + " wrongly named as this maker |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Tally> e : s.makersByRecords()) {
            Tally t = e.getValue();
            b.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %s | %s | %s | %d |%n",
                    cell(e.getKey()), t.records(), t.named(), t.correct(), pct(t.accuracy()), pct(t
                            .coverage()),
                    t.named() == 0 ? "-" : pct(t.precision()), wrong.getOrDefault(e.getKey(), 0)));
        }
        for (Map.Entry<String, Integer> e : wrong.entrySet()) {
            if (!s.byMaker().containsKey(e.getKey())) {
                b.append(String.format(Locale.ROOT, "| %s (no records) | 0 | 0 | 0 | - | - | - |"
                        + " %d |%n", cell(e.getKey()), e.getValue()));
            }
        }
        return b.toString();
    }

    static String sliceTable(String head, Map<String, Tally> slices) {
        StringBuilder b = new StringBuilder();
        b.append("| ").append(head).append(
                " | records | named | correct | accuracy | coverage | precision |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|\n");
        slices.forEach((k, t) -> row(b, k, t));
        return b.toString();
    }

    private static void row(StringBuilder b, String name, Tally t) {
        b.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %s | %s | %s |%n", cell(name), t
                .records(), t.named(), t.correct(), pct(t.accuracy()), pct(t.coverage()),
                t
                        .named() == 0 ? "-" : pct(t.precision())));
    }

    private static String label(CorpusRecord r) {
        return r.maker() + r.platform().map(p -> " (platform " + p + ")").orElse("") + ", " + r
                .device();
    }

    static String pct(double f) {
        return String.format(Locale.ROOT, "%.1f %%", f * 100);
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
