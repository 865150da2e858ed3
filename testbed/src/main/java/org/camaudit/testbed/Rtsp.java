package org.camaudit.testbed;

import java.io.IOException;
import java.util.Optional;

/**
 * RTSP as camera firmware answers it: OPTIONS always, DESCRIBE with an SDP when the stream is
 * open to anyone, else 401 with the vendor's realm; SETUP of an open stream gets 461 (no media is
 * ever sent). A request without CSeq gets a reply without one, as firmware does (nmap's
 * {@code OPTIONS / RTSP/1.0} probe has none). A request in another protocol (an HTTP GET on the
 * RTSP port) gets the personality's own answer, if it has one, and the connection closes.
 */
public final class Rtsp {
    private Rtsp() {
    }

    /**
     * How one firmware family speaks RTSP.
     *
     * @param server the Server header, or "" for none
     * @param publicMethods the Public header of the OPTIONS reply
     * @param authenticate WWW-Authenticate header values sent with 401 on DESCRIBE; none means the
     *     stream is open
     */
    public record Style(String server, String publicMethods, String... authenticate) {
    }

    /** A minimal H.264 session description, the shape cameras send. */
    public static String sdp(DeviceSpec d, String url) {
        return "v=0\r\no=- 1109162014219182 1109162014219192 IN IP4 " + d.address() + "\r\n"
                + "s=Media Presentation\r\ne=NONE\r\nb=AS:5050\r\nt=0 0\r\n"
                + "a=control:" + url
                + "\r\nm=video 0 RTP/AVP 96\r\nc=IN IP4 0.0.0.0\r\nb=AS:5000\r\n"
                + "a=recvonly\r\na=x-dimensions:1920,1080\r\na=control:" + url + "/trackID=1\r\n"
                + "a=rtpmap:96 H264/90000\r\n"
                + "a=fmtp:96 profile-level-id=420029; packetization-mode=1;"
                + " sprop-parameter-sets=Z01AKI2NQDwBE/LCAAAOEAACvyAI,aO44gA==\r\n";
    }

    /** Serves RTSP requests on one connection until the client hangs up. */
    public static void converse(DeviceSpec d, Connection c, Style style) throws IOException {
        converse(d, c, style, r -> Optional.empty());
    }

    /**
     * Serves RTSP requests; a request whose protocol is not RTSP is answered by {@code other}
     * (nothing when it is empty), then the connection closes.
     */
    public static void converse(DeviceSpec d, Connection c, Style style,
            java.util.function.Function<Request, Optional<String>> other) throws IOException {
        Optional<Request> next;
        while ((next = c.readRequest()).isPresent()) {
            Request r = next.get();
            if (!r.protocol().startsWith("RTSP/")) {
                Optional<String> answer = other.apply(r);
                if (answer.isPresent()) {
                    c.write(answer.get());
                }
                return;
            }
            String cseq = r.header("cseq").map(v -> "CSeq: " + v + "\r\n").orElse("");
            StringBuilder reply = new StringBuilder();
            if (r.method().equals("OPTIONS")) {
                reply.append("RTSP/1.0 200 OK\r\n").append(cseq);
                appendServer(reply, style);
                reply.append("Public: ").append(style.publicMethods()).append("\r\n\r\n");
            } else if ((r.method().equals("DESCRIBE") || r.method().equals("SETUP"))
                    && style.authenticate().length > 0) {
                reply.append("RTSP/1.0 401 Unauthorized\r\n").append(cseq);
                for (String a : style.authenticate()) {
                    reply.append("WWW-Authenticate: ").append(a).append("\r\n");
                }
                appendServer(reply, style);
                reply.append("Content-Length: 0\r\n\r\n");
            } else if (r.method().equals("DESCRIBE")) {
                String url = r.target();
                String sdp = sdp(d, url);
                reply.append("RTSP/1.0 200 OK\r\n").append(cseq);
                appendServer(reply, style);
                reply.append("Content-Base: ").append(url).append("/\r\n");
                reply.append("Content-Type: application/sdp\r\nContent-Length: ").append(sdp
                        .length()).append("\r\n\r\n").append(sdp);
            } else if (r.method().equals("SETUP")) {
                // the stream is described but never sent: refuse every transport
                reply.append("RTSP/1.0 461 Unsupported Transport\r\n").append(cseq);
                appendServer(reply, style);
                reply.append("Content-Length: 0\r\n\r\n");
            } else {
                reply.append("RTSP/1.0 405 Method Not Allowed\r\n").append(cseq);
                appendServer(reply, style);
                reply.append("Allow: ").append(style.publicMethods()).append("\r\n\r\n");
            }
            c.write(reply.toString());
        }
    }

    private static void appendServer(StringBuilder reply, Style style) {
        if (!style.server().isEmpty()) {
            reply.append("Server: ").append(style.server()).append("\r\n");
        }
    }

    /** A 32-hex-digit nonce derived from the device, stable across requests. */
    public static String nonce(DeviceSpec d) {
        return String.format("%032x", new java.math.BigInteger(1, d.serial().getBytes(
                java.nio.charset.StandardCharsets.UTF_8)).mod(java.math.BigInteger.TWO.pow(128)));
    }
}
