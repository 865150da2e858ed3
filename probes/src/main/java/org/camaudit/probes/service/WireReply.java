package org.camaudit.probes.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An HTTP or RTSP reply as far as it was read: status (0 when no status line was read), headers in
 * order, the body (de-chunked), an excerpt of the bytes on the wire, and the failure if any.
 */
record WireReply(String statusLine, int status, List<Header> headers, byte[] body, String raw,
        Optional<String> error) {

    record Header(String name, String value) {
    }

    WireReply {
        headers = List.copyOf(headers);
    }

    /** True when a well-formed status line arrived, whatever came after it. */
    boolean answered() {
        return status > 0;
    }

    /** The first header of that name, compared case-insensitively. */
    Optional<String> header(String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return Optional.of(h.value());
            }
        }
        return Optional.empty();
    }

    /** All headers of that name, joined with ", " (as a repeated header means). */
    Optional<String> joined(String name) {
        List<String> values = new ArrayList<>();
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                values.add(h.value());
            }
        }
        return values.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", values));
    }

    boolean isChunked() {
        return joined("Transfer-Encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))
                .orElse(false);
    }
}
