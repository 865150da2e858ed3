package org.camaudit.probes.discovery;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Payload templates kept as resource files named {@code protocol_port} (zmap style) beside this
 * class. {@code ${NAME}} placeholders are filled per datagram; an unfilled one is a bug.
 */
final class Templates {
    private Templates() {
    }

    /** The template's text with surrounding whitespace removed. */
    static String load(String name) {
        try (InputStream in = Templates.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("payload template missing: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read payload template " + name, e);
        }
    }

    static String fill(String template, Map<String, String> values) {
        String out = template;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace("${" + e.getKey() + "}", e.getValue());
        }
        if (out.contains("${")) {
            throw new IllegalStateException("unfilled placeholder in payload: " + out);
        }
        return out;
    }
}
