package org.camaudit.probes.service;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough HTML reading for identification: the text of a body and its title. Public so that
 * the passive decoders read a title seen in a capture as the active HTTP probe reads it.
 */
public final class HtmlText {
    private static final Pattern TITLE = Pattern.compile("<title[^>]*>(.*?)</title\\s*>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern CHARSET = Pattern.compile("charset\\s*=\\s*\"?([A-Za-z0-9._:-]+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ENTITY = Pattern
            .compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,6});");
    private static final Map<String, String> NAMED = Map.of("amp", "&", "lt", "<", "gt", ">",
            "quot", "\"", "apos", "'", "nbsp", " ", "copy", "\u00a9", "reg", "\u00ae");

    private HtmlText() {
    }

    /** Decodes a body with the Content-Type charset when known, else UTF-8; drops a BOM. */
    public static String decode(byte[] body, Optional<String> contentType) {
        Charset charset = StandardCharsets.UTF_8;
        if (contentType.isPresent()) {
            Matcher m = CHARSET.matcher(contentType.get());
            if (m.find()) {
                try {
                    charset = Charset.forName(m.group(1));
                } catch (IllegalArgumentException e) {
                    // unknown charset name from the device: fall back to UTF-8
                }
            }
        }
        CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        String text;
        try {
            text = decoder.decode(ByteBuffer.wrap(body)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            text = new String(body, StandardCharsets.ISO_8859_1);
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** Whether a body is text worth keeping as an excerpt. */
    public static boolean isTextual(Optional<String> contentType, byte[] body) {
        if (contentType.isPresent()) {
            String t = contentType.get().toLowerCase(Locale.ROOT);
            return t.startsWith("text/") || t.contains("xml") || t.contains("json")
                    || t.contains("javascript") || t.contains("html");
        }
        int sample = Math.min(body.length, 512);
        for (int i = 0; i < sample; i++) {
            int b = body[i] & 0xff;
            if (b < 0x09 || (b > 0x0d && b < 0x20 && b != 0x1b)) {
                return false;
            }
        }
        return true;
    }

    /** Text for the {@code http.body} excerpt: control characters other than tab and newline dropped. */
    static String excerpt(String text, int max) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length() && sb.length() < max; i++) {
            char c = text.charAt(i);
            if (c == '\r') {
                continue;
            }
            if (c >= 0x20 || c == '\n' || c == '\t') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The first {@code <title>}, entities decoded and white space collapsed; empty if blank. */
    public static Optional<String> title(String html) {
        Matcher m = TITLE.matcher(html);
        if (!m.find()) {
            return Optional.empty();
        }
        String t = decodeEntities(m.group(1)).replaceAll("\\s+", " ").strip();
        return t.isEmpty() ? Optional.empty() : Optional.of(t);
    }

    /** Decodes numeric entities and a handful of named ones; unknown names stay as written. */
    static String decodeEntities(String text) {
        Matcher m = ENTITY.matcher(text);
        StringBuilder sb = new StringBuilder(text.length());
        while (m.find()) {
            String name = m.group(1);
            String replacement = m.group();
            if (name.startsWith("#")) {
                try {
                    int cp = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X')
                            ? Integer.parseInt(name.substring(2), 16)
                            : Integer.parseInt(name.substring(1));
                    if (Character.isValidCodePoint(cp) && cp != 0) {
                        replacement = new String(Character.toChars(cp));
                    }
                } catch (NumberFormatException e) {
                    // left as written
                }
            } else {
                replacement = NAMED.getOrDefault(name.toLowerCase(Locale.ROOT), replacement);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
