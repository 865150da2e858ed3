package org.camaudit.model;

import java.time.Instant;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One piece of evidence: when, from which source, about which address (and MAC, port, transport),
 * in which protocol, as canonical fields (see {@link Fields}) plus a bounded raw excerpt. A device
 * that misbehaves still yields an observation, with the failure in the {@code error} field.
 *
 * @param port 0 when the evidence has no port
 * @param raw an excerpt of the reply, printable text with other bytes as {@code \xNN}, at most
 *     {@link Excerpt#MAX_CHARS} characters
 */
public record Observation(Instant time, Source source, String address, Optional<String> mac,
        int port, Transport transport, String protocol, Map<String, String> fields, String raw) {

    public Observation {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("an observation needs an address");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (protocol == null || protocol.isBlank()) {
            throw new IllegalArgumentException("an observation needs a protocol");
        }
        mac = mac.map(Observation::normaliseMac).filter(m -> !m.isEmpty());
        TreeMap<String, String> copy = new TreeMap<>();
        fields.forEach((k, v) -> {
            if (k != null && v != null) {
                copy.put(k, Excerpt.bound(v, Excerpt.MAX_FIELD_CHARS));
            }
        });
        fields = Collections.unmodifiableMap(copy);
        raw = raw == null ? "" : Excerpt.bound(raw, Excerpt.MAX_CHARS);
    }

    public Optional<String> field(String key) {
        return Optional.ofNullable(fields.get(key));
    }

    /** True when the probe failed; {@code fields().get("error")} says how. */
    public boolean isError() {
        return fields.containsKey(Fields.ERROR);
    }

    /** Lower-case, colon-separated; accepts dashes, dots or no separators. Empty if not a MAC. */
    public static String normaliseMac(String mac) {
        String hex = mac.replaceAll("[^0-9A-Fa-f]", "").toLowerCase(Locale.ROOT);
        if (hex.length() != 12) {
            return "";
        }
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 12; i += 2) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(hex, i, i + 2);
        }
        return sb.toString();
    }

    public static Builder builder(Source source, String address) {
        return new Builder(source, address);
    }

    /** Collects one observation; the probe fills what it learnt, then {@link #build()}. */
    public static final class Builder {
        private final Source source;
        private final String address;
        private Instant time = Instant.now();
        private String mac;
        private int port;
        private Transport transport = Transport.NONE;
        private String protocol;
        private final TreeMap<String, String> fields = new TreeMap<>();
        private String raw = "";

        private Builder(Source source, String address) {
            this.source = source;
            this.address = address;
        }

        public Builder time(Instant value) {
            this.time = value;
            return this;
        }

        public Builder mac(String value) {
            this.mac = value;
            return this;
        }

        public Builder port(int value) {
            this.port = value;
            return this;
        }

        public Builder transport(Transport value) {
            this.transport = value;
            return this;
        }

        public Builder protocol(String value) {
            this.protocol = value;
            return this;
        }

        /** Adds a field; null or blank values are skipped so absent facts stay absent. */
        public Builder field(String key, String value) {
            if (value != null && !value.isBlank()) {
                fields.put(key, value.strip());
            }
            return this;
        }

        public Builder error(String message) {
            return field(Fields.ERROR, message);
        }

        public Builder raw(String value) {
            this.raw = value;
            return this;
        }

        public Builder raw(byte[] data, int length) {
            this.raw = Excerpt.of(data, 0, length);
            return this;
        }

        public boolean hasField(String key) {
            return fields.containsKey(key);
        }

        public Observation build() {
            return new Observation(time, source, address, Optional.ofNullable(mac), port, transport,
                    protocol, fields, raw);
        }
    }
}
