package org.camaudit.probes.discovery;

import org.camaudit.probes.DeviceXml;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Map;
import org.camaudit.model.Observation;

/** JSON bodies from devices, read with tight limits and flattened into prefixed fields. */
final class JsonReplies {
    /** Nested objects deeper than this are not flattened further. */
    static final int MAX_DEPTH = 6;
    /** The most fields one reply may add. */
    static final int MAX_FIELDS = 200;

    private static final ObjectMapper MAPPER = JsonMapper
            .builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(32)
                            .maxStringLength(64 * 1024)
                            .maxNumberLength(64)
                            .maxDocumentLength(64 * 1024)
                            .build())
                    .build())
            .build();

    private JsonReplies() {
    }

    /** Parses {@code length} bytes at {@code offset}, ignoring trailing NULs and whitespace. */
    static JsonNode read(byte[] data, int offset, int length, String protocol)
            throws MalformedReplyException {
        int end = offset + length;
        while (end > offset && (data[end - 1] == 0 || Character.isWhitespace(data[end - 1]))) {
            end--;
        }
        if (end == offset) {
            throw new MalformedReplyException(protocol + ": empty JSON body");
        }
        try {
            JsonNode node = MAPPER.readTree(data, offset, end - offset);
            if (node == null || !node.isObject()) {
                throw new MalformedReplyException(protocol + ": JSON body is not an object");
            }
            return node;
        } catch (IOException e) {
            throw new MalformedReplyException(protocol + ": bad JSON: "
                    + DeviceXml.oneLine(String.valueOf(originalMessage(e))));
        }
    }

    private static String originalMessage(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                ? j.getOriginalMessage()
                : e.getMessage();
    }

    /**
     * Adds every scalar under {@code node} as {@code prefix + path}, nested objects joined with dots
     * ({@code dhdiscover.IPv4Address.IPAddress}), array items by index.
     */
    static void flatten(JsonNode node, String prefix, Observation.Builder out) {
        flatten(node, prefix, out, 0, new int[]{MAX_FIELDS});
    }

    private static void flatten(JsonNode node, String path, Observation.Builder out, int depth,
            int[] budget) {
        if (budget[0] <= 0) {
            return;
        }
        if (node.isObject()) {
            if (depth >= MAX_DEPTH) {
                return;
            }
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                flatten(e.getValue(), path + cleanKey(e.getKey()) + ".", out, depth + 1, budget);
            }
        } else if (node.isArray()) {
            if (depth >= MAX_DEPTH) {
                return;
            }
            for (int i = 0; i < node.size(); i++) {
                flatten(node.get(i), path + i + ".", out, depth + 1, budget);
            }
        } else if (!node.isNull() && path.endsWith(".")) {
            out.field(path.substring(0, path.length() - 1), node.asText());
            budget[0]--;
        }
    }

    /** Keys keep the device's spelling; only characters that would break a field key go. */
    static String cleanKey(String key) {
        String clean = key.replaceAll("[^A-Za-z0-9_.\\-]", "_");
        return clean.isEmpty() ? "_" : clean;
    }

    /** A text member of an object, if present and not blank. */
    static String text(JsonNode object, String name) {
        JsonNode v = object == null ? null : object.get(name);
        return v != null && v.isValueNode() && !v.asText().isBlank() ? v.asText() : null;
    }
}
