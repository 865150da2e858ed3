package org.camaudit.server.dashboard;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.camaudit.server.dashboard.Views.Viewer;
import org.camaudit.server.db.Role;
import org.camaudit.server.db.Secrets;

/**
 * The dashboard's sessions in the central store. The browser holds a random 256-bit id; the store
 * keeps its SHA-256 and the hash of the API token the user logged in with, so a revoked token
 * ends its sessions. Each session has its own CSRF token for the forms of its pages.
 */
final class WebSessions {
    /** How long a session lasts after login. */
    static final Duration LIFETIME = Duration.ofHours(8);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DashboardQueries db;

    WebSessions(DashboardQueries db) {
        this.db = db;
    }

    /** A random URL-safe 256-bit value (session ids, CSRF tokens). */
    static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Opens a session for the user of this API token; returns the cookie's value. */
    String open(String apiToken) {
        String id = random();
        String csrf = random();
        db.write(conn -> {
            DashboardQueries.update(conn, "DELETE FROM web_session WHERE expires < now()", ps -> {
            });
            DashboardQueries.update(conn, "INSERT INTO web_session (id_hash, token_hash, csrf,"
                    + " expires) VALUES (?, ?, ?, ?)", ps -> {
                        ps.setBytes(1, Secrets.sha256(id));
                        ps.setBytes(2, Secrets.sha256(apiToken));
                        ps.setString(3, csrf);
                        ps.setTimestamp(4, Timestamp.from(Instant.now().plus(LIFETIME)));
                    });
            return null;
        });
        return id;
    }

    /** The user of a live session, if the cookie names one and its token is not revoked. */
    Optional<Viewer> find(String cookie) {
        if (cookie == null || cookie.isEmpty() || cookie.length() > 100) {
            return Optional.empty();
        }
        List<Viewer> v = db.read(conn -> DashboardQueries.list(conn, "SELECT u.id, u.name,"
                + " u.role, w.csrf FROM web_session w JOIN api_token t ON t.token_hash ="
                + " w.token_hash AND t.revoked IS NULL JOIN app_user u ON u.id = t.user_id WHERE"
                + " w.id_hash = ? AND w.expires > now()",
                ps -> ps.setBytes(1, Secrets.sha256(
                        cookie)),
                rs -> new Viewer(rs.getLong(1), rs.getString(2), Role.of(rs.getString(3)), rs
                        .getString(4))));
        return v.stream().findFirst();
    }

    /** Ends a session. */
    void close(String cookie) {
        if (cookie == null || cookie.length() > 100) {
            return;
        }
        db.write(conn -> {
            DashboardQueries.update(conn, "DELETE FROM web_session WHERE id_hash = ?", ps -> ps
                    .setBytes(1, Secrets.sha256(cookie)));
            return null;
        });
    }

    /** Compares two secrets in time that does not depend on where they differ. */
    static boolean same(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(a.getBytes(
                java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(
                        java.nio.charset.StandardCharsets.UTF_8));
    }
}
