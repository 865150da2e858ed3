package org.camaudit.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.Optional;
import org.camaudit.model.Evidence;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.model.Scan;

/** The JSON report: one document with the scan, every device (identification and findings), counts. */
final class JsonReport {
    private static final JsonFactory JSON = new JsonFactory();

    private JsonReport() {
    }

    static void write(Inventory inv, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeObjectFieldStart("report");
            g.writeStringField("generated", inv.data.generated().toString());
            g.writeStringField("tool", "camaudit");
            g.writeStringField("version", inv.data.toolVersion());
            g.writeEndObject();
            scan(g, inv.data.scan());
            counts(g, inv);
            g.writeArrayFieldStart("devices");
            for (Inventory.Device d : inv.devices) {
                device(g, d);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static void scan(JsonGenerator g, Scan s) throws IOException {
        g.writeObjectFieldStart("scan");
        g.writeNumberField("id", s.id());
        g.writeStringField("kind", s.kind());
        g.writeStringField("status", s.status());
        g.writeStringField("started", s.started().toString());
        text(g, "finished", s.finished().map(Object::toString));
        g.writeStringField("authorized_by", s.authorizedBy());
        g.writeStringField("scope", s.scope());
        g.writeNumberField("addresses_probed", s.summary().addressesProbed());
        g.writeNumberField("hosts_up", s.summary().hostsUp());
        g.writeNumberField("open_ports", s.summary().openPorts());
        g.writeNumberField("observations", s.summary().observations());
        g.writeNumberField("millis", s.summary().millis());
        g.writeEndObject();
    }

    private static void counts(JsonGenerator g, Inventory inv) throws IOException {
        g.writeObjectFieldStart("counts");
        g.writeNumberField("devices", inv.devices.size());
        g.writeNumberField("identified", inv.identified);
        g.writeNumberField("unknown", inv.devices.size() - inv.identified);
        g.writeNumberField("oem_rebrands", inv.rebrands);
        g.writeNumberField("findings", inv.findingCount());
        g.writeObjectFieldStart("by_severity");
        for (Map.Entry<Finding.Severity, Integer> e : inv.bySeverity.entrySet()) {
            g.writeNumberField(e.getKey().label(), e.getValue());
        }
        g.writeEndObject();
        g.writeObjectFieldStart("by_kind");
        for (Map.Entry<Finding.Kind, Integer> e : inv.byKind.entrySet()) {
            g.writeNumberField(e.getKey().label(), e.getValue());
        }
        g.writeEndObject();
        g.writeObjectFieldStart("by_platform");
        for (Map.Entry<String, Integer> e : inv.byPlatform.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeObjectFieldStart("by_policy");
        for (Map.Entry<String, Integer> e : inv.byPolicy.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void device(JsonGenerator g, Inventory.Device d) throws IOException {
        Identification i = d.id();
        g.writeStartObject();
        g.writeStringField("key", i.deviceKey());
        g.writeStringField("address", i.address());
        text(g, "mac", i.mac());
        text(g, "brand", i.brand());
        text(g, "platform", i.platform());
        text(g, "model", i.model());
        text(g, "firmware", i.firmware());
        text(g, "type", i.type());
        g.writeNumberField("confidence", i.confidence());
        g.writeBooleanField("oem_rebrand", i.oemRebrand());
        g.writeBooleanField("maker_by_mac", i.makerByMac());
        g.writeArrayFieldStart("open_ports");
        for (int p : d.services().tcpPorts()) {
            g.writeNumber(p);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("protocols");
        for (String p : d.services().protocols()) {
            g.writeString(p);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("evidence");
        for (Evidence e : i.evidence()) {
            g.writeStartObject();
            g.writeStringField("rule", e.ruleId());
            g.writeStringField("field", e.field());
            g.writeStringField("excerpt", e.excerpt());
            g.writeStringField("said", e.said());
            g.writeNumberField("confidence", e.confidence());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("conflicts");
        for (String c : i.conflicts()) {
            g.writeString(c);
        }
        g.writeEndArray();
        text(g, "worst_severity", d.worst().map(Finding.Severity::label));
        g.writeArrayFieldStart("findings");
        for (Finding f : d.findings()) {
            g.writeStartObject();
            g.writeStringField("id", f.id());
            g.writeStringField("kind", f.kind().label());
            g.writeStringField("severity", f.severity().label());
            g.writeStringField("title", f.title());
            text(g, "citation", f.citation());
            g.writeStringField("remediation", f.remediation().label());
            g.writeArrayFieldStart("evidence");
            for (String e : f.evidence()) {
                g.writeString(e);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("details");
            for (Map.Entry<String, String> e : f.details().entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void text(JsonGenerator g, String name, Optional<String> v)
            throws IOException {
        if (v.isPresent()) {
            g.writeStringField(name, v.get());
        } else {
            g.writeNullField(name);
        }
    }
}
