package org.camaudit.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Optional;
import org.camaudit.model.Evidence;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;

/**
 * The JSON shapes of one device and one finding that {@code identify --json}, {@code findings
 * --json}, {@code diff --json} and the server's diff share, so that a diff means the same wherever
 * it is made.
 */
public final class DeviceJson {
    /** A plain mapper for these shapes. */
    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = new JsonFactory();

    private DeviceJson() {
    }

    /** One device as a JSON object on one line; unknown parts are null. */
    public static String identificationLine(Identification i) {
        StringWriter sw = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(sw)) {
            g.writeStartObject();
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
            g.writeArrayFieldStart("evidence");
            for (String rule : i.evidence().stream().map(Evidence::ruleId).distinct().toList()) {
                g.writeString(rule);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("conflicts");
            for (String c : i.conflicts()) {
                g.writeString(c);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return sw.toString();
    }

    /** One finding as a JSON object; a missing citation is null. */
    public static ObjectNode finding(Finding f) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", f.id());
        n.put("kind", f.kind().label());
        n.put("severity", f.severity().label());
        n.put("device", f.deviceKey());
        n.put("address", f.address());
        n.put("title", f.title());
        n.putPOJO("evidence", f.evidence());
        if (f.citation().isPresent()) {
            n.put("citation", f.citation().get());
        } else {
            n.putNull("citation");
        }
        n.put("remediation", f.remediation().label());
        n.putPOJO("details", f.details());
        return n;
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
