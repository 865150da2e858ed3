package org.camaudit.probes.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import org.camaudit.probes.ProbeContext;

/**
 * One HTTP/1.1 request on its own connection ({@code Connection: close}), over plain TCP or TLS,
 * written on the guarded socket so every byte read is counted against the limits.
 */
final class HttpFetcher {
    static final String USER_AGENT = "camaudit/0.1";

    private final TlsClient tls;

    HttpFetcher(TlsClient tls) {
        this.tls = tls;
    }

    /** The reply (possibly partial, possibly only an error) and, over TLS, the certificate facts. */
    record Fetched(WireReply reply, Optional<TlsClient.Facts> tls) {
    }

    Fetched get(ProbeContext context, InetAddress address, int port, boolean https, String path) {
        return exchange(context, address, port, https, "GET", path, List.of(), new byte[0]);
    }

    Fetched exchange(ProbeContext context, InetAddress address, int port, boolean https,
            String method, String path, List<WireReply.Header> headers, byte[] body) {
        Optional<TlsClient.Facts> facts = Optional.empty();
        try (Exchange exchange = Exchange.open(context, address, port)) {
            if (https) {
                SSLSocket ssl = exchange.startTls(tls, address.getHostAddress(), port);
                facts = Optional.of(TlsClient.facts(ssl));
            }
            exchange.write(request(address, port, https, method, path, headers, body));
            WireReply reply = new WireReader(exchange, "HTTP").read(!method.equals("HEAD"), true);
            return new Fetched(reply, facts);
        } catch (IOException e) {
            return new Fetched(failed(Exchange.explain(e)), facts);
        }
    }

    static WireReply failed(String error) {
        return new WireReply("", 0, List.of(), new byte[0], "", Optional.of(error));
    }

    static String hostHeader(InetAddress address, int port, boolean https) {
        String host = address instanceof Inet6Address
                ? "[" + address.getHostAddress() + "]"
                : address.getHostAddress();
        int defaultPort = https ? 443 : 80;
        return port == defaultPort ? host : host + ":" + port;
    }

    static byte[] request(InetAddress address, int port, boolean https, String method, String path,
            List<WireReply.Header> headers, byte[] body) {
        StringBuilder head = new StringBuilder(256);
        head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(hostHeader(address, port, https)).append("\r\n");
        head.append("User-Agent: ").append(USER_AGENT).append("\r\n");
        head.append("Accept: */*\r\n");
        for (WireReply.Header h : headers) {
            head.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        if (body.length > 0 || method.equals("POST")) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + body.length);
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return out.toByteArray();
    }
}
