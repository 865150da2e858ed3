package org.camaudit.report;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;

/**
 * The CSV report (RFC 4180: CRLF, fields quoted when needed, quotes doubled): one row per device
 * and finding, one row for a device without findings. A cell that a spreadsheet would read as a
 * formula (starting with = + - @, tab or carriage return) gets a leading apostrophe.
 */
final class CsvReport {
    static final List<String> HEADER = List.of("scan", "address", "mac", "brand", "platform",
            "model", "firmware", "type", "confidence", "oem_rebrand", "open_ports", "protocols",
            "finding_id", "kind", "severity", "title", "citation", "remediation", "evidence");

    private CsvReport() {
    }

    static void write(Inventory inv, Writer w) throws IOException {
        row(w, HEADER);
        String scan = Long.toString(inv.data.scan().id());
        for (Inventory.Device d : inv.devices) {
            Identification i = d.id();
            List<String> device = List.of(scan, i.address(), or(i.mac()), or(i.brand()), or(i
                    .platform()), or(i.model()), or(i.firmware()), or(i.type()), String.format(
                            Locale.ROOT, "%.2f", i.confidence()),
                    i.oemRebrand() ? "yes" : "no",
                    String.join(" ", d.services().tcpPorts().stream().map(String::valueOf)
                            .toList()),
                    String.join(" ", d.services().protocols()));
            if (d.findings().isEmpty()) {
                List<String> r = new ArrayList<>(device);
                r.addAll(List.of("", "", "", "", "", "", ""));
                row(w, r);
            }
            for (Finding f : d.findings()) {
                List<String> r = new ArrayList<>(device);
                r.addAll(List.of(f.id(), f.kind().label(), f.severity().label(), f.title(), f
                        .citation().orElse(""), f.remediation().label(),
                        String.join("; ", f
                                .evidence())));
                row(w, r);
            }
        }
    }

    private static String or(Optional<String> v) {
        return v.orElse("");
    }

    static void row(Writer w, List<String> cells) throws IOException {
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                w.write(',');
            }
            w.write(cell(cells.get(c)));
        }
        w.write("\r\n");
    }

    /** One cell: formula-neutralised, then quoted if it holds a comma, quote, CR or LF. */
    static String cell(String value) {
        String v = value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf(
                '\r') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }
}
