package org.camaudit.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;

/**
 * Zeek logs, TSV (with its {@code #fields} header) or JSON lines: conn (into flows), dns, ssl,
 * http and dhcp (into observations). Which log a JSON line belongs to is told by its keys; a TSV
 * file says it in {@code #path}. Read line by line; a line longer than the buffer is an error.
 */
final class ZeekReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Emitter out;
    private final FlowBook book;

    ZeekReader(Emitter out, FlowBook book) {
        this.out = out;
        this.book = book;
    }

    void read(ByteSource in, boolean json) throws IOException, CaptureException {
        String[] names = new String[0];
        String path = "";
        String separator = "\t";
        while (true) {
            long lineOffset = in.offset();
            int length = lineLength(in, lineOffset);
            if (length < 0) {
                return;
            }
            String line = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
            in.skip(length + (in.remaining() > length ? 1 : 0));
            line = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            out.tally.frames++;
            out.tally.bytes += length + 1;
            if (line.isBlank()) {
                continue;
            }
            Map<String, String> row = new HashMap<>();
            try {
                if (json) {
                    JsonNode node = JSON.readTree(line);
                    if (!node.isObject()) {
                        throw new Malformed("zeek: line is not a JSON object");
                    }
                    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                        Map.Entry<String, JsonNode> e = it.next();
                        JsonNode v = e.getValue();
                        row.put(e.getKey(), v.isArray() ? join(v) : v.asText());
                    }
                    record(kind(row), row);
                    continue;
                }
                if (line.startsWith("#")) {
                    String[] parts = line.split(java.util.regex.Pattern.quote(separator), -1);
                    if (line.startsWith("#separator ")) {
                        separator = unescape(line.substring("#separator ".length()).strip());
                    } else if (parts[0].equals("#fields")) {
                        names = java.util.Arrays.copyOfRange(parts, 1, parts.length);
                    } else if (parts[0].equals("#path") && parts.length > 1) {
                        path = parts[1];
                    }
                    continue;
                }
                String[] values = line.split(java.util.regex.Pattern.quote(separator), -1);
                for (int i = 0; i < Math.min(names.length, values.length); i++) {
                    String v = values[i];
                    if (!v.equals("-") && !v.equals("(empty)")) {
                        row.put(names[i], v);
                    }
                }
                record(path.isEmpty() ? kind(row) : path, row);
            } catch (IOException | RuntimeException e) {
                out.tally.error("zeek", lineOffset, e instanceof Malformed
                        ? e.getMessage()
                        : "zeek: unreadable line (" + e.getClass().getSimpleName() + ")");
            }
        }
    }

    /** Length of the next line (without its newline), -1 at the end of the file. */
    private static int lineLength(ByteSource in, long offset) throws IOException, CaptureException {
        int scanned = 0;
        while (true) {
            byte[] a = in.array();
            int p = in.position();
            for (int i = scanned; i < in.remaining(); i++) {
                if (a[p + i] == '\n') {
                    return i;
                }
            }
            scanned = in.remaining();
            if (scanned == in.capacity()) {
                throw new CaptureException(offset, "zeek: line longer than " + in.capacity()
                        + " bytes");
            }
            if (!in.require(scanned + 1)) {
                return in.remaining() == 0 ? -1 : in.remaining();
            }
        }
    }

    private static String join(JsonNode array) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode v : array) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(v.asText());
        }
        return sb.toString();
    }

    private static String unescape(String s) {
        if (s.startsWith("\\x") && s.length() == 4) {
            return String.valueOf((char) Integer.parseInt(s.substring(2), 16));
        }
        return s;
    }

    private static String kind(Map<String, String> row) {
        if (row.containsKey("query")) {
            return "dns";
        }
        if (row.containsKey("server_name") || row.containsKey("cipher")) {
            return "ssl";
        }
        if (row.containsKey("method") || row.containsKey("user_agent")) {
            return "http";
        }
        if (row.containsKey("assigned_addr") || row.containsKey("client_software")
                || row.containsKey("host_name")) {
            return "dhcp";
        }
        if (row.containsKey("conn_state") || row.containsKey("orig_bytes")) {
            return "conn";
        }
        return "";
    }

    private void record(String kind, Map<String, String> row) {
        String orig = row.get("id.orig_h");
        String resp = row.get("id.resp_h");
        Instant time = time(row.get("ts"));
        switch (kind) {
            case "conn" -> {
                require(orig != null && resp != null, "conn: no id.orig_h/id.resp_h");
                long start = toNanos(time);
                double duration = number(row.get("duration"));
                book.add(orig, resp, (int) number(row.get("id.resp_p")),
                        protocol(row.get("proto")), "zeek",
                        Optional.ofNullable(row.get("orig_l2_addr")),
                        (long) (number(row.get("orig_ip_bytes"))
                                + number(row.get("resp_ip_bytes"))),
                        (long) (number(row.get("orig_pkts")) + number(row.get("resp_pkts"))), start,
                        start + (long) (duration * 1e9));
            }
            case "dns" -> {
                require(orig != null, "dns: no id.orig_h");
                Observation.Builder b = builder(orig, time, "dns", row, "id.resp_p")
                        .field(Fields.DNS_QUERY, row.get("query"))
                        .field(Fields.DNS_ANSWER, row.get("answers"));
                if (b.hasField(Fields.DNS_QUERY)) {
                    out.tally.dnsQueries++;
                }
                out.emit("dns", b);
            }
            case "ssl" -> {
                require(orig != null, "ssl: no id.orig_h");
                if (row.containsKey("server_name")) {
                    out.tally.tlsSni++;
                    out.emit("tls", builder(orig, time, "tls", row, "id.resp_p")
                            .field(Fields.TLS_SNI, row.get("server_name")));
                }
                if (resp != null && (row.containsKey("subject") || row.containsKey("issuer"))) {
                    out.emit("tls", builder(resp, time, "tls", row, "id.resp_p")
                            .field(Fields.TLS_SUBJECT, row.get("subject"))
                            .field(Fields.TLS_ISSUER, row.get("issuer")));
                }
            }
            case "http" -> {
                require(orig != null, "http: no id.orig_h");
                out.emit("http", builder(orig, time, "http", row, "id.resp_p")
                        .field(Fields.HTTP_METHOD, row.get("method"))
                        .field(Fields.HTTP_HOST, row.get("host"))
                        .field(Fields.HTTP_PATH, row.get("uri"))
                        .field(Fields.HTTP_USER_AGENT, row.get("user_agent")));
                if (resp != null && row.containsKey("server")) {
                    out.tally.httpServers++;
                    out.emit("http", builder(resp, time, "http", row, "id.resp_p")
                            .field(Fields.HTTP_SERVER, row.get("server")));
                }
            }
            case "dhcp" -> {
                String address = first(row, "assigned_addr", "requested_addr", "client_addr",
                        "id.orig_h");
                require(address != null, "dhcp: no client address");
                Observation.Builder b = Observation.builder(Source.PASSIVE, address).time(time)
                        .protocol("dhcp").transport(Transport.UDP).port(67)
                        .field(Fields.DHCP_HOSTNAME, row.get("host_name"))
                        .field(Fields.DHCP_VENDOR_CLASS, row.get("client_software"));
                if (row.containsKey("mac")) {
                    b.mac(row.get("mac"));
                }
                out.emit("dhcp", b);
            }
            default -> throw new Malformed("zeek: not a conn, dns, ssl, http or dhcp record");
        }
    }

    private Observation.Builder builder(String address, Instant time, String protocol,
            Map<String, String> row, String portKey) {
        String proto = row.getOrDefault("proto", protocol.equals("dns") ? "udp" : "tcp");
        return Observation.builder(Source.PASSIVE, address).time(time).protocol(protocol)
                .port((int) Math.max(0, Math.min(65535, number(row.get(portKey)))))
                .transport(proto.equalsIgnoreCase("udp") ? Transport.UDP : Transport.TCP);
    }

    private static String first(Map<String, String> row, String... keys) {
        for (String k : keys) {
            if (row.get(k) != null && !row.get(k).isBlank()) {
                return row.get(k);
            }
        }
        return null;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new Malformed("zeek " + message);
        }
    }

    private static int protocol(String name) {
        if (name == null) {
            return 0;
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "tcp" -> 6;
            case "udp" -> 17;
            case "icmp" -> 1;
            default -> 0;
        };
    }

    private static double number(String s) {
        if (s == null || s.isBlank()) {
            return 0;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new Malformed("zeek: not a number: " + s);
        }
    }

    private static Instant time(String ts) {
        if (ts == null) {
            return Instant.EPOCH;
        }
        try {
            if (ts.contains("T")) {
                return Instant.parse(ts);
            }
            java.math.BigDecimal seconds = new java.math.BigDecimal(ts);
            long whole = seconds.setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
            return Instant.ofEpochSecond(whole,
                    seconds.subtract(java.math.BigDecimal.valueOf(whole))
                            .movePointRight(9).longValue());
        } catch (RuntimeException e) {
            throw new Malformed("zeek: bad timestamp " + ts);
        }
    }

    private static long toNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
