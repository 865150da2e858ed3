package org.camaudit.probes.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The two favicon hashes rules match on. {@link #mmh3} is the Shodan/nuclei value: signed
 * MurmurHash3 x86_32 (seed 0) of the base64 text of the icon wrapped at 76 characters with a
 * newline after every line including the last, as Python's {@code base64.encodebytes} writes it.
 */
final class FaviconHash {
    private FaviconHash() {
    }

    static String pythonBase64(byte[] icon) {
        if (icon.length == 0) {
            return "";
        }
        return Base64.getMimeEncoder(76, new byte[]{'\n'}).encodeToString(icon) + "\n";
    }

    static int mmh3(byte[] icon) {
        return MurmurHash3.x86x32(pythonBase64(icon).getBytes(StandardCharsets.US_ASCII), 0);
    }

    static String md5(byte[] icon) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(icon));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks MD5", e);
        }
    }
}
