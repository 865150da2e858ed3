package org.camaudit.probes.service;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camaudit.model.Observation;
import org.camaudit.model.SafetyClass;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;
import org.camaudit.probes.ProbeContext;

/**
 * AUTH-ATTEMPT (opt-in, {@code --auth-attempts --credentials FILE}): HTTP Basic or Digest login
 * attempts against a web UI that challenged with 401, with the operator's credentials only, at
 * most one attempt a second and {@link Credentials#maxPerDevice()} per device. Stops at the first
 * success. Observations carry {@code auth.result} and {@code auth.user}, never the password.
 */
final class AuthAttemptProbe {
    static final String PROTOCOL = "http-auth";
    private static final Pattern PARAM = Pattern.compile("(\\w+)=(\"([^\"]*)\"|[^,\\s]+)");

    private final HttpFetcher fetcher;
    private final Credentials credentials;

    AuthAttemptProbe(HttpFetcher fetcher, Credentials credentials) {
        this.fetcher = fetcher;
        this.credentials = credentials;
    }

    /**
     * @param challenge the WWW-Authenticate header of the 401 on {@code path}
     */
    List<Observation> attempt(InetAddress address, int port, String path, String challenge,
            ProbeContext context) {
        if (!context.allows(SafetyClass.AUTH_ATTEMPT)) {
            return List.of();
        }
        List<Observation> out = new ArrayList<>();
        int attempts = 0;
        for (Credentials.Pair pair : credentials.pairs()) {
            if (attempts == credentials.maxPerDevice()) {
                break;
            }
            if (attempts > 0) {
                try {
                    Thread.sleep(credentials.minIntervalMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            attempts++;
            Optional<String> authorization = authorization(challenge, pair, path);
            if (authorization.isEmpty()) {
                break;
            }
            HttpFetcher.Fetched reply = fetcher.exchange(context, address, port, false, "GET",
                    path, List.of(new WireReply.Header("Authorization", authorization.get())),
                    new byte[0]);
            int status = reply.reply().status();
            Observation.Builder b = Observation.builder(Source.ACTIVE, address.getHostAddress())
                    .port(port).transport(Transport.TCP).protocol(PROTOCOL).field("http.path",
                            path)
                    .field("auth.user", pair.user()).field("auth.scheme", challenge.split(" ")[0])
                    .field("http.status", status > 0 ? Integer.toString(status) : null);
            reply.reply().error().ifPresent(b::error);
            boolean success = status >= 200 && status < 300;
            b.field("auth.result", success ? "success" : "failure");
            out.add(b.build());
            if (success || reply.reply().error().isPresent()) {
                break;
            }
        }
        return out;
    }

    static Optional<String> authorization(String challenge, Credentials.Pair pair, String path) {
        String scheme = challenge.strip().split("\\s+")[0].toLowerCase(Locale.ROOT);
        if (scheme.equals("basic")) {
            return Optional.of("Basic " + Base64.getEncoder().encodeToString((pair.user() + ":"
                    + pair.password()).getBytes(StandardCharsets.UTF_8)));
        }
        if (!scheme.equals("digest")) {
            return Optional.empty();
        }
        Map<String, String> p = new TreeMap<>();
        Matcher m = PARAM.matcher(challenge.substring(challenge.indexOf(' ') + 1));
        while (m.find()) {
            p.put(m.group(1).toLowerCase(Locale.ROOT), m.group(3) != null
                    ? m.group(3)
                    : m.group(
                            2));
        }
        String realm = p.getOrDefault("realm", "");
        String nonce = p.getOrDefault("nonce", "");
        String ha1 = md5(pair.user() + ":" + realm + ":" + pair.password());
        String ha2 = md5("GET:" + path);
        boolean qop = p.getOrDefault("qop", "").contains("auth");
        String cnonce = "0a4f113b";
        String nc = "00000001";
        String response = qop
                ? md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2)
                : md5(ha1 + ":" + nonce + ":" + ha2);
        StringBuilder h = new StringBuilder("Digest username=\"").append(pair.user()).append(
                "\", realm=\"").append(realm).append("\", nonce=\"").append(nonce).append(
                        "\", uri=\"")
                .append(path).append("\", response=\"").append(response)
                .append('"');
        if (qop) {
            h.append(", qop=auth, nc=").append(nc).append(", cnonce=\"").append(cnonce).append('"');
        }
        if (p.containsKey("opaque")) {
            h.append(", opaque=\"").append(p.get("opaque")).append('"');
        }
        return Optional.of(h.toString());
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(
                    StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
