package org.camaudit.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;

/**
 * DefectDojo's "Generic Findings Import" JSON: {@code {"name", "type", "version", "findings":
 * [...]}}, one finding per camaudit finding, with the fields the importer requires (title,
 * severity as Critical/High/Medium/Low/Info, description) and those it allows that camaudit
 * knows: date, cve, mitigation, impact, references, unique_id_from_tool (stable per site-free
 * device key and finding id, so a re-import updates rather than duplicates),
 * vuln_id_from_tool, component_name/version (the device's model and firmware), service, tags,
 * known_exploited and kev_date, and endpoints (the device's address). camaudit's knowledge packs
 * carry no CWE, so no cwe field is written.
 */
final class DefectDojoReport {
    static final String TYPE = "camaudit";
    private static final Pattern CVE = Pattern.compile("CVE-\\d{4}-\\d{4,}");
    private static final ObjectMapper JSON = new ObjectMapper().enable(
            SerializationFeature.INDENT_OUTPUT);

    private DefectDojoReport() {
    }

    static void write(Inventory inv, OutputStream out) throws IOException {
        ObjectNode doc = JSON.createObjectNode().put("name", "camaudit").put("type", TYPE).put(
                "version", inv.data.toolVersion()).put("description",
                        "camaudit scan "
                                + inv.data.scan().id() + " (" + inv.data.scan().kind()
                                + "), authorised by "
                                + inv.data.scan().authorizedBy())
                .put("dynamic_tool", true).put(
                        "static_tool", false);
        ArrayNode findings = doc.putArray("findings");
        String date = inv.data.scan().started().atOffset(ZoneOffset.UTC).toLocalDate().toString();
        for (Inventory.Device d : inv.devices) {
            for (Finding f : d.findings()) {
                findings.add(finding(d.id(), f, date));
            }
        }
        JSON.writeValue(new NonClosing(out), doc);
        out.write('\n');
    }

    private static ObjectNode finding(Identification id, Finding f, String date) {
        ObjectNode n = JSON.createObjectNode();
        n.put("title", f.title());
        n.put("severity", severity(f.severity()));
        n.put("description", description(id, f));
        n.put("date", date);
        if (CVE.matcher(f.id()).matches()) {
            n.put("cve", f.id());
        }
        n.put("mitigation", mitigation(f.remediation()));
        n.put("impact", impact(f.kind()));
        f.citation().ifPresent(c -> n.put("references", c + (f.details().containsKey("source")
                ? "\n" + f.details().get("source")
                : "")));
        if (f.citation().isEmpty() && f.details().containsKey("source")) {
            n.put("references", f.details().get("source"));
        }
        n.put("unique_id_from_tool", uniqueId(f));
        n.put("vuln_id_from_tool", f.id());
        id.model().ifPresent(m -> n.put("component_name", id.brand().map(b -> b + " " + m)
                .orElse(m)));
        id.firmware().ifPresent(v -> n.put("component_version", v));
        if (f.details().containsKey("port")) {
            n.put("service", f.details().get("port"));
        }
        n.put("active", true);
        n.put("verified", false);
        n.put("static_finding", false);
        n.put("dynamic_finding", true);
        if (f.details().containsKey("kev_date_added")) {
            n.put("known_exploited", true);
            n.put("kev_date", f.details().get("kev_date_added"));
        }
        ArrayNode tags = n.putArray("tags");
        tags.add("camaudit");
        tags.add(f.kind().label());
        id.platform().ifPresent(p -> tags.add(p.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+",
                "-")));
        ArrayNode endpoints = n.putArray("endpoints");
        endpoints.addObject().put("host", f.address());
        return n;
    }

    static String severity(Finding.Severity s) {
        return switch (s) {
            case CRITICAL -> "Critical";
            case HIGH -> "High";
            case MEDIUM -> "Medium";
            case LOW -> "Low";
            case INFO -> "Info";
        };
    }

    private static String description(Identification id, Finding f) {
        List<String> lines = new ArrayList<>();
        lines.add(f.title());
        lines.add("");
        lines.add("Device: " + f.address() + (id.mac().map(m -> " (" + m + ")").orElse("")));
        id.brand().ifPresent(b -> lines.add("Brand: " + b));
        id.platform().ifPresent(p -> lines.add("Platform maker: " + p));
        id.model().ifPresent(m -> lines.add("Model: " + m));
        id.firmware().ifPresent(v -> lines.add("Firmware: " + v));
        id.type().ifPresent(t -> lines.add("Type: " + t));
        lines.add("Finding: " + f.id() + " (" + f.kind().label() + ")");
        if (!f.evidence().isEmpty()) {
            lines.add("");
            lines.add("Evidence:");
            f.evidence().forEach(e -> lines.add("- " + e));
        }
        if (!f.details().isEmpty()) {
            lines.add("");
            for (Map.Entry<String, String> e : f.details().entrySet()) {
                lines.add(e.getKey() + ": " + e.getValue());
            }
        }
        return String.join("\n", lines);
    }

    private static String mitigation(Finding.Remediation r) {
        return switch (r) {
            case REPLACE -> "Replace the device with equipment from a vendor no policy covers.";
            case ISOLATE -> "Isolate the device: block its traffic to the internet and to other"
                    + " networks.";
            case PATCH -> "Update the firmware to a release that fixes this vulnerability.";
            case DISABLE_SERVICE -> "Disable the exposed service on the device.";
            case MONITOR -> "Monitor the device's behaviour.";
        };
    }

    private static String impact(Finding.Kind k) {
        return switch (k) {
            case POLICY -> "Equipment covered by a ban or restriction is in use.";
            case VULNERABILITY -> "A known vulnerability may be exploited.";
            case EXPOSURE -> "An exposed service widens the attack surface.";
            case BEHAVIOUR -> "The device's traffic shows unwanted behaviour.";
        };
    }

    /** The same device and finding id give the same id in every report. */
    static String uniqueId(Finding f) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((f.deviceKey() + "|" + f.id())
                    .getBytes(StandardCharsets.UTF_8));
            return "camaudit-" + HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Lets Jackson write without closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
