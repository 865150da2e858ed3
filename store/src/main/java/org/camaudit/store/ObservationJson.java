package org.camaudit.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.camaudit.model.Observation;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;

/**
 * The JSONL form of an observation: one JSON object per line, UTF-8. It is what {@code camaudit}
 * exports and what {@code camaudit identify --input} reads, so other tools can feed the engine.
 *
 * <pre>{@code
 * {"time":"2026-11-22T12:00:00Z","source":"active","address":"127.0.0.5","mac":"aa:bb:cc:dd:ee:ff",
 *  "port":80,"transport":"tcp","protocol":"http","fields":{"http.server":"App-webs/"},"raw":"..."}
 * }</pre>
 *
 * (shown on two lines here; in a file it is one line.)
 *
 * <table>
 * <caption>Keys</caption>
 * <tr><th>key</th><th>on input</th><th>meaning</th></tr>
 * <tr><td>address</td><td>required</td><td>IP address (or host name) the evidence is about</td></tr>
 * <tr><td>protocol</td><td>required</td><td>{@code http}, {@code rtsp}, {@code nmap-host}, ...</td></tr>
 * <tr><td>time</td><td>optional, default: when the line is read</td><td>ISO-8601 instant or
 * offset date-time</td></tr>
 * <tr><td>source</td><td>optional, default {@code import}</td><td>{@code active}, {@code passive} or
 * {@code import}</td></tr>
 * <tr><td>mac</td><td>optional</td><td>MAC address; any common separator; written lower-case with
 * colons</td></tr>
 * <tr><td>port</td><td>optional, default 0</td><td>0 to 65535; 0 means no port</td></tr>
 * <tr><td>transport</td><td>optional, default {@code tcp} if port &gt; 0 else {@code none}</td>
 * <td>{@code tcp}, {@code udp} or {@code none}</td></tr>
 * <tr><td>fields</td><td>optional</td><td>object of canonical field keys to string values (numbers
 * and booleans are taken as their text)</td></tr>
 * <tr><td>raw</td><td>optional</td><td>bounded excerpt of the reply, non-printable bytes as
 * {@code \xNN}</td></tr>
 * </table>
 *
 * Unknown keys are ignored, so newer writers stay readable. On output {@code mac} is omitted when
 * unknown; every other key is always written.
 */
public final class ObservationJson {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private ObservationJson() {
    }

    /** One line of JSON, without the line terminator. */
    public static String toLine(Observation o) {
        StringWriter out = new StringWriter(256 + o.raw().length());
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, o);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write an observation as JSON", e);
        }
        return out.toString();
    }

    /**
     * Writes the object of {@link #toLine} to a generator that is writing something larger (a
     * batch of observations), without a detour through a string or a tree.
     */
    public static void write(JsonGenerator g, Observation o) throws IOException {
        g.writeStartObject();
        g.writeStringField("time", o.time().toString());
        g.writeStringField("source", o.source().label());
        g.writeStringField("address", o.address());
        if (o.mac().isPresent()) {
            g.writeStringField("mac", o.mac().get());
        }
        g.writeNumberField("port", o.port());
        g.writeStringField("transport", o.transport().label());
        g.writeStringField("protocol", o.protocol());
        g.writeObjectFieldStart("fields");
        for (Map.Entry<String, String> e : o.fields().entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeStringField("raw", o.raw());
        g.writeEndObject();
    }

    /**
     * Reads one line; throws {@link IllegalArgumentException} saying what is wrong (bad JSON, a
     * missing or mistyped key) so the caller can prefix the line number.
     */
    public static Observation fromLine(String line) {
        if (line == null || line.isBlank()) {
            throw new IllegalArgumentException("empty line: expected a JSON object");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " at column " + e.getLocation().getColumnNr();
            throw new IllegalArgumentException(
                    "invalid JSON" + where + ": " + e.getOriginalMessage(), e);
        }
        return fromNode(node);
    }

    /**
     * Reads the object of one line that was parsed already (an element of a larger document);
     * throws {@link IllegalArgumentException} as {@link #fromLine} does.
     */
    public static Observation fromNode(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object, got " + describe(node));
        }
        String address = requiredText(node, "address");
        String protocol = requiredText(node, "protocol");
        Instant time = optionalText(node, "time").map(ObservationJson::parseTime)
                .orElseGet(Instant::now);
        Source source = optionalText(node, "source").map(ObservationJson::parseSource)
                .orElse(Source.IMPORT);
        Optional<String> mac = optionalText(node, "mac").map(ObservationJson::parseMac);
        int port = parsePort(node.get("port"));
        Transport transport = optionalText(node, "transport").map(ObservationJson::parseTransport)
                .orElse(port > 0 ? Transport.TCP : Transport.NONE);
        Map<String, String> fields = parseFields(node.get("fields"));
        String raw = optionalText(node, "raw").orElse("");
        return new Observation(time, source, address, mac, port, transport, protocol, fields, raw);
    }

    /** The fields of an observation as a JSON object, as stored in the database. */
    static String fieldsToJson(Map<String, String> fields) {
        try {
            return MAPPER.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write fields as JSON", e);
        }
    }

    static Map<String, String> fieldsFromJson(String json) {
        try {
            return parseFields(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "stored fields are not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String requiredText(JsonNode node, String key) {
        return optionalText(node, key)
                .filter(s -> !s.isBlank())
                .orElseThrow(() -> new IllegalArgumentException("missing \"" + key + "\""));
    }

    private static Optional<String> optionalText(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(
                    "\"" + key + "\" must be a string, got " + describe(value));
        }
        return Optional.of(value.textValue());
    }

    private static Instant parseTime(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notInstant) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "\"time\" is not an ISO-8601 instant: \"" + text + "\"");
            }
        }
    }

    private static Source parseSource(String text) {
        for (Source s : Source.values()) {
            if (s.label().equals(text.strip())) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "\"source\" must be active, passive or import, got \"" + text + "\"");
    }

    private static Transport parseTransport(String text) {
        for (Transport t : Transport.values()) {
            if (t.label().equals(text.strip())) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                "\"transport\" must be tcp, udp or none, got \"" + text + "\"");
    }

    private static String parseMac(String text) {
        String mac = Observation.normaliseMac(text);
        if (mac.isEmpty()) {
            throw new IllegalArgumentException("\"mac\" is not a MAC address: \"" + text + "\"");
        }
        return mac;
    }

    private static int parsePort(JsonNode value) {
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0
                || value.intValue() > 65535) {
            throw new IllegalArgumentException(
                    "\"port\" must be a whole number from 0 to 65535, got " + value);
        }
        return value.intValue();
    }

    private static Map<String, String> parseFields(JsonNode value) {
        Map<String, String> fields = new TreeMap<>();
        if (value == null || value.isNull()) {
            return fields;
        }
        if (!value.isObject()) {
            throw new IllegalArgumentException(
                    "\"fields\" must be an object, got " + describe(value));
        }
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            JsonNode v = e.getValue();
            if (v.isNull()) {
                continue;
            }
            if (!v.isValueNode()) {
                throw new IllegalArgumentException(
                        "field \"" + e.getKey() + "\" must be a string, got "
                                + describe(v));
            }
            fields.put(e.getKey(), v.asText());
        }
        return fields;
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
