import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes a synthetic pcap for bench/traffic-vs-tshark.sh: per round one DNS query for a vendor
 * cloud name, one TLS ClientHello with SNI, one HTTP response with a Server header, then bulk TCP
 * payload packets. Prints the number of each fact written. Usage: java TrafficCapture.java OUT MB
 */
public final class TrafficCapture {
    static final String[] NAMES = {"litedev.hik-connect.com", "www.easy4ipcloud.com",
            "access-dss.secu100.net", "api.ezvizlife.com", "pub-cfg.secu100.net",
            "iotaccess.easy4ipcloud.com", "rs.xmeye.net", "apis.reolink.com"};
    static final String[] SERVERS = {"App-webs/", "Webs", "uc-httpd 1.0.0", "DNVRS-Webs",
            "lighttpd/1.4.32", "Hikvision-Webs"};

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        long target = Long.parseLong(args[1]) * 1_000_000L;
        Random random = new Random(42);
        long written = 24;
        long rounds = 0;
        long seconds = 1_760_000_000L;
        int micros = 0;
        byte[] bulkPayload = new byte[1448];
        random.nextBytes(bulkPayload);
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
            ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                    .putInt(262144).putInt(1);
            o.write(h.array());
            while (written < target) {
                int client = 10 << 24 | 1 << 16 | (int) (rounds % 250 + 2);
                int port = 20000 + (int) (rounds % 40000);
                String name = NAMES[(int) (rounds % NAMES.length)];
                // tuples repeat over a long capture; a rising sequence number keeps tshark from
                // taking a repeat for a retransmission and skipping its payload
                int seq = (int) (1 + rounds * 4096);
                byte[][] frames = {
                        udp(client, 10 << 24 | 1 << 16 | 53, port, 53, dns((int) rounds, name)),
                        tcp(client, 0x34000000 | (int) rounds, port, 443, seq, hello(name)),
                        tcp(0x0a010000 | (int) (rounds % 200 + 1), client, 80, port, seq,
                                ("HTTP/1.1 200 OK\r\nServer: " + SERVERS[(int) (rounds
                                        % SERVERS.length)] + "\r\nContent-Length: 0\r\n\r\n")
                                        .getBytes(StandardCharsets.US_ASCII))};
                for (byte[] f : frames) {
                    written += record(o, seconds, micros++, f);
                }
                for (int i = 0; i < 24; i++) {
                    bulkPayload[0] = (byte) i;
                    written += record(o, seconds, micros++, tcp(0x0a020000 | (int) (rounds % 50),
                            client, 8000, 40000 + (int) (rounds % 1000), 1000 + i * 1448,
                            bulkPayload));
                }
                if (micros > 900_000) {
                    micros = 0;
                    seconds++;
                }
                rounds++;
            }
        }
        System.out.println("rounds " + rounds + " dns.query " + rounds + " tls.sni " + rounds
                + " http.server " + rounds + " bytes " + written);
    }

    static long record(OutputStream o, long seconds, int micros, byte[] frame) throws IOException {
        ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        r.putInt((int) seconds).putInt(micros).putInt(frame.length).putInt(frame.length);
        o.write(r.array());
        o.write(frame);
        return 16 + frame.length;
    }

    static byte[] dns(int id, String name) {
        ByteBuffer b = ByteBuffer.allocate(12 + name.length() + 2 + 4);
        b.putShort((short) id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0)
                .putInt(0);
        for (String label : name.split("\\.")) {
            b.put((byte) label.length()).put(label.getBytes(StandardCharsets.US_ASCII));
        }
        b.put((byte) 0).putShort((short) 1).putShort((short) 1);
        return b.array();
    }

    static byte[] hello(String sni) {
        byte[] host = sni.getBytes(StandardCharsets.US_ASCII);
        int ext = 9 + host.length;
        int body = 2 + 32 + 1 + 2 + 4 + 2 + 2 + ext;
        ByteBuffer b = ByteBuffer.allocate(5 + 4 + body);
        b.put((byte) 0x16).putShort((short) 0x0301).putShort((short) (4 + body));
        b.put((byte) 1).put((byte) 0).putShort((short) body);
        b.putShort((short) 0x0303).put(new byte[32]).put((byte) 0).putShort((short) 4)
                .putShort((short) 0x1301).putShort((short) 0xc02f).put((byte) 1).put((byte) 0)
                .putShort((short) ext);
        b.putShort((short) 0).putShort((short) (5 + host.length))
                .putShort((short) (3 + host.length)).put((byte) 0).putShort((short) host.length)
                .put(host);
        return b.array();
    }

    static byte[] udp(int src, int dst, int sport, int dport, byte[] payload) {
        ByteBuffer l4 = ByteBuffer.allocate(8 + payload.length);
        l4.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length))
                .putShort((short) 0).put(payload);
        return ethernet(ip(src, dst, 17, l4.array()));
    }

    static byte[] tcp(int src, int dst, int sport, int dport, int seq, byte[] payload) {
        ByteBuffer l4 = ByteBuffer.allocate(20 + payload.length);
        l4.putShort((short) sport).putShort((short) dport).putInt(seq).putInt(1)
                .put((byte) 0x50).put((byte) 0x18).putShort((short) 65535).putInt(0).put(payload);
        return ethernet(ip(src, dst, 6, l4.array()));
    }

    static byte[] ip(int src, int dst, int protocol, byte[] l4) {
        ByteBuffer b = ByteBuffer.allocate(20 + l4.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length)).putShort((short) 0)
                .putShort((short) 0x4000).put((byte) 64).put((byte) protocol).putShort((short) 0)
                .putInt(src).putInt(dst);
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += (b.get(i) & 0xff) << 8 | (b.get(i + 1) & 0xff);
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        b.putShort(10, (short) ~sum).position(20);
        b.put(l4);
        return b.array();
    }

    static byte[] ethernet(byte[] ip) {
        ByteBuffer b = ByteBuffer.allocate(14 + ip.length);
        b.put(new byte[] {0, 0x11, 0x22, 0x33, 0x44, 0x55})
                .put(new byte[] {(byte) 0xc0, 0x56, (byte) 0xe3, 0x11, 0x22, 0x33})
                .putShort((short) 0x0800).put(ip);
        return b.array();
    }
}
