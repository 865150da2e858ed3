package org.camaudit.report;

import static org.camaudit.report.Markup.esc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.camaudit.model.Finding.Severity;
import org.camaudit.model.Identification;
import org.camaudit.model.Scan;

/**
 * The HTML report: one self-contained page (inline CSS, inline script, SVG charts drawn here, no
 * external URL). In print mode it is well-formed XHTML without script, with charts as CSS bars and
 * every device's evidence open, for the PDF renderer.
 */
final class HtmlReport {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern(
            "yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final Inventory inv;
    private final boolean print;
    private final StringBuilder out = new StringBuilder(64 * 1024);

    private HtmlReport(Inventory inv, boolean print) {
        this.inv = inv;
        this.print = print;
    }

    /** The interactive page for a browser. */
    static String page(Inventory inv) {
        return new HtmlReport(inv, false).render();
    }

    /** The print variant (XHTML, no script) for the PDF renderer. */
    static String printPage(Inventory inv) {
        return new HtmlReport(inv, true).render();
    }

    private String render() {
        Scan scan = inv.data.scan();
        out.append("<!DOCTYPE html>\n");
        out.append(print
                ? "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n"
                : "<html lang=\"en\">\n");
        out.append("<head>\n<meta charset=\"utf-8\"/>\n");
        if (!print) {
            out.append(
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
            // nothing on this page may load from anywhere
            out.append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
                    + " style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\"/>\n");
        }
        out.append("<title>").append(esc("camaudit report \u2014 scan " + scan.id())).append(
                "</title>\n<style>\n").append(css()).append("</style>\n</head>\n<body>\n");
        header(scan);
        summary(scan);
        charts();
        deviceTable();
        evidence();
        out.append("<footer><p>Generated ").append(esc(TIME.format(inv.data.generated()))).append(
                " by camaudit ").append(esc(inv.data.toolVersion())).append(
                        ". Evidence was gathered without exploiting any device.</p></footer>\n");
        if (!print) {
            out.append("<script>\n").append(SCRIPT).append("</script>\n");
        }
        out.append("</body>\n</html>\n");
        return out.toString();
    }

    private void header(Scan scan) {
        boolean site = scan.kind().startsWith("site: ");
        out.append("<header><h1>camaudit report: ").append(site
                ? esc("site, " + scan.kind().substring(6))
                : "scan " + scan.id()).append("</h1><p class=\"sub\">").append(site
                        ? "joined by MAC, else address"
                        : esc(scan.kind()) + " scan")
                .append(", ").append(esc(scan.status()))
                .append(", started ").append(esc(TIME.format(scan
                        .started())))
                .append("</p></header>\n");
    }

    private void summary(Scan scan) {
        out.append("<section id=\"summary\"><h2>Summary</h2>\n<table class=\"kv\"><tbody>\n");
        kv("Scan", "#" + scan.id() + " (" + scan.kind() + ", " + scan.status() + ")");
        kv("Started", TIME.format(scan.started()));
        kv("Finished", scan.finished().map(TIME::format).orElse("not finished"));
        kv("Authorised by", scan.authorizedBy());
        kv("Scope", scopeText(scan.scope()));
        kv("Probed", String.format(Locale.ROOT, "%,d addresses, %,d hosts up, %,d open ports,"
                + " %,d observations", scan.summary().addressesProbed(), scan.summary().hostsUp(),
                scan.summary().openPorts(), scan.summary().observations()));
        kv("Report", "generated " + TIME.format(inv.data.generated()) + " by camaudit " + inv.data
                .toolVersion());
        out.append("</tbody></table>\n<div class=\"cards\">\n");
        card("devices", inv.devices.size(), "devices");
        card("identified", inv.identified, "identified");
        card("unknown", inv.devices.size() - inv.identified, "not identified");
        card("rebrands", inv.rebrands, "OEM rebrands");
        card("findings", inv.findingCount(), "findings");
        for (Severity s : Severity.values()) {
            card("sev-" + s.label(), inv.bySeverity.get(s), s.label());
        }
        out.append("</div>\n</section>\n");
    }

    private void kv(String k, String v) {
        DeviceSection.kv(out, k, v);
    }

    private void card(String id, int n, String label) {
        out.append("<div class=\"card\" id=\"count-").append(id).append("\"><span class=\"n\">")
                .append(n).append("</span><span class=\"l\">").append(esc(label)).append(
                        "</span></div>\n");
    }

    /** The scope JSON as a line a person reads; the raw text (clipped) when it is not JSON. */
    static String scopeText(String json) {
        try {
            JsonNode n = new ObjectMapper().readTree(json);
            if (n != null && n.isObject()) {
                List<String> parts = new ArrayList<>();
                n.fields().forEachRemaining(e -> {
                    JsonNode v = e.getValue();
                    String text;
                    if (v.isArray()) {
                        List<String> items = new ArrayList<>();
                        v.forEach(x -> items.add(x.isValueNode() ? x.asText() : x.toString()));
                        text = items.size() > 12
                                ? items.size() + " entries (" + String.join(", ",
                                        items.subList(0, 12)) + ", \u2026)"
                                : String.join(", ", items);
                        if (items.isEmpty()) {
                            text = "none";
                        }
                    } else {
                        text = v.isValueNode() ? v.asText() : v.toString();
                    }
                    parts.add(e.getKey().replace('_', ' ') + ": " + text);
                });
                return String.join("; ", parts);
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: shown as recorded
        }
        return json.length() > 400 ? json.substring(0, 400) + "\u2026" : json;
    }

    // ---- charts

    private record Bar(String label, int value, String colour) {
    }

    private void charts() {
        List<Bar> platforms = new ArrayList<>();
        for (Map.Entry<String, Integer> e : inv.byPlatform.entrySet()) {
            platforms.add(new Bar(e.getKey(), e.getValue(), e.getKey().equals(Inventory.UNKNOWN)
                    ? "#9e9e9e"
                    : "#3f51b5"));
        }
        List<Bar> policies = new ArrayList<>();
        for (Map.Entry<String, Integer> e : inv.byPolicy.entrySet()) {
            policies.add(new Bar(e.getKey(), e.getValue(), "#b3261e"));
        }
        List<Bar> severities = new ArrayList<>();
        for (Severity s : Severity.values()) {
            severities.add(new Bar(s.label(), inv.bySeverity.get(s), Inventory.colour(s)));
        }
        out.append("<section id=\"charts\"><h2>Charts</h2>\n<div class=\"charts\">\n");
        chart("chart-platform", "Devices by platform maker", platforms, false);
        chart("chart-policy", "Devices by policy", policies, false);
        chart("chart-severity", "Findings by severity", severities, true);
        out.append("</div>\n</section>\n");
    }

    private void chart(String id, String title, List<Bar> bars, boolean donut) {
        out.append("<figure class=\"chart\" id=\"").append(id).append("\"><figcaption>").append(
                esc(title)).append("</figcaption>\n");
        int total = bars.stream().mapToInt(Bar::value).sum();
        if (bars.isEmpty() || total == 0) {
            out.append("<p class=\"none\">none</p>\n");
        } else if (print) {
            cssBars(bars);
        } else if (donut) {
            svgDonut(bars, total);
        } else {
            svgBars(bars);
        }
        out.append("</figure>\n");
    }

    private void svgBars(List<Bar> bars) {
        int row = 24;
        int labelW = 130;
        int barW = 170;
        int h = bars.size() * row + 8;
        int max = bars.stream().mapToInt(Bar::value).max().orElse(1);
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"340\" height=\"")
                .append(h).append("\" viewBox=\"0 0 340 ").append(h).append("\">\n");
        int y = 4;
        for (Bar b : bars) {
            int w = Math.max(2, (int) Math.round((double) b.value() * barW / Math.max(1, max)));
            out.append("<g><title>").append(esc(b.label() + ": " + b.value())).append("</title>");
            out.append("<text x=\"").append(labelW - 6).append("\" y=\"").append(y + 16).append(
                    "\" text-anchor=\"end\" class=\"lbl\">").append(esc(clip(b.label(), 18)))
                    .append("</text>");
            out.append("<rect x=\"").append(labelW).append("\" y=\"").append(y + 3).append(
                    "\" width=\"").append(w).append("\" height=\"").append(row - 8).append(
                            "\" rx=\"2\" fill=\"")
                    .append(b.colour()).append("\"/>");
            out.append("<text x=\"").append(labelW + w + 5).append("\" y=\"").append(y + 16)
                    .append("\" class=\"val\">").append(b.value()).append("</text></g>\n");
            y += row;
        }
        out.append("</svg>\n");
    }

    private void svgDonut(List<Bar> bars, int total) {
        double r = 52;
        double c = 2 * Math.PI * r;
        out.append(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"340\" height=\"150\""
                        + " viewBox=\"0 0 340 150\">\n");
        out.append("<g transform=\"rotate(-90 75 75)\">");
        double offset = 0;
        for (Bar b : bars) {
            if (b.value() == 0) {
                continue;
            }
            double len = c * b.value() / total;
            out.append(String.format(Locale.ROOT, "<circle cx=\"75\" cy=\"75\" r=\"%.1f\""
                    + " fill=\"none\" stroke=\"%s\" stroke-width=\"26\""
                    + " stroke-dasharray=\"%.2f %.2f\" stroke-dashoffset=\"%.2f\"><title>%s</title>"
                    + "</circle>", r, b.colour(), len, c - len, -offset,
                    esc(b.label() + ": " + b
                            .value())));
            offset += len;
        }
        out.append("</g><text x=\"75\" y=\"80\" text-anchor=\"middle\" class=\"total\">").append(
                total).append("</text>\n");
        int y = 22;
        for (Bar b : bars) {
            out.append("<rect x=\"165\" y=\"").append(y - 10).append(
                    "\" width=\"12\" height=\"12\" fill=\"").append(b.colour()).append("\"/>");
            out.append("<text x=\"183\" y=\"").append(y).append("\" class=\"lbl\">").append(esc(b
                    .label())).append(" \u2014 ").append(b.value()).append("</text>\n");
            y += 24;
        }
        out.append("</svg>\n");
    }

    private void cssBars(List<Bar> bars) {
        int max = bars.stream().mapToInt(Bar::value).max().orElse(1);
        out.append("<table class=\"bars\"><tbody>\n");
        for (Bar b : bars) {
            int w = b.value() == 0
                    ? 0
                    : Math.max(2, (int) Math.round(b.value() * 150.0 / Math.max(
                            1, max)));
            out.append("<tr><td class=\"bl\">").append(esc(clip(b.label(), 28))).append(
                    "</td><td class=\"bb\"><div class=\"bar\" style=\"width:").append(w).append(
                            "px;background-color:")
                    .append(b.colour()).append(
                            "\"></div></td><td class=\"bv\">")
                    .append(b.value()).append(
                            "</td></tr>\n");
        }
        out.append("</tbody></table>\n");
    }

    // ---- device table

    private static final String[][] COLUMNS = {{"Address", "text"}, {"MAC", "text"}, {"Brand",
            "text"}, {"Platform", "text"}, {"Model", "text"}, {"Firmware", "text"},
            {"Type",
                    "text"},
            {"Confidence", "number"}, {"Rebrand", "text"}, {"Findings", "number"},
            {"Worst", "number"}};

    /** Column widths in the PDF, in percent, in {@link #COLUMNS} order. */
    private static final int[] PRINT_WIDTHS = {9, 11, 10, 8, 15, 16, 7, 6, 5, 5, 8};

    private void deviceTable() {
        out.append("<section id=\"devices\"><h2>Devices</h2>\n");
        if (!print) {
            out.append("<div class=\"controls\"><label>Filter <input type=\"search\""
                    + " id=\"filter-text\" placeholder=\"address, brand, model, finding\u2026\""
                    + " autocomplete=\"off\"/></label>\n");
            out.append("<label>Severity <select id=\"filter-severity\"><option value=\"\">any"
                    + "</option>");
            for (Severity s : Severity.values()) {
                out.append("<option value=\"").append(s.label()).append("\">").append(s.label())
                        .append("</option>");
            }
            out.append("<option value=\"none\">no findings</option></select></label>\n");
            out.append("<label>Platform <select id=\"filter-platform\"><option value=\"\">any"
                    + "</option>");
            for (String p : inv.byPlatform.keySet()) {
                out.append("<option value=\"").append(esc(p)).append("\">").append(esc(p)).append(
                        "</option>");
            }
            out.append("</select></label>\n<span id=\"shown-count\" class=\"count\">").append(
                    inv.devices.size()).append(" of ").append(inv.devices.size()).append(
                            " devices shown</span></div>\n");
        }
        out.append("<table id=\"device-table\" class=\"devices\">");
        if (print) {
            out.append("<colgroup>");
            for (int w : PRINT_WIDTHS) {
                out.append("<col style=\"width:").append(w).append("%\"/>");
            }
            out.append("</colgroup>");
        }
        out.append("<thead><tr>");
        for (String[] c : COLUMNS) {
            out.append("<th data-type=\"").append(c[1]).append("\"").append(print
                    ? ""
                    : " title=\"Sort by " + c[0].toLowerCase(Locale.ROOT) + "\"").append(">")
                    .append(c[0]).append("</th>");
        }
        out.append("</tr></thead>\n<tbody>\n");
        for (Inventory.Device d : inv.devices) {
            Identification i = d.id();
            String worst = d.worst().map(Severity::label).orElse("none");
            out.append("<tr data-index=\"").append(d.index()).append("\" data-severity=\"").append(
                    worst).append("\" data-platform=\"").append(esc(
                            i.platform().orElse(
                                    Inventory.UNKNOWN)))
                    .append("\">");
            out.append("<td class=\"nw\" data-sort=\"").append(esc(addressKey(i.address())))
                    .append("\">");
            if (print) {
                out.append(esc(i.address()));
            } else {
                out.append("<a href=\"#device-").append(d.index()).append("\">").append(esc(i
                        .address())).append("</a>");
            }
            out.append("</td>");
            out.append("<td class=\"nw\">").append(i.mac().map(Markup::esc).orElse("\u2013"))
                    .append("</td>");
            cell(i.makerLabel());
            cell(i.platform());
            cell(i.model());
            cell(i.firmware());
            out.append("<td class=\"nw\">").append(i.type().map(Markup::esc).orElse("\u2013"))
                    .append(
                            "</td>");
            out.append("<td class=\"num nw\">").append(String.format(Locale.ROOT, "%.2f", i
                    .confidence())).append("</td>");
            out.append("<td>").append(i.oemRebrand() ? "yes" : "no").append("</td>");
            out.append("<td class=\"num\">").append(d.findings().size()).append("</td>");
            out.append("<td class=\"nw\" data-sort=\"")
                    .append(d.worst().map(Enum::ordinal).orElse(Severity
                            .values().length))
                    .append("\">").append(badge(worst)).append("</td>");
            out.append("</tr>\n");
        }
        out.append("</tbody></table>\n</section>\n");
    }

    private void cell(Optional<String> v) {
        out.append("<td>").append(v.map(Markup::esc).orElse("\u2013")).append("</td>");
    }

    private static String badge(String severity) {
        return DeviceSection.badge(severity);
    }

    /** Sorts dotted IPv4 addresses numerically; anything else by its text. */
    static String addressKey(String address) {
        String[] p = address.split("\\.");
        if (p.length == 4) {
            StringBuilder sb = new StringBuilder();
            try {
                for (String part : p) {
                    int n = Integer.parseInt(part);
                    if (n < 0 || n > 255) {
                        return address;
                    }
                    sb.append(String.format(Locale.ROOT, "%03d", n)).append('.');
                }
                return sb.toString();
            } catch (NumberFormatException e) {
                return address;
            }
        }
        return address.toLowerCase(Locale.ROOT);
    }

    // ---- evidence

    private void evidence() {
        out.append("<section id=\"evidence\"><h2>Evidence per device</h2>\n");
        for (Inventory.Device d : inv.devices) {
            Identification i = d.id();
            String head = i.address() + " \u2014 " + describe(i);
            String worst = d.worst().map(Severity::label).orElse("none");
            if (print) {
                out.append("<div class=\"device\" id=\"device-").append(d.index()).append(
                        "\"><h3>").append(esc(head)).append(" ").append(badge(worst)).append(
                                "</h3>\n");
            } else {
                out.append("<details class=\"device\" id=\"device-").append(d.index()).append(
                        "\"><summary>").append(esc(head)).append(" ").append(badge(worst)).append(
                                " <span class=\"muted\">")
                        .append(d.findings().size()).append(
                                " findings</span></summary>\n");
            }
            out.append(DeviceSection.html(i, d.services(), d.findings(), print,
                    DeviceSection.NO_NOTE));
            out.append(print ? "</div>\n" : "</details>\n");
        }
        out.append("</section>\n");
    }

    static String describe(Identification i) {
        if (i.isUnknown()) {
            return "not identified";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(i.brand().or(i::platform).orElse(""));
        if (i.oemRebrand()) {
            sb.append(" (platform ").append(i.platform().orElse("")).append(')');
        }
        i.model().ifPresent(m -> sb.append(' ').append(m));
        i.type().ifPresent(t -> sb.append(", ").append(t));
        return sb.toString();
    }

    static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }

    static String time(Instant t) {
        return TIME.format(t);
    }

    private String css() {
        StringBuilder c = new StringBuilder();
        c.append(
                """
                        body{font-family:-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
                         color:#1d1d1f;margin:0 auto;max-width:1400px;padding:0 20px 40px;font-size:14px;
                         line-height:1.4}
                        h1{font-size:24px;margin:20px 0 2px}h2{font-size:19px;margin:26px 0 10px;
                         border-bottom:2px solid #e0e0e0;padding-bottom:4px}h3{font-size:15px;margin:16px 0 6px}
                        h4{font-size:13px;margin:10px 0 4px;color:#444}
                        .sub,.muted{color:#666}
                        table{border-collapse:collapse}
                        .cards{margin:14px 0}
                        .card{display:inline-block;min-width:92px;margin:0 8px 8px 0;padding:8px 12px;
                         border:1px solid #ddd;border-radius:6px;background:#fafafa;vertical-align:top}
                        .card .n{display:block;font-size:22px;font-weight:700}
                        .card .l{display:block;color:#555;font-size:12px}
                        figure.chart{display:inline-block;vertical-align:top;margin:0 24px 16px 0;
                         padding:10px;border:1px solid #e3e3e3;border-radius:6px}
                        figcaption{font-weight:600;margin-bottom:6px}
                        svg .lbl{font-size:12px;fill:#333}svg .val{font-size:12px;fill:#333}
                        svg .total{font-size:22px;font-weight:700;fill:#333}
                        table.devices{width:100%;font-size:13px}
                        table.devices th,table.devices td{border-bottom:1px solid #e6e6e6;padding:4px 6px;
                         text-align:left;vertical-align:top;word-wrap:break-word;overflow-wrap:break-word}
                        table.devices th,td.nw{white-space:nowrap}
                        table.devices thead th{background:#f1f3f6;position:sticky;top:0}
                        td.num{text-align:right}
                        footer{margin-top:30px;color:#666;font-size:12px}
                        """);
        c.append(DeviceSection.CSS);
        if (print) {
            c.append(
                    """
                                    @page{size:A4 landscape;margin:12mm 12mm 14mm 12mm;
                                     @bottom-right{content:"page " counter(page) " of " counter(pages);
                                      font-size:9px;color:#666}
                                     @bottom-left{content:"camaudit report";font-size:9px;color:#666}}
                                    body{font-family:Helvetica,Arial,sans-serif;max-width:none;padding:0;font-size:10px}
                                    h1{font-size:20px}h2{font-size:15px;page-break-after:avoid}
                                    h3{font-size:12px;page-break-after:avoid}
                                    table.devices{-fs-table-paginate:paginate;table-layout:fixed;font-size:9px}
                                    table.devices thead th{position:static;white-space:normal}
                            td.nw{white-space:normal}
                                    table.devices tr,table.evidence tr,.finding{page-break-inside:avoid}
                                    table.evidence{-fs-table-paginate:paginate;width:100%;table-layout:fixed}
                                    figure.chart{width:30%;margin:0 10px 10px 0}
                                    table.bars td{padding:1px 4px;font-size:9px}
                                    td.bl{text-align:right;width:110px}td.bb{width:156px}
                                    div.bar{height:10px}
                                    .device{page-break-inside:auto;border-top:1px solid #ddd;margin-top:8px}
                                    code{font-family:Courier,monospace;font-size:8px}
                                    .sev{font-size:7px;padding:0 3px}
                                    table.evidence{font-size:8px}
                                    .card{min-width:60px;padding:4px 8px}.card .n{font-size:16px}
                                    """);
        } else {
            c.append("""
                    .controls{margin:8px 0 10px}.controls label{margin-right:14px}
                    .controls input{width:260px;padding:4px 6px}.controls select{padding:3px}
                    .count{color:#555}
                    table.devices thead th{cursor:pointer;user-select:none}
                    th[aria-sort=ascending]::after{content:" \\25B2";font-size:10px}
                    th[aria-sort=descending]::after{content:" \\25BC";font-size:10px}
                    tr[hidden]{display:none}
                    details.device{border:1px solid #e3e3e3;border-radius:6px;margin:6px 0;
                     padding:4px 10px}
                    details.device summary{cursor:pointer;font-weight:600}
                    details.device:target{border-color:#3f51b5}
                    @media print{.controls{display:none}details.device{break-inside:avoid}}
                    """);
        }
        return c.toString();
    }

    /** Sorting and filtering; reads only attributes and text already escaped into the page. */
    private static final String SCRIPT = """
            (function () {
              'use strict';
              var table = document.getElementById('device-table');
              var body = table.tBodies[0];
              var rows = Array.prototype.slice.call(body.rows);
              var text = document.getElementById('filter-text');
              var severity = document.getElementById('filter-severity');
              var platform = document.getElementById('filter-platform');
              var count = document.getElementById('shown-count');
              var haystack = rows.map(function (r) { return r.textContent.toLowerCase(); });
              function apply() {
                var q = text.value.trim().toLowerCase();
                var s = severity.value;
                var p = platform.value;
                var shown = 0;
                rows.forEach(function (r, i) {
                  var ok = (!q || haystack[i].indexOf(q) >= 0)
                    && (!s || r.getAttribute('data-severity') === s)
                    && (!p || r.getAttribute('data-platform') === p);
                  r.hidden = !ok;
                  if (ok) { shown++; }
                });
                count.textContent = shown + ' of ' + rows.length + ' devices shown';
              }
              text.addEventListener('input', apply);
              severity.addEventListener('change', apply);
              platform.addEventListener('change', apply);
              function key(cell, numeric) {
                var k = cell.getAttribute('data-sort');
                if (k === null) { k = cell.textContent.trim().toLowerCase(); }
                if (numeric) { var n = parseFloat(k); return isNaN(n) ? -1 : n; }
                return k;
              }
              var heads = table.tHead.rows[0].cells;
              Array.prototype.forEach.call(heads, function (th, col) {
                th.tabIndex = 0;
                function sort() {
                  var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
                  Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
                  th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
                  var numeric = th.getAttribute('data-type') === 'number';
                  var order = rows.map(function (r, i) { return i; });
                  order.sort(function (a, b) {
                    var x = key(rows[a].cells[col], numeric);
                    var y = key(rows[b].cells[col], numeric);
                    var c = x < y ? -1 : x > y ? 1 : 0;
                    return c !== 0 ? c * dir
                      : rows[a].getAttribute('data-index') - rows[b].getAttribute('data-index');
                  });
                  rows = order.map(function (i) { return rows[i]; });
                  haystack = order.map(function (i) { return haystack[i]; });
                  rows.forEach(function (r) { body.appendChild(r); });
                }
                th.addEventListener('click', sort);
                th.addEventListener('keydown', function (e) {
                  if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); }
                });
              });
              apply();
            })();
            """;
}
