package org.camaudit.server.alerts;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where alerts go: a webhook (an http(s) URL; each body signed with the channel's secret) or a
 * syslog receiver ({@code udp://host:port} or {@code tcp://host:port}; CEF in RFC 5424).
 */
public record AlertChannel(long id, Kind kind, URI target, Optional<String> secret) {
    /** The channel kinds. */
    public enum Kind {
        WEBHOOK, SYSLOG;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind of(String text) {
            for (Kind k : values()) {
                if (k.label().equalsIgnoreCase(text == null ? "" : text.strip())) {
                    return k;
                }
            }
            throw new IllegalArgumentException("a channel is webhook or syslog, got " + text);
        }
    }

    public AlertChannel {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(secret, "secret");
        String scheme = target.getScheme() == null
                ? ""
                : target.getScheme().toLowerCase(
                        Locale.ROOT);
        if (target.getHost() == null) {
            throw new IllegalArgumentException("the channel's target names a host: " + target);
        }
        if (kind == Kind.WEBHOOK) {
            if (!scheme.equals("https") && !scheme.equals("http")) {
                throw new IllegalArgumentException("a webhook is an http:// or https:// URL, got "
                        + target);
            }
            if (secret.isEmpty() || secret.get().length() < 16) {
                throw new IllegalArgumentException("a webhook needs a secret of at least 16"
                        + " characters to sign its bodies");
            }
        } else {
            if (!scheme.equals("udp") && !scheme.equals("tcp") || target.getPort() < 1) {
                throw new IllegalArgumentException("a syslog receiver is udp://HOST:PORT or"
                        + " tcp://HOST:PORT, got " + target);
            }
        }
    }

    /** The target parsed from text, refusing what is not a URI. */
    public static URI target(String text) {
        try {
            return new URI(text == null ? "" : text.strip());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + text, e);
        }
    }
}
