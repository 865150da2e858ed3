package org.camaudit.probes.service;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.camaudit.model.AuthChallenge;
import org.camaudit.model.Excerpt;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.camaudit.model.SafetyClass;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;
import org.camaudit.probes.ProbeContext;
import org.camaudit.probes.ServiceProbe;

/**
 * GET {@code /} (following at most one redirect that stays on the same scheme, address and port);
 * when it answered HTTP, GET {@code /favicon.ico} (hashed as Shodan does) and each public vendor
 * page of {@code http_paths.tsv}. One observation per request; a request that fails records what
 * it read and why. After a timeout, a reset or a reply over the byte cap no further page is asked
 * for, so a hostile device costs one exchange, not eleven.
 */
final class HttpProbe implements ServiceProbe {
    static final String ROOT = "/";
    static final String FAVICON = "/favicon.ico";

    private final boolean https;
    private final HttpFetcher fetcher;
    private final List<VendorPaths.VendorPath> vendorPaths;

    HttpProbe(boolean https, HttpFetcher fetcher, List<VendorPaths.VendorPath> vendorPaths) {
        this.https = https;
        this.fetcher = fetcher;
        this.vendorPaths = List.copyOf(vendorPaths);
    }

    @Override
    public String name() {
        return https ? "https" : "http";
    }

    @Override
    public SafetyClass safetyClass() {
        return SafetyClass.SAFE_PROBE;
    }

    @Override
    public List<Observation> probe(InetAddress address, int port, ProbeContext context) {
        List<Observation> out = new ArrayList<>();
        HttpFetcher.Fetched root = fetcher.get(context, address, port, https, ROOT);
        out.add(observe(address, port, ROOT, root));
        if (!root.reply().answered() || isHostile(root)) {
            return out;
        }
        Optional<String> next = sameOriginRedirect(address, port, ROOT, root.reply());
        if (next.isPresent()) {
            HttpFetcher.Fetched followed = fetcher.get(context, address, port, https, next.get());
            out.add(observe(address, port, next.get(), followed));
            if (isHostile(followed)) {
                return out;
            }
        }
        HttpFetcher.Fetched icon = fetcher.get(context, address, port, https, FAVICON);
        out.add(observeFavicon(address, port, icon));
        if (isHostile(icon)) {
            return out;
        }
        for (VendorPaths.VendorPath vendorPath : vendorPaths) {
            HttpFetcher.Fetched page = fetcher.get(context, address, port, https,
                    vendorPath.path());
            out.add(observe(address, port, vendorPath.path(), page));
            if (isHostile(page)) {
                break;
            }
        }
        return out;
    }

    /** A device that stalls, resets or floods gets no further request on this port. */
    static boolean isHostile(HttpFetcher.Fetched fetched) {
        return fetched.reply().error()
                .map(e -> e.contains("timeout") || e.equals("reset")
                        || e.startsWith("reply exceeded"))
                .orElse(false);
    }

    /** The path of a redirect that stays on this scheme, address and port, if it leads elsewhere. */
    Optional<String> sameOriginRedirect(InetAddress address, int port, String from,
            WireReply reply) {
        if (reply.status() < 300 || reply.status() > 399) {
            return Optional.empty();
        }
        Optional<String> location = reply.header("Location");
        if (location.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI base = new URI(name(), null, address.getHostAddress(), port, from, null, null);
            URI target = base.resolve(location.get().strip());
            int targetPort = target.getPort() >= 0 ? target.getPort() : (https ? 443 : 80);
            String host = target.getHost() == null
                    ? ""
                    : target.getHost().replace("[", "").replace("]", "");
            boolean sameHost = host.equalsIgnoreCase(address.getHostAddress())
                    || sameLiteral(host, address);
            if (!name().equalsIgnoreCase(target.getScheme()) || !sameHost || targetPort != port) {
                return Optional.empty();
            }
            String path = target.getRawPath() == null || target.getRawPath().isEmpty()
                    ? ROOT
                    : target.getRawPath();
            String full = target.getRawQuery() == null ? path : path + "?" + target.getRawQuery();
            if (full.equals(from) || full.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
                return Optional.empty();
            }
            return Optional.of(full);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean sameLiteral(String host, InetAddress address) {
        if (!host.matches("[0-9a-fA-F:.]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(host).equals(address);
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    Observation.Builder base(InetAddress address, int port, String path,
            HttpFetcher.Fetched fetched) {
        WireReply reply = fetched.reply();
        Observation.Builder b = Observation.builder(Source.ACTIVE, address.getHostAddress())
                .port(port).transport(Transport.TCP).protocol(name())
                .field(Fields.HTTP_PATH, path).field(Fields.HTTP_SCHEME, name());
        fetched.tls().ifPresent(t -> b.field(Fields.TLS_SUBJECT, t.subject())
                .field(Fields.TLS_ISSUER, t.issuer()).field(Fields.TLS_VERSION, t.version()));
        if (reply.status() > 0) {
            b.field(Fields.HTTP_STATUS, Integer.toString(reply.status()));
        }
        reply.header("Server").ifPresent(v -> b.field(Fields.HTTP_SERVER, v));
        reply.joined("WWW-Authenticate").ifPresent(v -> {
            b.field(Fields.HTTP_WWW_AUTHENTICATE, v);
            AuthChallenge.realm(v).ifPresent(r -> b.field(Fields.HTTP_REALM, r));
        });
        reply.header("Location").ifPresent(v -> b.field(Fields.HTTP_LOCATION, v));
        reply.header("Content-Type").ifPresent(v -> b.field(Fields.HTTP_CONTENT_TYPE, v));
        reply.error().ifPresent(b::error);
        b.raw(reply.raw());
        return b;
    }

    Observation observe(InetAddress address, int port, String path, HttpFetcher.Fetched fetched) {
        Observation.Builder b = base(address, port, path, fetched);
        WireReply reply = fetched.reply();
        Optional<String> contentType = reply.header("Content-Type");
        if (reply.body().length > 0 && HtmlText.isTextual(contentType, reply.body())) {
            String text = HtmlText.decode(reply.body(), contentType);
            HtmlText.title(text).ifPresent(t -> b.field(Fields.HTTP_TITLE, t));
            b.field(Fields.HTTP_BODY, HtmlText.excerpt(text, Excerpt.MAX_FIELD_CHARS));
        }
        return b.build();
    }

    Observation observeFavicon(InetAddress address, int port, HttpFetcher.Fetched fetched) {
        WireReply reply = fetched.reply();
        if (reply.status() != 200 || reply.error().isPresent() || reply.body().length == 0
                || looksLikeHtml(reply)) {
            return observe(address, port, FAVICON, fetched);
        }
        Observation.Builder b = base(address, port, FAVICON, fetched);
        b.field(Fields.HTTP_FAVICON_MMH3, Integer.toString(FaviconHash.mmh3(reply.body())));
        b.field(Fields.HTTP_FAVICON_MD5, FaviconHash.md5(reply.body()));
        return b.build();
    }

    /** A 200 "favicon" that is really the web UI's HTML page hashes to nothing useful. */
    private static boolean looksLikeHtml(WireReply reply) {
        String type = reply.header("Content-Type").orElse("").toLowerCase(java.util.Locale.ROOT);
        if (type.contains("html")) {
            return true;
        }
        String start = new String(reply.body(), 0, Math.min(64, reply.body().length),
                java.nio.charset.StandardCharsets.ISO_8859_1).stripLeading()
                .toLowerCase(java.util.Locale.ROOT);
        return start.startsWith("<!doctype html") || start.startsWith("<html");
    }
}
