package org.camaudit.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reading the fields of a rule-pack entry, with one clear error for a missing one. */
public final class PackFields {
    private PackFields() {
    }

    /** A required, non-blank scalar; {@code where} names the entry in the error. */
    public static String text(JsonNode n, String key, String where) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull() || !v.isValueNode() || v.asText().isBlank()) {
            throw new RulePackException(where + ": missing " + key);
        }
        return v.asText();
    }

    /** An optional scalar; blank counts as absent. */
    public static Optional<String> optional(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() || v.asText().isBlank()
                ? Optional.empty()
                : Optional.of(v.asText());
    }

    /** The items of a list as text; anything else gives an empty list. */
    public static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(x -> out.add(x.asText()));
        }
        return out;
    }
}
