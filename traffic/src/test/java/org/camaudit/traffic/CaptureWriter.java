package org.camaudit.traffic;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test captures: Ethernet/IPv4/UDP and TCP frames with correct lengths and checksums, written as
 * pcap (either byte order, micro or nano seconds) or pcapng (either byte order, two interfaces).
 * Public for other modules' tests (the traffic test-jar).
 */
public final class CaptureWriter {
    record Frame(long nanos, byte[] bytes, int iface) {
    }

    final List<Frame> frames = new ArrayList<>();
    private long clock = 1_760_000_000_000_000_000L;

    public CaptureWriter udp(String srcMac, String src, int sport, String dstMac, String dst,
            int dport,
            byte[] payload) {
        byte[] l4 = new byte[8 + payload.length];
        ByteBuffer b = ByteBuffer.wrap(l4);
        b.putShort((short) sport).putShort((short) dport).putShort((short) l4.length)
                .putShort((short) 0).put(payload);
        return add(ethernet(srcMac, dstMac, ipv4(src, dst, 17, l4)), 0);
    }

    public CaptureWriter tcp(String srcMac, String src, int sport, String dstMac, String dst,
            int dport,
            int flags, byte[] payload) {
        byte[] l4 = new byte[20 + payload.length];
        ByteBuffer b = ByteBuffer.wrap(l4);
        b.putShort((short) sport).putShort((short) dport).putInt(1000).putInt(flags == 2 ? 0 : 1)
                .put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0)
                .putShort((short) 0).put(payload);
        return add(ethernet(srcMac, dstMac, ipv4(src, dst, 6, l4)), 0);
    }

    /** The frames written so far, Ethernet header first, for tests that count what they hold. */
    public List<byte[]> frameBytes() {
        return frames.stream().map(Frame::bytes).toList();
    }

    CaptureWriter add(byte[] frame, int iface) {
        clock += 1_234_567;
        frames.add(new Frame(clock, frame, iface));
        return this;
    }

    static byte[] ethernet(String srcMac, String dstMac, byte[] ip) {
        ByteBuffer b = ByteBuffer.allocate(14 + ip.length);
        b.put(mac(dstMac)).put(mac(srcMac)).putShort((short) 0x0800).put(ip);
        return b.array();
    }

    static byte[] vlan(byte[] ethernetFrame, int... ids) {
        ByteBuffer b = ByteBuffer.allocate(ethernetFrame.length + 4 * ids.length);
        b.put(ethernetFrame, 0, 12);
        for (int i = 0; i < ids.length; i++) {
            b.putShort((short) (i == 0 && ids.length > 1 ? 0x88a8 : 0x8100))
                    .putShort((short) ids[i]);
        }
        b.put(ethernetFrame, 12, ethernetFrame.length - 12);
        return b.array();
    }

    static byte[] ipv4(String src, String dst, int protocol, byte[] l4) {
        ByteBuffer b = ByteBuffer.allocate(20 + l4.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length)).putShort((short) 1)
                .putShort((short) 0x4000).put((byte) 64).put((byte) protocol).putShort((short) 0)
                .put(ip(src)).put(ip(dst));
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += (b.get(i) & 0xff) << 8 | (b.get(i + 1) & 0xff);
        }
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        b.putShort(10, (short) ~sum);
        b.position(20);
        b.put(l4);
        return b.array();
    }

    public static byte[] ip(String dotted) {
        String[] p = dotted.split("\\.");
        return new byte[]{(byte) Integer.parseInt(p[0]), (byte) Integer.parseInt(p[1]),
                (byte) Integer.parseInt(p[2]), (byte) Integer.parseInt(p[3])};
    }

    public static byte[] mac(String text) {
        String[] p = text.split(":");
        byte[] m = new byte[6];
        for (int i = 0; i < 6; i++) {
            m[i] = (byte) Integer.parseInt(p[i], 16);
        }
        return m;
    }

    public byte[] pcap(ByteOrder order, boolean nanos, int linkType) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(order);
        h.putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4).putShort((short) 2).putShort((short) 4)
                .putInt(0).putInt(0).putInt(262144).putInt(linkType);
        out.writeBytes(h.array());
        for (Frame f : frames) {
            ByteBuffer r = ByteBuffer.allocate(16).order(order);
            long seconds = f.nanos() / 1_000_000_000L;
            long fraction = f.nanos() % 1_000_000_000L;
            r.putInt((int) seconds).putInt((int) (nanos ? fraction : fraction / 1000))
                    .putInt(f.bytes().length).putInt(f.bytes().length);
            out.writeBytes(r.array());
            out.writeBytes(f.bytes());
        }
        return out.toByteArray();
    }

    byte[] pcapng(ByteOrder order) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer shb = ByteBuffer.allocate(28).order(order);
        shb.putInt(0x0A0D0D0A).putInt(28).putInt(0x1A2B3C4D).putShort((short) 1)
                .putShort((short) 0).putLong(-1).putInt(28);
        out.writeBytes(shb.array());
        for (int i = 0; i < 2; i++) {
            // interface 1 with if_tsresol = 9 (nanoseconds)
            ByteBuffer idb = ByteBuffer.allocate(i == 0 ? 20 : 32).order(order);
            idb.putInt(1).putInt(idb.capacity()).putShort((short) 1).putShort((short) 0)
                    .putInt(262144);
            if (i == 1) {
                idb.putShort((short) 9).putShort((short) 1).put((byte) 9).put(new byte[3])
                        .putInt(0);
            }
            idb.putInt(idb.capacity());
            out.writeBytes(idb.array());
        }
        // an unknown block, to be skipped
        ByteBuffer custom = ByteBuffer.allocate(16).order(order);
        custom.putInt(0x40000BAD).putInt(16).putInt(7).putInt(16);
        out.writeBytes(custom.array());
        for (Frame f : frames) {
            int padded = (f.bytes().length + 3) & ~3;
            int length = 32 + padded;
            ByteBuffer epb = ByteBuffer.allocate(length).order(order);
            long units = f.iface() == 1 ? f.nanos() : f.nanos() / 1000;
            epb.putInt(6).putInt(length).putInt(f.iface()).putInt((int) (units >>> 32))
                    .putInt((int) units).putInt(f.bytes().length).putInt(f.bytes().length)
                    .put(f.bytes());
            epb.position(length - 4);
            epb.putInt(length);
            out.writeBytes(epb.array());
        }
        return out.toByteArray();
    }

    // ---- payloads ----

    public static byte[] dnsQuery(int id, String name) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[]{(byte) (id >> 8), (byte) id, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        b.writeBytes(labels(name));
        b.writeBytes(new byte[]{0, 1, 0, 1});
        return b.toByteArray();
    }

    static byte[] dnsAnswer(int id, String name, String address) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[]{(byte) (id >> 8), (byte) id, (byte) 0x81, (byte) 0x80, 0, 1, 0,
                1, 0, 0, 0, 0});
        b.writeBytes(labels(name));
        b.writeBytes(new byte[]{0, 1, 0, 1, (byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4});
        b.writeBytes(ip(address));
        return b.toByteArray();
    }

    public static byte[] labels(String name) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String label : name.split("\\.")) {
            b.write(label.length());
            b.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        b.write(0);
        return b.toByteArray();
    }

    static byte[] clientHello(String sni) {
        byte[] host = sni.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer ext = ByteBuffer.allocate(9 + host.length);
        ext.putShort((short) 0).putShort((short) (5 + host.length))
                .putShort((short) (3 + host.length)).put((byte) 0).putShort((short) host.length)
                .put(host);
        ByteBuffer hello = ByteBuffer.allocate(2 + 32 + 1 + 2 + 4 + 1 + 1 + 2 + ext.capacity());
        hello.putShort((short) 0x0303).put(new byte[32]).put((byte) 0).putShort((short) 4)
                .putShort((short) 0x1301).putShort((short) 0xc02f).put((byte) 1).put((byte) 0)
                .putShort((short) ext.capacity()).put(ext.array());
        return record(1, hello.array());
    }

    /** ServerHello and Certificate (one self-described certificate) in one record. */
    static byte[] serverCertificate(String subject, String issuer) {
        byte[] name1 = new javax.security.auth.x500.X500Principal(issuer).getEncoded();
        byte[] name2 = new javax.security.auth.x500.X500Principal(subject).getEncoded();
        byte[] version = der(0xa0, der(0x02, new byte[]{2}));
        byte[] serial = der(0x02, new byte[]{1});
        byte[] algorithm = der(0x30, der(0x06, new byte[]{42, (byte) 134, 72, (byte) 134,
                (byte) 247, 13, 1, 1, 11}));
        byte[] validity = der(0x30, concat(der(0x17, "250101000000Z".getBytes()),
                der(0x17, "350101000000Z".getBytes())));
        byte[] tbs = der(0x30, concat(version, serial, algorithm, name1, validity, name2));
        byte[] cert = der(0x30, concat(tbs, algorithm, der(0x03, new byte[]{0, 1, 2, 3})));
        ByteBuffer list = ByteBuffer.allocate(6 + cert.length);
        list.put(u24(3 + cert.length)).put(u24(cert.length)).put(cert);
        byte[] serverHello = handshake(2, concat(new byte[]{3, 3}, new byte[32],
                new byte[]{0, (byte) 0xc0, 0x2f, 0}));
        byte[] certificate = handshake(11, list.array());
        byte[] body = concat(serverHello, certificate);
        ByteBuffer r = ByteBuffer.allocate(5 + body.length);
        r.put((byte) 0x16).putShort((short) 0x0303).putShort((short) body.length).put(body);
        return r.array();
    }

    private static byte[] record(int type, byte[] body) {
        byte[] hs = handshake(type, body);
        ByteBuffer r = ByteBuffer.allocate(5 + hs.length);
        r.put((byte) 0x16).putShort((short) 0x0301).putShort((short) hs.length).put(hs);
        return r.array();
    }

    private static byte[] handshake(int type, byte[] body) {
        return concat(new byte[]{(byte) type}, u24(body.length), body);
    }

    private static byte[] u24(int n) {
        return new byte[]{(byte) (n >> 16), (byte) (n >> 8), (byte) n};
    }

    static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(tag);
        if (content.length < 128) {
            b.write(content.length);
        } else {
            b.write(0x82);
            b.write(content.length >> 8);
            b.write(content.length);
        }
        b.writeBytes(content);
        return b.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    static byte[] dhcpRequest(String mac, String vendorClass, String hostname,
            String requested) {
        return dhcpRequest(mac, vendorClass, hostname, requested, new byte[0]);
    }

    /**
     * A DHCPREQUEST (RFC 2131/2132) from {@code mac} for {@code requested}: options 53, 50, 55 (when
     * {@code parameters} is not empty), 60 (when {@code vendorClass} is not null) and 12.
     */
    public static byte[] dhcpRequest(String mac, String vendorClass, String hostname,
            String requested, byte[] parameters) {
        ByteBuffer b = ByteBuffer.allocate(400);
        b.put((byte) 1).put((byte) 1).put((byte) 6).put((byte) 0).putInt(0x12345678);
        b.position(28);
        b.put(mac(mac));
        b.position(236);
        b.putInt(0x63825363);
        b.put((byte) 53).put((byte) 1).put((byte) 3);
        b.put((byte) 50).put((byte) 4).put(ip(requested));
        if (parameters.length > 0) {
            b.put((byte) 55).put((byte) parameters.length).put(parameters);
        }
        if (vendorClass != null) {
            byte[] vc = vendorClass.getBytes(StandardCharsets.US_ASCII);
            b.put((byte) 60).put((byte) vc.length).put(vc);
        }
        byte[] hn = hostname.getBytes(StandardCharsets.US_ASCII);
        b.put((byte) 12).put((byte) hn.length).put(hn);
        b.put((byte) 255);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    /**
     * A client's DISCOVER (op 1, message type 1) of transaction {@code xid}: from no address and
     * asking for none (no option 50), with its host name (option 12).
     */
    static byte[] dhcpDiscover(String mac, int xid, String hostname) {
        return bootp(1, mac, xid, "0.0.0.0", 1, hostname);
    }

    /** A server's reply (op 2) of transaction {@code xid} giving {@code yiaddr}: type 2 OFFER, 5 ACK, 6 NAK. */
    static byte[] dhcpReply(String mac, int xid, String yiaddr, int type) {
        return bootp(2, mac, xid, yiaddr, type, null);
    }

    private static byte[] bootp(int op, String mac, int xid, String yiaddr, int type,
            String hostname) {
        ByteBuffer b = ByteBuffer.allocate(300);
        b.put((byte) op).put((byte) 1).put((byte) 6).put((byte) 0).putInt(xid);
        b.position(16);
        b.put(ip(yiaddr));
        b.position(28);
        b.put(mac(mac));
        b.position(236);
        b.putInt(0x63825363);
        b.put((byte) 53).put((byte) 1).put((byte) type);
        if (hostname != null) {
            byte[] hn = hostname.getBytes(StandardCharsets.US_ASCII);
            b.put((byte) 12).put((byte) hn.length).put(hn);
        }
        b.put((byte) 255);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
