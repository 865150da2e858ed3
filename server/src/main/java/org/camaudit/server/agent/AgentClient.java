package org.camaudit.server.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.camaudit.server.alerts.ScheduleJson;
import org.camaudit.server.alerts.SiteSchedule;
import org.camaudit.server.wire.Batch;
import org.camaudit.server.wire.BatchJson;

/**
 * The agent's side of the API, over HTTPS to a pinned certificate: enrolment, its site's schedule
 * and pushing batches. A 4xx or 5xx answer throws {@link ServerRefusedException}; an unreachable server throws
 * {@link IOException}.
 */
public final class AgentClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** What enrolment gave: the agent's credential (shown once) and its site. */
    public record Enrolment(String credential, String site, long agentId) {
    }

    private final URI base;
    private final HttpClient http;

    /** @param server the server's address, {@code https://host:port} */
    public AgentClient(URI server, String fingerprint) {
        if (!"https".equals(server.getScheme())) {
            throw new IllegalArgumentException("the server is reached over https://, got "
                    + server);
        }
        this.base = URI.create(server.toString().replaceAll("/+$", "") + "/api/v1/");
        this.http = HttpClient.newBuilder().sslContext(PinnedCertificate.context(fingerprint))
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    public Enrolment enrol(String enrolmentToken, String agentName) throws IOException,
            InterruptedException {
        byte[] body = BatchJson.MAPPER.writeValueAsBytes(BatchJson.MAPPER.createObjectNode().put(
                "token", enrolmentToken).put("name", agentName));
        JsonNode n = send(HttpRequest.newBuilder(base.resolve("enrol"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), "");
        return new Enrolment(n.path("credential").asText(), n.path("site").asText(), n.path(
                "agent_id").asLong());
    }

    /**
     * Pushes one batch, sent as exactly these bytes (a resend must be byte-identical to be
     * recognised as the same batch).
     *
     * @return true when the server stored it now, false when it had it already
     */
    public boolean push(String credential, Batch batch, byte[] body) throws IOException,
            InterruptedException {
        HttpResponse<byte[]> r = http.send(pushRequest(credential, batch, body),
                HttpResponse.BodyHandlers.ofByteArray());
        return answer(r).path("stored").asBoolean();
    }

    /**
     * Pushes one batch without waiting for the answer, so that several batches of a scan can be
     * on their way at once. The future completes with what {@link #push} returns, or fails with
     * its exceptions ({@link ServerRefusedException}, {@link IOException}).
     */
    public CompletableFuture<Boolean> pushAsync(String credential, Batch batch, byte[] body) {
        return http.sendAsync(pushRequest(credential, batch, body), HttpResponse.BodyHandlers
                .ofByteArray()).thenApply(r -> answer(r).path("stored").asBoolean());
    }

    private HttpRequest pushRequest(String credential, Batch batch, byte[] body) {
        return request(HttpRequest.newBuilder(base.resolve("scans/" + batch.scan().agentScan()
                + "/batches")).POST(HttpRequest.BodyPublishers.ofByteArray(body)), credential);
    }

    /**
     * The schedule the server keeps for this agent's site; empty when the site has none.
     *
     * @throws ServerRefusedException when the server refuses (e.g. a revoked credential)
     */
    public Optional<SiteSchedule> schedule(String credential, String site) throws IOException,
            InterruptedException {
        JsonNode n;
        try {
            n = send(HttpRequest.newBuilder(base.resolve("sites/" + URLEncoder.encode(site,
                    StandardCharsets.UTF_8) + "/schedule")).GET(), credential);
        } catch (ServerRefusedException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
        try {
            return Optional.of(ScheduleJson.read(n, site, n.path("updated_by").asText("server"),
                    Instant.now()));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new ServerRefusedException(200, "the schedule the server sent is unusable: " + e
                    .getMessage());
        }
    }

    private JsonNode send(HttpRequest.Builder request, String token) throws IOException,
            InterruptedException {
        return answer(http.send(request(request, token), HttpResponse.BodyHandlers
                .ofByteArray()));
    }

    private static HttpRequest request(HttpRequest.Builder request, String token) {
        request.timeout(TIMEOUT).header("Content-Type", "application/json");
        if (!token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.build();
    }

    private static JsonNode answer(HttpResponse<byte[]> r) {
        JsonNode n;
        try {
            n = BatchJson.MAPPER.readTree(r.body());
        } catch (IOException e) {
            n = BatchJson.MAPPER.createObjectNode().put("error", "(no JSON answer)");
        }
        if (r.statusCode() >= 400) {
            throw new ServerRefusedException(r.statusCode(), n.path("error").asText(
                    "(no message)"));
        }
        return n;
    }
}
