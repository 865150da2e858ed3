package org.camaudit.server.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.camaudit.server.wire.BatchJson;

/** A schedule as the API sends and takes it; the agent reads the same shape. */
public final class ScheduleJson {
    private ScheduleJson() {
    }

    public static ObjectNode write(SiteSchedule s) {
        ObjectNode n = BatchJson.MAPPER.createObjectNode().put("site", s.site()).put(
                "every_seconds", s.every().toSeconds());
        ArrayNode t = n.putArray("targets");
        s.targets().forEach(t::add);
        ArrayNode x = n.putArray("exclude");
        s.excludes().forEach(x::add);
        s.ports().ifPresent(list -> {
            ArrayNode p = n.putArray("ports");
            list.forEach(p::add);
        });
        return n.put("authorized_by", s.authorizedBy()).put("updated", s.updated().toString())
                .put("updated_by", s.updatedBy());
    }

    /**
     * A schedule from the API's JSON ({@code every} as {@code 1h} or {@code every_seconds}).
     *
     * @throws IllegalArgumentException naming the flaw
     */
    public static SiteSchedule read(JsonNode n, String site, String actor, Instant now) {
        Duration every;
        if (n.hasNonNull("every_seconds")) {
            if (!n.get("every_seconds").canConvertToLong()) {
                throw new IllegalArgumentException("\"every_seconds\" is a whole number");
            }
            every = Duration.ofSeconds(n.get("every_seconds").asLong());
        } else if (n.hasNonNull("every")) {
            every = SiteSchedule.parseInterval(n.get("every").asText());
        } else {
            throw new IllegalArgumentException("say how often: \"every\" (1h) or"
                    + " \"every_seconds\"");
        }
        Optional<List<Integer>> ports = Optional.empty();
        if (n.hasNonNull("ports")) {
            List<Integer> list = new ArrayList<>();
            for (JsonNode p : array(n, "ports")) {
                if (!p.canConvertToInt()) {
                    throw new IllegalArgumentException("\"ports\" lists port numbers");
                }
                list.add(p.asInt());
            }
            ports = Optional.of(list);
        }
        return new SiteSchedule(site, every, texts(n, "targets"), texts(n, "exclude"), ports, n
                .path("authorized_by").asText(""),
                n.hasNonNull("updated")
                        ? Instant.parse(n.get("updated").asText())
                        : now,
                n.path("updated_by").asText(actor));
    }

    private static List<String> texts(JsonNode n, String key) {
        List<String> out = new ArrayList<>();
        if (!n.hasNonNull(key)) {
            return out;
        }
        for (JsonNode v : array(n, key)) {
            if (!v.isTextual()) {
                throw new IllegalArgumentException("\"" + key + "\" lists ranges as strings");
            }
            out.add(v.asText().strip());
        }
        return out;
    }

    private static JsonNode array(JsonNode n, String key) {
        JsonNode a = n.get(key);
        if (!a.isArray()) {
            throw new IllegalArgumentException("\"" + key + "\" is a JSON array");
        }
        return a;
    }
}
