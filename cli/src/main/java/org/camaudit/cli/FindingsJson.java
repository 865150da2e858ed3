package org.camaudit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.camaudit.model.Finding;

/** One finding as a JSON object (the shape of {@code findings --json} and {@code diff --json}). */
final class FindingsJson {
    static final ObjectMapper JSON = new ObjectMapper();

    private FindingsJson() {
    }

    static ObjectNode of(Finding f) {
        ObjectNode n = JSON.createObjectNode();
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
}
