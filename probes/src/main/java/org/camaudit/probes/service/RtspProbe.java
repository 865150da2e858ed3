package org.camaudit.probes.service;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.camaudit.model.Excerpt;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.camaudit.model.SafetyClass;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;
import org.camaudit.probes.ProbeContext;
import org.camaudit.probes.ServiceProbe;

/**
 * RTSP {@code OPTIONS} and then, when the port answered RTSP, {@code DESCRIBE} without credentials,
 * each on its own connection. A 401 with its challenge is the usual, recorded outcome; a 200
 * DESCRIBE yields the SDP.
 */
final class RtspProbe implements ServiceProbe {
    @Override
    public String name() {
        return "rtsp";
    }

    @Override
    public SafetyClass safetyClass() {
        return SafetyClass.SAFE_PROBE;
    }

    @Override
    public List<Observation> probe(InetAddress address, int port, ProbeContext context) {
        List<Observation> out = new ArrayList<>();
        WireReply options = ask(context, address, port, "OPTIONS", 1);
        out.add(observe(address, port, "OPTIONS", options));
        if (options.answered() && !options.error().map(e -> e.contains("timeout")).orElse(false)) {
            WireReply describe = ask(context, address, port, "DESCRIBE", 2);
            out.add(observe(address, port, "DESCRIBE", describe));
        }
        return out;
    }

    static String url(InetAddress address, int port) {
        String host = address instanceof Inet6Address
                ? "[" + address.getHostAddress() + "]"
                : address.getHostAddress();
        return "rtsp://" + host + ":" + port + "/";
    }

    private static WireReply ask(ProbeContext context, InetAddress address, int port, String method,
            int cseq) {
        StringBuilder request = new StringBuilder(160);
        request.append(method).append(' ').append(url(address, port)).append(" RTSP/1.0\r\n");
        request.append("CSeq: ").append(cseq).append("\r\n");
        request.append("User-Agent: ").append(HttpFetcher.USER_AGENT).append("\r\n");
        if (method.equals("DESCRIBE")) {
            request.append("Accept: application/sdp\r\n");
        }
        request.append("\r\n");
        try (Exchange exchange = Exchange.open(context, address, port)) {
            exchange.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            return new WireReader(exchange, "RTSP").read(true, false);
        } catch (IOException e) {
            return HttpFetcher.failed(Exchange.explain(e));
        }
    }

    private Observation observe(InetAddress address, int port, String method, WireReply reply) {
        Observation.Builder b = Observation.builder(Source.ACTIVE, address.getHostAddress())
                .port(port).transport(Transport.TCP).protocol(name())
                .field(Fields.RTSP_METHOD, method);
        if (reply.status() > 0) {
            b.field(Fields.RTSP_STATUS, Integer.toString(reply.status()));
        }
        reply.header("Server").ifPresent(v -> b.field(Fields.RTSP_SERVER, v));
        reply.joined("Public").ifPresent(v -> b.field(Fields.RTSP_PUBLIC, v));
        reply.joined("WWW-Authenticate").ifPresent(v -> b.field(Fields.RTSP_WWW_AUTHENTICATE, v));
        if (reply.status() == 200 && reply.body().length > 0) {
            String sdp = new String(reply.body(), StandardCharsets.UTF_8);
            b.field(Fields.RTSP_SDP, HtmlText.excerpt(sdp, Excerpt.MAX_FIELD_CHARS));
        }
        reply.error().ifPresent(b::error);
        return b.raw(reply.raw()).build();
    }
}
