package org.camaudit.traffic;

import javax.security.auth.x500.X500Principal;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;

/**
 * TLS handshake records in one TCP segment. A ClientHello's server_name extension is evidence about
 * the client ({@code tls.sni}); a Certificate message (TLS 1.2 and below, where it travels in clear)
 * gives the first certificate's subject and issuer about the server that sent it. Records longer
 * than TLS allows are refused; records cut by the segment end are read as far as they go.
 */
final class TlsDecoder {
    /** 2^14 plus the 2048 bytes of expansion TLS 1.2 permits. */
    static final int MAX_RECORD = 16384 + 2048;
    private final Emitter out;

    TlsDecoder(Emitter out) {
        this.out = out;
    }

    void decode(Packet p) {
        int at = p.payload;
        int end = p.payload + p.payloadLength;
        while (at + 5 <= end && p.u8(at) == 0x16) {
            int major = p.u8(at + 1);
            int length = p.u16(at + 3);
            if (major != 3) {
                throw new Malformed("tls: record version " + major + "." + p.u8(at + 2));
            }
            if (length > MAX_RECORD) {
                throw new Malformed("tls: record length " + length + " exceeds " + MAX_RECORD);
            }
            int recordEnd = Math.min(end, at + 5 + length);
            handshakes(p, at + 5, recordEnd);
            at += 5 + length;
        }
    }

    private void handshakes(Packet p, int at, int end) {
        while (at + 4 <= end) {
            int type = p.u8(at);
            int length = p.u8(at + 1) << 16 | p.u16(at + 2);
            int body = at + 4;
            int bodyEnd = Math.min(end, body + length);
            if (type == 1) {
                clientHello(p, body, bodyEnd);
            } else if (type == 11) {
                certificate(p, body, bodyEnd);
                return;
            }
            at = body + length;
        }
    }

    private void clientHello(Packet p, int at, int end) {
        int cursor = at + 2 + 32;
        need(cursor + 1, end);
        cursor += 1 + p.u8(cursor);
        need(cursor + 2, end);
        cursor += 2 + p.u16(cursor);
        need(cursor + 1, end);
        cursor += 1 + p.u8(cursor);
        if (cursor + 2 > end) {
            return;
        }
        int extensionsEnd = Math.min(end, cursor + 2 + p.u16(cursor));
        cursor += 2;
        while (cursor + 4 <= extensionsEnd) {
            int type = p.u16(cursor);
            int length = p.u16(cursor + 2);
            int data = cursor + 4;
            if (type == 0) {
                need(data + length, extensionsEnd);
                sni(p, data, data + length);
                return;
            }
            cursor = data + length;
        }
    }

    private void sni(Packet p, int at, int end) {
        need(at + 2, end);
        int cursor = at + 2;
        while (cursor + 3 <= end) {
            int kind = p.u8(cursor);
            int length = p.u16(cursor + 1);
            need(cursor + 3 + length, end);
            if (kind == 0) {
                out.tally.tlsSni++;
                if (out.storing()) {
                    String name = TextHeadDecoder.ascii(p.data, cursor + 3, cursor + 3 + length);
                    Observation.Builder b = out.about(p, true, "tls", p.dstPort)
                            .field(Fields.TLS_SNI, name);
                    out.emit("tls", b);
                }
                return;
            }
            cursor += 3 + length;
        }
    }

    private void certificate(Packet p, int at, int end) {
        if (!out.storing()) {
            return;
        }
        // certificate_list length (3), first certificate length (3), then DER
        need(at + 6, end);
        int der = at + 6;
        int certEnd = Math.min(end, der + (p.u8(at + 3) << 16 | p.u16(at + 4)));
        Der cert = Der.at(p.data, der, certEnd);
        Der tbs = cert.firstChild(certEnd);
        Der field = tbs.firstChild(certEnd);
        if (field.tag() == 0xa0) {
            field = field.next(certEnd);
        }
        Der algorithm = field.next(certEnd);
        Der issuer = algorithm.next(certEnd);
        Der validity = issuer.next(certEnd);
        Der subject = validity.next(certEnd);
        Observation.Builder b = out.about(p, true, "tls", p.srcPort)
                .field(Fields.TLS_ISSUER, name(p.data, issuer, certEnd))
                .field(Fields.TLS_SUBJECT, name(p.data, subject, certEnd));
        out.emit("tls", b);
    }

    private static String name(byte[] d, Der element, int limit) {
        if (element.end() > limit) {
            throw new Malformed("tls: certificate cut short by the segment");
        }
        if (element.tag() != 0x30) {
            throw new Malformed("tls: certificate name is not a SEQUENCE");
        }
        byte[] encoded = new byte[element.end() - element.start()];
        System.arraycopy(d, element.start(), encoded, 0, encoded.length);
        try {
            return new X500Principal(encoded).getName(X500Principal.RFC2253);
        } catch (IllegalArgumentException e) {
            throw new Malformed("tls: unreadable certificate name");
        }
    }

    private static void need(int upTo, int end) {
        if (upTo > end) {
            throw new Malformed("tls: truncated handshake");
        }
    }

    /** One DER element: tag, and where its encoding and content start and end. */
    record Der(byte[] d, int start, int content, int end, int tag) {
        static Der at(byte[] d, int at, int limit) {
            if (at + 2 > limit) {
                throw new Malformed("tls: certificate cut short");
            }
            int tag = d[at] & 0xff;
            int first = d[at + 1] & 0xff;
            int content = at + 2;
            long length;
            if (first < 0x80) {
                length = first;
            } else {
                int bytes = first & 0x7f;
                if (bytes == 0 || bytes > 3 || content + bytes > limit) {
                    throw new Malformed("tls: bad DER length");
                }
                length = 0;
                for (int i = 0; i < bytes; i++) {
                    length = length << 8 | (d[content + i] & 0xff);
                }
                content += bytes;
            }
            long end = content + length;
            return new Der(d, at, content, (int) Math.min(end, Integer.MAX_VALUE), tag);
        }

        Der firstChild(int limit) {
            return at(d, content, Math.min(end, limit));
        }

        /** The element after this one, which must lie wholly inside the captured bytes. */
        Der next(int limit) {
            if (end > limit) {
                throw new Malformed("tls: certificate cut short by the segment");
            }
            return at(d, end, limit);
        }
    }
}
