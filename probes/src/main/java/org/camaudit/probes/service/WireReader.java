package org.camaudit.probes.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camaudit.model.Excerpt;

/**
 * Reads one HTTP or RTSP reply from an {@link Exchange}: status line, headers (case-insensitive,
 * folded lines joined), and a body framed by chunked encoding, Content-Length, or (HTTP only) the
 * end of the stream. Whatever arrived before a failure is kept in the reply.
 */
final class WireReader {
    private static final Pattern STATUS = Pattern.compile(
            "(HTTP|RTSP)/\\d(?:\\.\\d)? +(\\d{3})(?: .*)?",
            Pattern.CASE_INSENSITIVE);

    private final Exchange exchange;
    private final String protocol;
    private byte[] data = new byte[8192];
    private int length;
    private int position;
    private boolean eof;

    private String statusLine = "";
    private int status;
    private final List<WireReply.Header> headers = new ArrayList<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private int replyStart;

    /** @param protocol "HTTP" or "RTSP": the status line must start with it */
    WireReader(Exchange exchange, String protocol) {
        this.exchange = exchange;
        this.protocol = protocol.toUpperCase(Locale.ROOT);
    }

    /**
     * Reads the next reply. {@code untilClose} lets a body without framing run to the end of the
     * stream (HTTP); without it such a reply has no body (RTSP).
     */
    WireReply read(boolean expectBody, boolean untilClose) {
        statusLine = "";
        status = 0;
        headers.clear();
        body.reset();
        replyStart = position;
        try {
            readHead();
            while (status >= 100 && status < 200 && status != 101) {
                headers.clear();
                readHead();
            }
            if (expectBody && status != 204 && status != 304) {
                readBody(untilClose);
            }
            return reply(Optional.empty());
        } catch (IOException e) {
            return reply(Optional.of(e.getMessage()));
        }
    }

    private WireReply reply(Optional<String> error) {
        int shown = Math.min(length - replyStart, Excerpt.MAX_CHARS);
        String raw = Excerpt.of(data, replyStart, shown);
        return new WireReply(statusLine, status, headers, body.toByteArray(), raw, error);
    }

    private void readHead() throws IOException {
        String prefix = protocol + "/";
        while (true) {
            int have = Math.min(available(), prefix.length());
            String start = new String(data, position, have, StandardCharsets.ISO_8859_1);
            if (!prefix.startsWith(start.toUpperCase(Locale.ROOT))) {
                throw new ProbeFailure("malformed status line");
            }
            if (have == prefix.length()) {
                break;
            }
            if (eof) {
                throw new ProbeFailure(have == 0 ? "closed before reply" : "malformed status line");
            }
            more();
        }
        String line = line();
        Matcher m = STATUS.matcher(line);
        if (!m.matches() || !m.group(1).equalsIgnoreCase(protocol)) {
            statusLine = Excerpt.bound(line, 200);
            throw new ProbeFailure("malformed status line");
        }
        statusLine = line;
        status = Integer.parseInt(m.group(2));
        while (true) {
            String h = line();
            if (h.isEmpty()) {
                return;
            }
            if ((h.charAt(0) == ' ' || h.charAt(0) == '\t') && !headers.isEmpty()) {
                WireReply.Header last = headers.remove(headers.size() - 1);
                headers.add(new WireReply.Header(last.name(), last.value() + " " + h.strip()));
                continue;
            }
            int colon = h.indexOf(':');
            if (colon > 0) {
                headers.add(new WireReply.Header(h.substring(0, colon).strip(),
                        h.substring(colon + 1).strip()));
            }
        }
    }

    private void readBody(boolean untilClose) throws IOException {
        WireReply probe = new WireReply(statusLine, status, headers, new byte[0], "",
                Optional.empty());
        if (probe.isChunked()) {
            readChunks();
            return;
        }
        Optional<String> declared = probe.header("Content-Length");
        if (declared.isPresent()) {
            long n;
            try {
                n = Long.parseLong(declared.get().strip());
            } catch (NumberFormatException e) {
                throw new ProbeFailure("malformed Content-Length");
            }
            if (n < 0) {
                throw new ProbeFailure("malformed Content-Length");
            }
            long copied = copy(n);
            if (copied < n) {
                throw new ProbeFailure("truncated body (" + copied + " of " + n + " bytes)");
            }
            return;
        }
        if (untilClose) {
            copy(Long.MAX_VALUE);
        }
    }

    private void readChunks() throws IOException {
        while (true) {
            String sizeLine = line();
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).strip();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new ProbeFailure("malformed chunk size");
            }
            if (size < 0) {
                throw new ProbeFailure("malformed chunk size");
            }
            if (size == 0) {
                while (!eofAhead() && !line().isEmpty()) {
                    // trailers are read and dropped
                }
                return;
            }
            if (copy(size) < size) {
                throw new ProbeFailure("truncated chunk");
            }
            line();
        }
    }

    private boolean eofAhead() throws IOException {
        fill(1);
        return available() == 0;
    }

    /** Copies up to {@code n} body bytes; fewer only at the end of the stream. */
    private long copy(long n) throws IOException {
        long copied = 0;
        while (copied < n) {
            if (available() == 0) {
                fill(1);
                if (available() == 0) {
                    return copied;
                }
            }
            int take = (int) Math.min(available(), n - copied);
            body.write(data, position, take);
            position += take;
            copied += take;
        }
        return copied;
    }

    /** A line without its CR LF; at the end of the stream, what is left (or a failure if none). */
    private String line() throws IOException {
        int scanned = 0;
        while (true) {
            for (int i = position + scanned; i < length; i++) {
                if (data[i] == '\n') {
                    int end = i > position && data[i - 1] == '\r' ? i - 1 : i;
                    String s = new String(data, position, end - position,
                            StandardCharsets.ISO_8859_1);
                    position = i + 1;
                    return s;
                }
            }
            scanned = length - position;
            if (eof) {
                if (position == length) {
                    throw new ProbeFailure("closed mid-reply");
                }
                String s = new String(data, position, length - position,
                        StandardCharsets.ISO_8859_1);
                position = length;
                return s;
            }
            more();
        }
    }

    private int available() {
        return length - position;
    }

    private void fill(int n) throws IOException {
        while (available() < n && !eof) {
            more();
        }
    }

    private void more() throws IOException {
        if (length == data.length) {
            if (position == length && length - replyStart > Excerpt.MAX_CHARS) {
                // nothing unread: restart the buffer but keep the excerpt of this reply
                int keep = Math.min(length - replyStart, Excerpt.MAX_CHARS);
                System.arraycopy(data, replyStart, data, 0, keep);
                length = keep;
                position = keep;
                replyStart = 0;
            } else {
                data = Arrays.copyOf(data, data.length * 2);
            }
        }
        int got = exchange.read(data, length, data.length - length);
        if (got < 0) {
            eof = true;
        } else {
            length += got;
        }
    }
}
