package org.camaudit.traffic;

import java.util.Arrays;
import java.util.Optional;
import org.camaudit.model.AuthChallenge;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.camaudit.probes.service.HtmlText;

/**
 * HTTP and RTSP heads that fit in one TCP segment. A response ({@code HTTP/1.x}, {@code RTSP/1.0})
 * is evidence about its sender, the server: status, Server, WWW-Authenticate and friends, and the
 * page title when the body begins in the same segment. A request
 * is evidence about its sender, the client: method, path or URL, Host, User-Agent. Only the first
 * {@value #MAX_HEAD} bytes are read.
 */
final class TextHeadDecoder {
    static final int MAX_HEAD = 8192;
    private static final String[] METHODS = {"GET ", "POST ", "HEAD ", "PUT ", "DELETE ",
            "OPTIONS ", "PATCH ", "CONNECT ", "DESCRIBE ", "SETUP ", "PLAY ", "TEARDOWN ",
            "ANNOUNCE ", "GET_PARAMETER ", "SET_PARAMETER ", "PAUSE ", "RECORD "};
    private final Emitter out;

    TextHeadDecoder(Emitter out) {
        this.out = out;
    }

    /** Returns the decoder name that took the segment, or "" when it is not a head. */
    String decode(Packet p) {
        byte[] d = p.data;
        int start = p.payload;
        int end = start + Math.min(p.payloadLength, MAX_HEAD);
        boolean http = startsWith(d, start, end, "HTTP/1.");
        boolean rtsp = !http && startsWith(d, start, end, "RTSP/1.");
        if (http || rtsp) {
            response(p, start, end, http);
            return http ? "http" : "rtsp";
        }
        if (out.storing()) {
            for (String m : METHODS) {
                if (startsWith(d, start, end, m)) {
                    return request(p, start, end, m.length());
                }
            }
        }
        return "";
    }

    private void response(Packet p, int start, int end, boolean http) {
        byte[] d = p.data;
        int lineEnd = lineEnd(d, start, end);
        int space = indexOf(d, start, lineEnd, (byte) ' ');
        if (space < 0) {
            throw new Malformed((http ? "http" : "rtsp") + ": status line without a code");
        }
        String status = ascii(d, space + 1, Math.min(lineEnd, space + 4));
        String server = null;
        Observation.Builder b = out.storing()
                ? out.about(p, true, http ? "http" : "rtsp", p.srcPort)
                : null;
        int at = next(d, lineEnd, end);
        int bodyAt = -1;
        String contentType = null;
        while (at < end) {
            int eol = lineEnd(d, at, end);
            if (eol == at) {
                bodyAt = next(d, eol, end);
                break;
            }
            int colon = indexOf(d, at, eol, (byte) ':');
            if (colon > at) {
                if (header(d, at, colon, "server")) {
                    server = value(d, colon, eol);
                    if (b == null) {
                        break;
                    }
                } else if (b != null) {
                    String key = http ? httpKey(d, at, colon) : rtspKey(d, at, colon);
                    if (key != null && !b.hasField(key)) {
                        String v = value(d, colon, eol);
                        b.field(key, v);
                        if (key.equals(Fields.HTTP_CONTENT_TYPE)) {
                            contentType = v;
                        }
                        if (key.equals(Fields.HTTP_WWW_AUTHENTICATE)) {
                            // the realm as the active HTTP probe reads it, so the same rules fire
                            AuthChallenge.realm(v).ifPresent(r -> b.field(Fields.HTTP_REALM, r));
                        }
                    }
                }
            }
            at = next(d, eol, end);
        }
        if (http && server != null) {
            out.tally.httpServers++;
        }
        if (b == null) {
            return;
        }
        b.field(http ? Fields.HTTP_STATUS : Fields.RTSP_STATUS, status);
        b.field(http ? Fields.HTTP_SERVER : Fields.RTSP_SERVER, server);
        if (http && bodyAt >= 0 && bodyAt < end) {
            title(d, bodyAt, end, contentType).ifPresent(t -> b.field(Fields.HTTP_TITLE, t));
        }
        out.emit(http ? "http" : "rtsp", b);
    }

    /**
     * The page title when the body's start is in the same segment as the head (a small page, or
     * the first segment of a large one), read as the active HTTP probe reads it: a title cut off
     * by the segment's end is no title.
     */
    private static Optional<String> title(byte[] d, int from, int to, String contentType) {
        byte[] body = Arrays.copyOfRange(d, from, to);
        Optional<String> type = Optional.ofNullable(contentType);
        if (!HtmlText.isTextual(type, body)) {
            return Optional.empty();
        }
        return HtmlText.title(HtmlText.decode(body, type));
    }

    private String request(Packet p, int start, int end, int methodLength) {
        byte[] d = p.data;
        int lineEnd = lineEnd(d, start, end);
        int target = start + methodLength;
        int space = indexOf(d, target, lineEnd, (byte) ' ');
        if (space < 0) {
            return "";
        }
        boolean rtsp = startsWith(d, space + 1, lineEnd, "RTSP/1.");
        if (!rtsp && !startsWith(d, space + 1, lineEnd, "HTTP/1.")) {
            return "";
        }
        String name = rtsp ? "rtsp" : "http";
        Observation.Builder b = out.about(p, true, name, p.dstPort);
        String method = ascii(d, start, start + methodLength - 1);
        b.field(rtsp ? Fields.RTSP_METHOD : Fields.HTTP_METHOD, method);
        b.field(rtsp ? Fields.RTSP_URL : Fields.HTTP_PATH, ascii(d, target, space));
        int at = next(d, lineEnd, end);
        while (at < end) {
            int eol = lineEnd(d, at, end);
            if (eol == at) {
                break;
            }
            int colon = indexOf(d, at, eol, (byte) ':');
            if (colon > at) {
                if (header(d, at, colon, "user-agent")) {
                    b.field(rtsp ? Fields.RTSP_USER_AGENT : Fields.HTTP_USER_AGENT,
                            value(d, colon, eol));
                } else if (!rtsp && header(d, at, colon, "host")) {
                    b.field(Fields.HTTP_HOST, value(d, colon, eol));
                }
            }
            at = next(d, eol, end);
        }
        out.emit(name, b);
        return name;
    }

    private static String httpKey(byte[] d, int at, int colon) {
        if (header(d, at, colon, "www-authenticate")) {
            return Fields.HTTP_WWW_AUTHENTICATE;
        }
        if (header(d, at, colon, "content-type")) {
            return Fields.HTTP_CONTENT_TYPE;
        }
        if (header(d, at, colon, "location")) {
            return Fields.HTTP_LOCATION;
        }
        return null;
    }

    private static String rtspKey(byte[] d, int at, int colon) {
        if (header(d, at, colon, "www-authenticate")) {
            return Fields.RTSP_WWW_AUTHENTICATE;
        }
        if (header(d, at, colon, "public")) {
            return Fields.RTSP_PUBLIC;
        }
        return null;
    }

    static boolean startsWith(byte[] d, int at, int end, String prefix) {
        if (end - at < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (d[at + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Case-insensitive header-name match of {@code d[at..colon)} (trailing blanks allowed). */
    private static boolean header(byte[] d, int at, int colon, String name) {
        int end = colon;
        while (end > at && (d[end - 1] == ' ' || d[end - 1] == '\t')) {
            end--;
        }
        if (end - at != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            int c = d[at + i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String value(byte[] d, int colon, int eol) {
        return ascii(d, colon + 1, eol).strip();
    }

    /** index of the CR or LF that ends the line at {@code at}, or {@code end}. */
    private static int lineEnd(byte[] d, int at, int end) {
        for (int i = at; i < end; i++) {
            if (d[i] == '\r' || d[i] == '\n') {
                return i;
            }
        }
        return end;
    }

    private static int next(byte[] d, int eol, int end) {
        if (eol < end && d[eol] == '\r') {
            eol++;
        }
        if (eol < end && d[eol] == '\n') {
            eol++;
        }
        return eol;
    }

    private static int indexOf(byte[] d, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (d[i] == b) {
                return i;
            }
        }
        return -1;
    }

    static String ascii(byte[] d, int from, int to) {
        StringBuilder sb = new StringBuilder(Math.max(0, to - from));
        for (int i = from; i < to; i++) {
            int c = d[i] & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? (char) c : (c >= 0xa0 ? (char) c : '?'));
        }
        return sb.toString();
    }
}
