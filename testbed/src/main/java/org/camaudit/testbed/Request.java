package org.camaudit.testbed;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A request head (HTTP or RTSP): method, target, protocol, headers by lower-case name. */
public record Request(String method, String target, String protocol, Map<String, String> headers) {
    static Request parse(String head) {
        String[] lines = head.split("\r?\n");
        String[] first = lines[0].split(" ", 3);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i]
                        .substring(colon + 1).trim());
            }
        }
        return new Request(first[0], first.length > 1 ? first[1] : "", first.length > 2
                ? first[2]
                : "", headers);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    public int contentLength() {
        try {
            return Integer.parseInt(header("content-length").orElse("0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The path of the target without query, for routing; RTSP URLs are cut to their path. */
    public String path() {
        String t = target;
        int scheme = t.indexOf("://");
        if (scheme >= 0) {
            int slash = t.indexOf('/', scheme + 3);
            t = slash < 0 ? "/" : t.substring(slash);
        }
        int q = t.indexOf('?');
        return q < 0 ? t : t.substring(0, q);
    }
}
