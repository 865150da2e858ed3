package org.camaudit.report;

import static org.camaudit.report.Markup.esc;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.camaudit.model.Evidence;
import org.camaudit.model.Finding;
import org.camaudit.model.Finding.Severity;
import org.camaudit.model.Identification;

/**
 * The one way camaudit draws a device in HTML: its identification, services, the evidence the
 * rules read and its findings with citation and remediation. The HTML report draws each device
 * with it, and so does the server's dashboard on a device's page. Every device string is escaped
 * here; the markup is well-formed XHTML, so the PDF renderer can read it too.
 */
public final class DeviceSection {
    /** Extra markup after one finding, such as the dashboard's review form (already escaped). */
    @FunctionalInterface
    public interface FindingNote {
        String html(Finding finding);
    }

    /** Nothing after a finding. */
    public static final FindingNote NO_NOTE = f -> "";

    /** The rules of the classes this section uses (with the severity colours). */
    public static final String CSS = css();

    private DeviceSection() {
    }

    /**
     * The section's body (no heading): identification, services, evidence, conflicts and
     * findings, worst first as given.
     *
     * @param fixedColumns give the evidence table fixed column widths (for the PDF)
     */
    public static String html(Identification i, DeviceServices services, List<Finding> findings,
            boolean fixedColumns, FindingNote note) {
        StringBuilder out = new StringBuilder(4096);
        out.append("<table class=\"kv\"><tbody>\n");
        kv(out, "Device key", i.deviceKey());
        kv(out, "Brand / platform", i.brand().orElse("\u2013") + " / " + i.platform().orElse(
                "\u2013") + (i.oemRebrand() ? " (OEM rebrand)" : ""));
        kv(out, "Model / firmware", i.model().orElse("\u2013") + " / " + i.firmware().orElse(
                "\u2013"));
        kv(out, "Type / confidence", i.type().orElse("\u2013") + " / " + String.format(
                Locale.ROOT, "%.2f", i.confidence()));
        kv(out, "Open TCP ports", services.tcpPorts().isEmpty()
                ? "none recorded"
                : String.join(", ", services.tcpPorts().stream().map(String::valueOf).toList()));
        kv(out, "Protocols", services.protocols().isEmpty()
                ? "none recorded"
                : String.join(", ", services.protocols()));
        out.append("</tbody></table>\n");
        if (!i.evidence().isEmpty()) {
            out.append("<h4>Identification evidence</h4>\n<table class=\"evidence\">").append(
                    fixedColumns
                            ? "<colgroup><col style=\"width:18%\"/><col style=\"width:17%\"/>"
                                    + "<col style=\"width:35%\"/><col style=\"width:24%\"/>"
                                    + "<col style=\"width:6%\"/></colgroup>"
                            : "")
                    .append("<thead><tr><th>Rule</th><th>Field</th><th>Value read</th>"
                            + "<th>Concluded</th><th>Conf.</th></tr></thead><tbody>\n");
            for (Evidence e : i.evidence()) {
                out.append("<tr><td>").append(esc(e.ruleId())).append("</td><td>").append(esc(e
                        .field())).append("</td><td><code>").append(esc(e.excerpt())).append(
                                "</code></td><td>")
                        .append(esc(e.said())).append("</td><td class=\"num\">").append(String
                                .format(Locale.ROOT, "%.2f", e.confidence()))
                        .append("</td></tr>\n");
            }
            out.append("</tbody></table>\n");
        }
        if (!i.conflicts().isEmpty()) {
            out.append("<h4>Conflicts</h4>\n<ul class=\"conflicts\">\n");
            for (String c : i.conflicts()) {
                out.append("<li>").append(esc(c)).append("</li>\n");
            }
            out.append("</ul>\n");
        }
        if (!findings.isEmpty()) {
            out.append("<h4>Findings</h4>\n");
            for (Finding f : findings) {
                finding(out, f, note);
            }
        }
        return out.toString();
    }

    private static void finding(StringBuilder out, Finding f, FindingNote note) {
        out.append("<div class=\"finding sevline-").append(f.severity().label()).append(
                "\" data-finding=\"").append(esc(f.id())).append("\"><p class=\"ftitle\">").append(
                        badge(f.severity().label()))
                .append(" <strong>").append(esc(f.id())).append("</strong> <span class=\"muted\">")
                .append(f.kind().label()).append("</span> \u2014 ").append(esc(f.title())).append(
                        "</p>\n");
        out.append("<table class=\"kv\"><tbody>\n");
        f.citation().ifPresent(c -> kv(out, "Citation", c));
        kv(out, "Remediation", f.remediation().label() + ": " + remediation(f.remediation()));
        if (!f.evidence().isEmpty()) {
            kv(out, "Evidence", String.join("; ", f.evidence()));
        }
        for (Map.Entry<String, String> e : f.details().entrySet()) {
            kv(out, e.getKey(), e.getValue());
        }
        out.append("</tbody></table>").append(note.html(f)).append("</div>\n");
    }

    /** A severity as a coloured label ({@code none} for a device without findings). */
    public static String badge(String severity) {
        return "<span class=\"sev sev-" + esc(severity) + "\">" + esc(severity) + "</span>";
    }

    /** The colour of a severity, the same in every chart and badge. */
    public static String colour(Severity s) {
        return Inventory.colour(s);
    }

    /** What to do, in words. */
    public static String remediation(Finding.Remediation r) {
        return Inventory.remediation(r);
    }

    static void kv(StringBuilder out, String k, String v) {
        out.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append(
                "</td></tr>\n");
    }

    private static String css() {
        StringBuilder c = new StringBuilder(
                """
                        table.kv th{text-align:left;font-weight:600;padding:2px 14px 2px 0;
                         vertical-align:top;white-space:nowrap;color:#444}
                        table.kv td{padding:2px 0;word-wrap:break-word;overflow-wrap:break-word}
                        .sev{display:inline-block;white-space:nowrap;padding:0 6px;border-radius:3px;color:#fff;
                         font-size:11px;font-weight:600;text-transform:uppercase}
                        .sev-none{background:#2e7d32}
                        table.evidence{font-size:12px;margin:4px 0}
                        table.evidence th,table.evidence td{border:1px solid #e3e3e3;padding:2px 5px;
                         text-align:left;vertical-align:top;word-wrap:break-word;overflow-wrap:break-word}
                        code{font-family:"DejaVu Sans Mono",Consolas,monospace;font-size:11px}
                        .finding{border-left:4px solid #999;padding:2px 10px;margin:6px 0;background:#fcfcfc}
                        .ftitle{margin:2px 0}
                        """);
        for (Severity s : Severity.values()) {
            c.append(".sev-").append(s.label()).append("{background:").append(Inventory.colour(s))
                    .append("}.sevline-").append(s.label()).append("{border-left-color:").append(
                            Inventory.colour(s))
                    .append("}\n");
        }
        return c.toString();
    }
}
