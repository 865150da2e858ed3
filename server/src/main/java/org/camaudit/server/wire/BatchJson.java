package org.camaudit.server.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.camaudit.model.Evidence;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.model.Observation;
import org.camaudit.model.ScanSummary;
import org.camaudit.store.ObservationJson;

/**
 * The JSON form of a {@link Batch}. Observations use the observation log's JSONL object form
 * ({@link ObservationJson}), so one spelling of an observation serves export, import and push.
 * Reading throws {@link IllegalArgumentException} naming the first flaw ("observations[3]: missing
 * \"address\"").
 */
public final class BatchJson {
    /** Shared by the server's answers too: strict on input, plain on output. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private BatchJson() {
    }

    /**
     * The batch as JSON, written in one pass: observations go straight from the record to the
     * generator. The bytes are those of the batch's tree as {@link #MAPPER} writes it (a resend
     * must be byte-identical, also across versions); {@code revision} is written only above 0, so
     * a batch of revision 0 reads as it did before revisions.
     */
    public static byte[] write(Batch b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + 400 * b.observations()
                .size());
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("scan");
            g.writeTree(scan(b.scan()));
            g.writeNumberField("seq", b.seq());
            g.writeBooleanField("last", b.last());
            if (b.revision() > 0) {
                g.writeNumberField("revision", b.revision());
            }
            g.writeArrayFieldStart("observations");
            for (Observation o : b.observations()) {
                ObservationJson.write(g, o);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("identifications");
            for (Identification i : b.identifications()) {
                g.writeTree(identification(i));
            }
            g.writeEndArray();
            g.writeArrayFieldStart("findings");
            for (Finding f : b.findings()) {
                g.writeTree(finding(f));
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a batch as JSON", e);
        }
        return out.toByteArray();
    }

    public static Batch read(byte[] body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            String where = e instanceof JsonProcessingException j && j.getLocation() != null
                    ? " at line " + j.getLocation().getLineNr() + " column " + j.getLocation()
                            .getColumnNr()
                    : "";
            throw new IllegalArgumentException("the batch is not valid JSON" + where, e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("a batch is a JSON object");
        }
        ScanHeader scan = at("scan", () -> readScan(object(root, "scan")));
        int seq = (int) number(root, "seq", 0, Integer.MAX_VALUE);
        boolean last = root.path("last").asBoolean(false);
        int revision = root.has("revision")
                ? (int) number(root, "revision", 0, Integer.MAX_VALUE)
                : 0;
        List<Observation> observations = new ArrayList<>();
        ArrayNode obs = array(root, "observations");
        if (obs.size() > Batch.MAX_OBSERVATIONS) {
            throw new IllegalArgumentException("a batch holds at most " + Batch.MAX_OBSERVATIONS
                    + " observations, got " + obs.size());
        }
        for (int i = 0; i < obs.size(); i++) {
            JsonNode n = obs.get(i);
            observations.add(at("observations[" + i + "]", () -> ObservationJson.fromNode(n)));
        }
        List<Identification> ids = new ArrayList<>();
        ArrayNode idNodes = array(root, "identifications");
        for (int i = 0; i < idNodes.size(); i++) {
            JsonNode n = idNodes.get(i);
            ids.add(at("identifications[" + i + "]", () -> readIdentification(n)));
        }
        List<Finding> findings = new ArrayList<>();
        ArrayNode fNodes = array(root, "findings");
        for (int i = 0; i < fNodes.size(); i++) {
            JsonNode n = fNodes.get(i);
            findings.add(at("findings[" + i + "]", () -> readFinding(n)));
        }
        try {
            return new Batch(scan, seq, observations, last, ids, findings, revision);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("batch " + seq + ": " + e.getMessage(), e);
        }
    }

    /** An identification as the API shows it (and as a batch carries it). */
    public static ObjectNode identification(Identification i) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("address", i.address());
        i.mac().ifPresent(v -> n.put("mac", v));
        i.brand().ifPresent(v -> n.put("brand", v));
        i.platform().ifPresent(v -> n.put("platform", v));
        i.model().ifPresent(v -> n.put("model", v));
        i.firmware().ifPresent(v -> n.put("firmware", v));
        i.type().ifPresent(v -> n.put("type", v));
        n.put("confidence", i.confidence());
        n.put("oem_rebrand", i.oemRebrand());
        n.set("evidence", evidence(i.evidence()));
        ArrayNode c = n.putArray("conflicts");
        i.conflicts().forEach(c::add);
        return n;
    }

    public static ArrayNode evidence(List<Evidence> evidence) {
        ArrayNode a = MAPPER.createArrayNode();
        for (Evidence e : evidence) {
            ObjectNode n = a.addObject();
            n.put("rule", e.ruleId());
            n.put("field", e.field());
            n.put("excerpt", e.excerpt());
            n.put("said", e.said());
            n.put("confidence", e.confidence());
        }
        return a;
    }

    public static List<Evidence> readEvidence(JsonNode a) {
        List<Evidence> out = new ArrayList<>();
        if (a == null || a.isNull() || a.isMissingNode()) {
            return out;
        }
        if (!a.isArray()) {
            throw new IllegalArgumentException("\"evidence\" must be an array");
        }
        for (JsonNode n : a) {
            out.add(new Evidence(text(n, "rule"), text(n, "field"), optional(n, "excerpt").orElse(
                    ""), optional(n, "said").orElse(""), n.path("confidence").asDouble(0)));
        }
        return out;
    }

    /** A finding as the API shows it (and as a batch carries it). */
    public static ObjectNode finding(Finding f) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", f.id());
        n.put("kind", f.kind().label());
        n.put("severity", f.severity().label());
        n.put("device_key", f.deviceKey());
        n.put("address", f.address());
        n.put("title", f.title());
        ArrayNode ev = n.putArray("evidence");
        f.evidence().forEach(ev::add);
        f.citation().ifPresent(c -> n.put("citation", c));
        n.put("remediation", f.remediation().label());
        ObjectNode d = n.putObject("details");
        f.details().forEach(d::put);
        return n;
    }

    static Identification readIdentification(JsonNode n) {
        requireObject(n);
        List<String> conflicts = new ArrayList<>();
        n.path("conflicts").forEach(c -> conflicts.add(c.asText()));
        return new Identification(text(n, "address"), optional(n, "mac"), optional(n, "brand"),
                optional(n, "platform"), optional(n, "model"), optional(n, "firmware"), optional(n,
                        "type"),
                n.path("confidence").asDouble(0), n.path("oem_rebrand")
                        .asBoolean(false),
                readEvidence(n.get("evidence")), conflicts);
    }

    static Finding readFinding(JsonNode n) {
        requireObject(n);
        List<String> evidence = new ArrayList<>();
        n.path("evidence").forEach(e -> evidence.add(e.asText()));
        Map<String, String> details = new TreeMap<>();
        n.path("details").properties().forEach(e -> details.put(e.getKey(), e.getValue()
                .asText()));
        return new Finding(text(n, "id"), kind(text(n, "kind")), severity(text(n, "severity")),
                text(n, "device_key"), text(n, "address"), optional(n, "title").orElse(null),
                evidence, optional(n, "citation"), remediation(text(n, "remediation")), details);
    }

    public static Finding.Kind kind(String label) {
        for (Finding.Kind k : Finding.Kind.values()) {
            if (k.label().equals(label)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown finding kind \"" + label
                + "\" (policy, vulnerability, exposure or behaviour)");
    }

    public static Finding.Severity severity(String label) {
        for (Finding.Severity s : Finding.Severity.values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown severity \"" + label
                + "\" (critical, high, medium, low or info)");
    }

    public static Finding.Remediation remediation(String label) {
        for (Finding.Remediation r : Finding.Remediation.values()) {
            if (r.label().equals(label)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown remediation \"" + label + "\"");
    }

    private static ObjectNode scan(ScanHeader s) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", s.agentScan());
        n.put("kind", s.kind());
        n.put("authorized_by", s.authorizedBy());
        n.put("scope", s.scope());
        n.put("status", s.status());
        n.put("started", s.started().toString());
        s.finished().ifPresent(f -> n.put("finished", f.toString()));
        ObjectNode sum = n.putObject("summary");
        sum.put("addresses_probed", s.summary().addressesProbed());
        sum.put("hosts_up", s.summary().hostsUp());
        sum.put("open_ports", s.summary().openPorts());
        sum.put("observations", s.summary().observations());
        sum.put("millis", s.summary().millis());
        return n;
    }

    private static ScanHeader readScan(JsonNode n) {
        JsonNode sum = n.path("summary");
        ScanSummary summary = sum.isObject()
                ? new ScanSummary(number(sum, "addresses_probed", 0, Long.MAX_VALUE), number(sum,
                        "hosts_up", 0, Long.MAX_VALUE),
                        number(sum, "open_ports", 0,
                                Long.MAX_VALUE),
                        number(sum, "observations", 0, Long.MAX_VALUE),
                        number(sum, "millis", 0, Long.MAX_VALUE))
                : ScanSummary.EMPTY;
        return new ScanHeader(number(n, "id", 1, Long.MAX_VALUE), text(n, "kind"), optional(n,
                "authorized_by").orElse(""), optional(n, "scope").orElse(""), text(n, "status"),
                instant(text(n, "started"), "started"), optional(n, "finished").map(f -> instant(f,
                        "finished")),
                summary);
    }

    private static Instant instant(String text, String key) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("\"" + key + "\" is not an ISO-8601 instant: \""
                    + text + "\"");
        }
    }

    private static <T> T at(String where, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static void requireObject(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
    }

    private static JsonNode object(JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("missing object \"" + key + "\"");
        }
        return n;
    }

    private static ArrayNode array(JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return MAPPER.createArrayNode();
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException("\"" + key + "\" must be an array");
        }
        return (ArrayNode) n;
    }

    private static long number(JsonNode n, String key, long min, long max) {
        JsonNode v = n.get(key);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min
                || v.longValue() > max) {
            throw new IllegalArgumentException("\"" + key + "\" must be a whole number from "
                    + min + (max == Long.MAX_VALUE || max == Integer.MAX_VALUE
                            ? " up"
                            : " to "
                                    + max)
                    + ", got " + (v == null ? "nothing" : v.toString()));
        }
        return v.longValue();
    }

    private static String text(JsonNode n, String key) {
        return optional(n, key).filter(s -> !s.isBlank()).orElseThrow(
                () -> new IllegalArgumentException("missing \"" + key + "\""));
    }

    private static Optional<String> optional(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("\"" + key + "\" must be a string");
        }
        return Optional.of(v.textValue());
    }

}
