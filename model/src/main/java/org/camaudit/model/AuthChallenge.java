package org.camaudit.model;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading a {@code WWW-Authenticate} challenge (RFC 7235), shared by the active probes, the
 * passive decoders and the corpus scorer so that all give the same {@code http.realm}.
 */
public final class AuthChallenge {
    private static final Pattern REALM = Pattern.compile(
            "realm\\s*=\\s*(?:\"([^\"]*)\"|([^,\\s]+))",
            Pattern.CASE_INSENSITIVE);

    private AuthChallenge() {
    }

    /** The realm of the first challenge that names one: {@code Basic realm="X"} gives X. */
    public static Optional<String> realm(String wwwAuthenticate) {
        Matcher m = REALM.matcher(wwwAuthenticate);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(m.group(1) != null ? m.group(1) : m.group(2));
    }
}
