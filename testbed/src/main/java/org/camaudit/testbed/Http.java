package org.camaudit.testbed;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** HTTP replies as simulated devices send them: exact header order, exact spelling. */
public final class Http {
    private Http() {
    }

    /** A reply: status line, headers in the order given, body. */
    public record Response(String statusLine, Map<String, String> headers, byte[] body) {
        public byte[] bytes() {
            StringBuilder head = new StringBuilder(statusLine).append("\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("\r\n");
            byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
            byte[] out = new byte[h.length + body.length];
            System.arraycopy(h, 0, out, 0, h.length);
            System.arraycopy(body, 0, out, h.length, body.length);
            return out;
        }
    }

    /**
     * Builds a reply. Content-Length is filled in where the pairs name it with an empty value (to
     * keep a vendor's header order), else added after the given headers; a pair
     * {@code "Content-Length", "-"} leaves it out.
     */
    public static Response reply(String statusLine, byte[] body, String... headerPairs) {
        Map<String, String> headers = new LinkedHashMap<>();
        boolean placed = false;
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            String value = headerPairs[i + 1];
            if (headerPairs[i].equalsIgnoreCase("Content-Length")) {
                placed = true;
                if (value.equals("-")) {
                    continue;
                }
                value = value.isEmpty() ? Integer.toString(body.length) : value;
            }
            headers.put(headerPairs[i], value);
        }
        if (!placed) {
            headers.put("Content-Length", Integer.toString(body.length));
        }
        return new Response(statusLine, headers, body);
    }

    public static Response reply(String statusLine, String body, String... headerPairs) {
        return reply(statusLine, body.getBytes(StandardCharsets.UTF_8), headerPairs);
    }

    /** An RFC 1123 date, as device web servers put it in {@code Date:}. */
    public static String date() {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
    }

    public static String html(String title, String body) {
        return "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>" + title
                + "</title>\n</head>\n<body>\n" + body + "\n</body>\n</html>\n";
    }
}
