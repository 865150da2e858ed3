package org.camaudit.testbed;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLServerSocket;
import org.camaudit.model.IpRange;

/**
 * The outside world of a behaving fleet, on its own loopback /16 (never the fleet's): a DNS
 * server on {@code .0.53:53} that answers the vendor clouds' names, the simulated cloud endpoints
 * ({@code .1.N}, TLS, UDP or HTTP as {@link VendorCloud} says), the outside peer that uses relays
 * ({@code .2.1}), the relay target ({@code .2.2:9000}, echoes), and the addresses a telnet scan
 * tries ({@code .3.1} upwards, where nothing listens). Nothing here reaches beyond loopback.
 * Close it to stop everything.
 */
public final class SimulatedInternet implements AutoCloseable {
    /** Port of the relay target's echo service. */
    public static final int RELAY_TARGET_PORT = 9000;
    /** How many addresses a telnet scan tries (above the detector's default of 20). */
    public static final int SCAN_TARGETS = 25;
    private static final int MAX_REQUEST = 64 * 1024;

    private final int base;
    private final Map<String, String> names = new LinkedHashMap<>();
    private final List<Closeable> sockets = new ArrayList<>();
    private final ExecutorService threads = Executors
            .newThreadPerTaskExecutor(Thread.ofPlatform().daemon().factory());
    private final AtomicLong dnsAnswers = new AtomicLong();
    private final AtomicLong cloudContacts = new AtomicLong();
    private volatile boolean running = true;

    private SimulatedInternet(int base) {
        this.base = base;
    }

    /**
     * Starts the world on {@code range} (a /16 inside 127.0.0.0/8). The DNS server needs port 53,
     * so root (or CAP_NET_BIND_SERVICE); the failure says so.
     */
    public static SimulatedInternet start(IpRange range) throws IOException {
        String first = range.firstAddress().getHostAddress();
        if (!first.startsWith("127.") || range.family() != 4
                || range.size().compareTo(java.math.BigInteger.valueOf(65536)) < 0) {
            throw new IllegalArgumentException("the simulated internet needs a /16 inside"
                    + " 127.0.0.0/8, not " + range);
        }
        SimulatedInternet world = new SimulatedInternet(toInt(range.firstAddress()));
        try {
            world.serveDns();
            for (int i = 0; i < VendorCloud.ALL.size(); i++) {
                VendorCloud c = VendorCloud.ALL.get(i);
                String at = world.address(1, i + 1);
                world.names.put(c.name(), at);
                world.serveCloud(c, at);
            }
            world.serveEcho(world.relayTarget(), RELAY_TARGET_PORT);
        } catch (IOException | RuntimeException e) {
            world.close();
            throw e;
        }
        return world;
    }

    /** The DNS server's address. */
    public String dnsServer() {
        return address(0, 53);
    }

    /** Where a cloud's name resolves. */
    public String endpoint(VendorCloud cloud) {
        return names.get(cloud.name());
    }

    /** The outside peer that connects to relays. */
    public String relayClient() {
        return address(2, 1);
    }

    public String relayTarget() {
        return address(2, 2);
    }

    /** The addresses a telnet scan tries. */
    public List<String> scanTargets() {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= SCAN_TARGETS; i++) {
            out.add(address(3, i));
        }
        return out;
    }

    public long dnsAnswers() {
        return dnsAnswers.get();
    }

    /**
     * Conversations the cloud endpoints answered. Each is counted before its answer is sent, so a
     * device that has received the answer finds it counted here (no waiting needed).
     */
    public long cloudContacts() {
        return cloudContacts.get();
    }

    private String address(int third, int fourth) {
        int a = base + (third << 8) + fourth;
        return (a >>> 24) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }

    private static int toInt(InetAddress a) {
        byte[] b = a.getAddress();
        return ((b[0] & 255) << 24) | ((b[1] & 255) << 16) | ((b[2] & 255) << 8) | (b[3] & 255);
    }

    private <T extends Closeable> T keep(T socket) {
        sockets.add(socket);
        return socket;
    }

    private void serveDns() throws IOException {
        DatagramSocket s;
        try {
            s = keep(new DatagramSocket(new InetSocketAddress(dnsServer(), 53)));
        } catch (SocketException e) {
            throw new IOException("cannot bind the simulated DNS server on " + dnsServer()
                    + ":53 (" + e.getMessage() + "; port 53 needs root)", e);
        }
        answer(s, (request, length) -> DnsMessages.answer(request, length, names), dnsAnswers);
    }

    /** Answers each datagram on {@code s} (empty: no reply) and counts the replies sent. */
    private void answer(DatagramSocket s,
            java.util.function.BiFunction<byte[], Integer, byte[]> replyTo, AtomicLong sent) {
        threads.submit(() -> {
            byte[] buffer = new byte[2048];
            while (running) {
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                try {
                    s.receive(p);
                    byte[] reply = replyTo.apply(buffer, p.getLength());
                    if (reply.length > 0) {
                        // counted before it leaves: whoever holds the reply sees it counted
                        sent.incrementAndGet();
                        try {
                            s.send(new DatagramPacket(reply, reply.length, p
                                    .getSocketAddress()));
                        } catch (IOException e) {
                            sent.decrementAndGet();
                            throw e;
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    if (!running) {
                        return;
                    }
                }
            }
        });
    }

    private void serveCloud(VendorCloud cloud, String at) throws IOException {
        InetSocketAddress where = new InetSocketAddress(at, cloud.port());
        switch (cloud.transport()) {
            case UDP -> {
                byte[] ok = "HTTP/1.1 200 OK\r\nCSeq: 1\r\nContent-Length: 0\r\n\r\n".getBytes(
                        StandardCharsets.US_ASCII);
                answer(keep(new DatagramSocket(where)), (request, length) -> ok, cloudContacts);
            }
            case TLS -> {
                SSLServerSocket s = (SSLServerSocket) Tls.context(Tls.GENERIC)
                        .getServerSocketFactory().createServerSocket();
                keep(s);
                s.bind(where, 64);
                accept(s, this::answerHttp);
            }
            case HTTP -> {
                ServerSocket s = keep(new ServerSocket());
                s.bind(where, 64);
                accept(s, this::answerHttp);
            }
        }
    }

    private void serveEcho(String at, int port) throws IOException {
        ServerSocket s = keep(new ServerSocket());
        s.bind(new InetSocketAddress(at, port), 64);
        accept(s, c -> c.getInputStream().transferTo(c.getOutputStream()));
    }

    @FunctionalInterface
    private interface Conversation {
        void hold(Socket s) throws IOException;
    }

    private void accept(ServerSocket server, Conversation conversation) {
        threads.submit(() -> {
            while (running) {
                try {
                    Socket c = server.accept();
                    threads.submit(() -> {
                        try (c) {
                            c.setSoTimeout(5000);
                            conversation.hold(c);
                        } catch (IOException | RuntimeException ignored) {
                            // a device that hangs up early is its own business
                        }
                    });
                } catch (IOException e) {
                    if (!running) {
                        return;
                    }
                }
            }
        });
    }

    /** Reads one HTTP request (head and Content-Length body) and answers 200 with a small JSON. */
    private void answerHttp(Socket c) throws IOException {
        InputStream in = c.getInputStream();
        String head = readHead(in);
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Math.min(MAX_REQUEST, Integer.parseInt(line.substring(15).strip()));
            }
        }
        in.readNBytes(length);
        byte[] body = "{\"Ret\":100,\"status\":\"registered\"}".getBytes(StandardCharsets.US_ASCII);
        OutputStream out = c.getOutputStream();
        // counted before the answer leaves: a device that has read it sees it counted
        cloudContacts.incrementAndGet();
        try {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\nConnection: close\r\n\r\n").getBytes(
                            StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        } catch (IOException e) {
            cloudContacts.decrementAndGet();
            throw e;
        }
    }

    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4 && head.size() < MAX_REQUEST) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the end of the head");
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1
                    || state == 3)) ? state + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        running = false;
        for (Closeable s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing everything
            }
        }
        threads.shutdownNow();
    }
}
