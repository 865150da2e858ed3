package org.camaudit.server.alerts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * An alert as one syslog message (RFC 5424) whose text is an ArcSight CEF event: {@code
 * CEF:0|camaudit|camaudit|version|rule|name|severity|key=value ...}. Header fields escape
 * {@code \} and {@code |} (and carry no line breaks); extension values escape {@code \}, {@code =}
 * and line breaks ({@code \n}, {@code \r}).
 */
public final class Cef {
    /** RFC 5424 facility 13: log audit. */
    static final int FACILITY = 13;
    /** The longest message sent; a datagram of this size crosses any local path. */
    static final int MAX_BYTES = 8_192;

    private Cef() {
    }

    /** CEF severity 0..10 of a finding severity. */
    static int severity(String severity) {
        return switch (severity) {
            case "critical" -> 10;
            case "high" -> 8;
            case "medium" -> 5;
            case "low" -> 3;
            default -> 1;
        };
    }

    /** RFC 5424 severity of a finding severity. */
    static int syslogSeverity(String severity) {
        return switch (severity) {
            case "critical" -> 2;
            case "high" -> 3;
            case "medium" -> 4;
            case "low" -> 5;
            default -> 6;
        };
    }

    public static String header(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replace('\r', ' ').replace('\n',
                ' ');
    }

    public static String value(String text) {
        return text.replace("\\", "\\\\").replace("=", "\\=").replace("\r", "\\r").replace("\n",
                "\\n");
    }

    /** The CEF event text. */
    static String event(String version, String signature, String name, String severity,
            Map<String, String> extensions) {
        StringBuilder sb = new StringBuilder("CEF:0|camaudit|camaudit|").append(header(version))
                .append('|').append(header(signature)).append('|').append(header(name)).append('|')
                .append(severity(severity)).append('|');
        String sep = "";
        for (Map.Entry<String, String> e : extensions.entrySet()) {
            sb.append(sep).append(e.getKey()).append('=').append(value(e.getValue()));
            sep = " ";
        }
        return sb.toString();
    }

    /** The RFC 5424 message carrying the event, cut to {@link #MAX_BYTES}. */
    static byte[] syslog(Instant at, String hostName, String severity, String event) {
        String host = hostName.replaceAll("[^\\x21-\\x7e]", "");
        String line = "<" + (FACILITY * 8 + syslogSeverity(severity)) + ">1 "
                + DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.MILLIS)) + " "
                + (host.isEmpty() ? "-" : host.substring(0, Math.min(255, host.length())))
                + " camaudit - alert - " + event;
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_BYTES) {
            return bytes;
        }
        String cut = new String(bytes, 0, MAX_BYTES, StandardCharsets.UTF_8);
        return cut.substring(0, cut.length() - 1).getBytes(StandardCharsets.UTF_8);
    }
}
