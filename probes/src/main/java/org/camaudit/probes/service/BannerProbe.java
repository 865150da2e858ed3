package org.camaudit.probes.service;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.camaudit.model.Excerpt;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.camaudit.model.SafetyClass;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;
import org.camaudit.probes.ProbeContext;
import org.camaudit.probes.ServiceProbe;

/**
 * Connects, reads what the device says first, and sends nothing at all: not a telnet option
 * answer, not a login, not a byte on the Xiongmai debug ports 9527/9530. It waits up to
 * {@link #FIRST_BYTE_WAIT_MILLIS} (capped by the per-read limit) for a first byte, then reads
 * until the device is quiet for {@link #QUIET_MILLIS}, the service's greeting is complete, or
 * {@link #BANNER_BYTES} arrived.
 */
final class BannerProbe implements ServiceProbe {
    static final long FIRST_BYTE_WAIT_MILLIS = 2_000;
    static final long QUIET_MILLIS = 300;
    static final int BANNER_BYTES = 4096;

    /** What the banner means, which field it fills and when it is complete. */
    enum Kind {
        TELNET("telnet", Fields.TELNET_BANNER), FTP("ftp", Fields.FTP_BANNER), SSH("ssh",
                Fields.SSH_BANNER),
        /** Binary vendor SDK or debug ports: hex of the first bytes. */
        SDK("sdk", Fields.SDK_BANNER_HEX);

        final String protocol;
        final String field;

        Kind(String protocol, String field) {
            this.protocol = protocol;
            this.field = field;
        }
    }

    /** The bytes a device sent unasked, and how the read ended. */
    record Banner(byte[] bytes, boolean closed, Optional<String> error) {
    }

    private final Kind kind;
    private final long firstByteWaitMillis;

    BannerProbe(Kind kind) {
        this(kind, FIRST_BYTE_WAIT_MILLIS);
    }

    BannerProbe(Kind kind, long firstByteWaitMillis) {
        this.kind = kind;
        this.firstByteWaitMillis = firstByteWaitMillis;
    }

    @Override
    public String name() {
        return kind.protocol;
    }

    @Override
    public SafetyClass safetyClass() {
        return SafetyClass.SAFE_PROBE;
    }

    @Override
    public List<Observation> probe(InetAddress address, int port, ProbeContext context) {
        Banner banner = listen(context, address, port, kind, firstByteWaitMillis);
        return List.of(observe(address, port, kind, banner));
    }

    /** Reads a banner; sends nothing. */
    static Banner listen(ProbeContext context, InetAddress address, int port, Kind kind,
            long firstByteWaitMillis) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int cap = Math.min(BANNER_BYTES, context.limits().maxReplyBytes());
        try (Exchange exchange = Exchange.open(context, address, port)) {
            byte[] buffer = new byte[cap];
            while (got.size() < cap) {
                long wait = got.size() == 0 ? firstByteWaitMillis : QUIET_MILLIS;
                int n = exchange.poll(buffer, 0, cap - got.size(), wait);
                if (n < 0) {
                    return new Banner(got.toByteArray(), true, Optional.empty());
                }
                if (n == 0) {
                    break;
                }
                got.write(buffer, 0, n);
                if (complete(kind, got.toByteArray())) {
                    break;
                }
            }
            return new Banner(got.toByteArray(), false, Optional.empty());
        } catch (java.io.IOException e) {
            return new Banner(got.toByteArray(), false, Optional.of(Exchange.explain(e)));
        }
    }

    /** SSH: the identification line arrived; FTP: the last line of the 220 greeting arrived. */
    static boolean complete(Kind kind, byte[] data) {
        String text = new String(data, StandardCharsets.ISO_8859_1);
        return switch (kind) {
            case SSH -> sshLine(text).isPresent();
            case FTP -> {
                String[] lines = text.split("\n", -1);
                for (int i = 0; i < lines.length - 1; i++) {
                    String l = lines[i];
                    if (l.length() >= 4 && Character.isDigit(l.charAt(0)) && l.charAt(3) == ' ') {
                        yield true;
                    }
                }
                yield false;
            }
            default -> false;
        };
    }

    private static Optional<String> sshLine(String text) {
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("SSH-") && text.contains(line + "\n")) {
                return Optional.of(line.strip());
            }
        }
        return Optional.empty();
    }

    static Observation observe(InetAddress address, int port, Kind kind, Banner banner) {
        byte[] bytes = banner.bytes();
        Observation.Builder b = Observation.builder(Source.ACTIVE, address.getHostAddress())
                .port(port).transport(Transport.TCP).protocol(kind.protocol)
                .raw(bytes, bytes.length);
        boolean connected = banner.error()
                .map(e -> !e.startsWith("conn") && !e.equals("unreachable"))
                .orElse(true);
        if (connected) {
            b.field(Fields.STATE, "open");
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        switch (kind) {
            case TELNET -> b.field(kind.field, printable(Telnet.stripNegotiation(bytes)));
            case FTP -> b.field(kind.field, printable(text.getBytes(StandardCharsets.ISO_8859_1)));
            case SSH -> b.field(kind.field, sshLine(text + "\n").orElse(""));
            default -> b.field(kind.field, Excerpt.hex(bytes, 0, Math.min(bytes.length, 64)));
        }
        banner.error().ifPresent(b::error);
        return b.build();
    }

    /** Text with CR dropped and other control bytes removed; trailing blank lines trimmed. */
    static String printable(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        return HtmlText.excerpt(text, Excerpt.MAX_FIELD_CHARS).strip();
    }

    /** Telnet option negotiation (IAC sequences, RFC 854/855) removed from a byte stream. */
    static final class Telnet {
        private static final int IAC = 255;
        private static final int SB = 250;
        private static final int SE = 240;

        private Telnet() {
        }

        static byte[] stripNegotiation(byte[] in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
            int i = 0;
            while (i < in.length) {
                int b = in[i] & 0xff;
                if (b != IAC) {
                    out.write(b);
                    i++;
                    continue;
                }
                if (i + 1 >= in.length) {
                    break;
                }
                int command = in[i + 1] & 0xff;
                if (command == IAC) {
                    out.write(IAC);
                    i += 2;
                } else if (command >= 251) {
                    i += 3;
                } else if (command == SB) {
                    int j = i + 2;
                    while (j + 1 < in.length
                            && !((in[j] & 0xff) == IAC && (in[j + 1] & 0xff) == SE)) {
                        j++;
                    }
                    i = j + 2;
                } else {
                    i += 2;
                }
            }
            return out.toByteArray();
        }
    }
}
