package org.camaudit.server.db;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Tokens and their stored form. A token is 32 bytes (256 bits) from {@link SecureRandom}, so it
 * cannot be guessed or brute-forced; the store keeps only its SHA-256. A slow password hash
 * (bcrypt, Argon2) protects low-entropy secrets people choose; for a random 256-bit secret a
 * preimage-resistant hash is enough, and it lets the store find a token by an index lookup.
 */
public final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Prefix of a user's API token. */
    public static final String USER_TOKEN = "cau_";
    /** Prefix of an agent's credential. */
    public static final String AGENT_CREDENTIAL = "caa_";
    /** Prefix of a one-time enrolment token. */
    public static final String ENROLMENT_TOKEN = "cae_";

    private Secrets() {
    }

    static String newToken(String prefix) {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The stored form of a token. */
    public static byte[] sha256(String token) {
        return sha256(token.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
