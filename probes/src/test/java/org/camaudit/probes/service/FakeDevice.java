package org.camaudit.probes.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A device on a loopback address (127.31.0.0/16 only) that plays a canned conversation on every
 * connection: well-behaved replies or misbehaviour (drip, silence, reset, endless data). It records
 * every byte it receives and counts connections, so tests can prove what was (not) sent.
 */
final class FakeDevice implements AutoCloseable {
    /** What the device does with one accepted connection. */
    @FunctionalInterface
    interface Conversation {
        void play(Socket socket, FakeDevice device) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final Conversation conversation;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger active = new AtomicInteger();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    private FakeDevice(ServerSocket server, Conversation conversation) {
        this.server = server;
        this.conversation = conversation;
        Thread.ofVirtual().name("fake-device-accept").start(this::acceptLoop);
    }

    static FakeDevice start(String address, int port, Conversation conversation)
            throws IOException {
        if (!address.startsWith("127.31.")) {
            throw new IllegalArgumentException("test devices live on 127.31.0.0/16 only");
        }
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(address), port), 50);
        return new FakeDevice(server, conversation);
    }

    static FakeDevice start(ServerSocket bound, Conversation conversation) {
        if (!bound.getInetAddress().getHostAddress().startsWith("127.31.")) {
            throw new IllegalArgumentException("test devices live on 127.31.0.0/16 only");
        }
        return new FakeDevice(bound, conversation);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            connections.incrementAndGet();
            active.incrementAndGet();
            sockets.add(s);
            Thread.ofVirtual().name("fake-device-conn").start(() -> {
                try (s) {
                    conversation.play(s, this);
                } catch (IOException | InterruptedException e) {
                    // the prober hung up or the test closed us: both are expected
                } finally {
                    sockets.remove(s);
                    active.decrementAndGet();
                }
            });
        }
    }

    InetAddress address() {
        return server.getInetAddress();
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    byte[] received() {
        synchronized (received) {
            return received.toByteArray();
        }
    }

    String receivedText() {
        return new String(received(), StandardCharsets.ISO_8859_1);
    }

    void record(byte[] data, int offset, int length) {
        synchronized (received) {
            received.write(data, offset, length);
        }
    }

    /** Waits until no conversation is running (the prober closed every connection). */
    void awaitIdle(Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (active.get() > 0 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }

    // ---- conversation building blocks ----

    /** Reads one request head (and its Content-Length body); null when the peer closed first. */
    static String readRequest(Socket socket, FakeDevice device) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            device.record(new byte[]{(byte) b}, 0, 1);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r'
                    && h[n - 1] == '\n') {
                break;
            }
        }
        if (head.size() == 0) {
            return null;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        byte[] body = in.readNBytes(length);
        device.record(body, 0, body.length);
        return text + new String(body, StandardCharsets.ISO_8859_1);
    }

    /** The path of a request line such as "GET /x HTTP/1.1". */
    static String path(String request) {
        String[] parts = request.split(" ", 3);
        return parts.length > 1 ? parts[1] : "";
    }

    /** Reads and records until the peer closes. */
    static void recordUntilClosed(Socket socket, FakeDevice device) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            device.record(buffer, 0, n);
        }
    }

    /** One HTTP request, one reply chosen by {@code reply}, then close. */
    static Conversation http(Function<String, byte[]> reply) {
        return (socket, device) -> {
            String request = readRequest(socket, device);
            if (request == null) {
                return;
            }
            OutputStream out = socket.getOutputStream();
            out.write(reply.apply(request));
            out.flush();
        };
    }

    /** Replies by request path; anything else gets a 404. */
    static Conversation routes(Map<String, byte[]> byPath) {
        return http(request -> byPath.getOrDefault(path(request), notFound()));
    }

    static byte[] notFound() {
        return bytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    }

    /** Replies to each RTSP request on a persistent connection until the peer closes. */
    static Conversation rtsp(Function<String, byte[]> reply) {
        return (socket, device) -> {
            String request;
            while ((request = readRequest(socket, device)) != null) {
                socket.getOutputStream().write(reply.apply(request));
                socket.getOutputStream().flush();
            }
        };
    }

    /** Says {@code banner} on connect, then listens and records until the peer closes. */
    static Conversation banner(byte[] banner) {
        return (socket, device) -> {
            socket.getOutputStream().write(banner);
            socket.getOutputStream().flush();
            recordUntilClosed(socket, device);
        };
    }

    /** Accepts and says nothing, recording whatever arrives. */
    static Conversation silent() {
        return FakeDevice::recordUntilClosed;
    }

    /** Accepts, then resets the connection (SO_LINGER 0 close). */
    static Conversation resetOnConnect() {
        return (socket, device) -> {
            socket.setSoLinger(true, 0);
            socket.close();
        };
    }

    /** After the request, one byte of {@code reply} every {@code intervalMillis}. */
    static Conversation drip(byte[] reply, long intervalMillis, boolean readRequestFirst) {
        return (socket, device) -> {
            if (readRequestFirst) {
                readRequest(socket, device);
            }
            OutputStream out = socket.getOutputStream();
            for (byte b : reply) {
                out.write(b);
                out.flush();
                Thread.sleep(intervalMillis);
            }
        };
    }

    /** A status line, then header lines forever. */
    static Conversation endlessHeaders() {
        return (socket, device) -> {
            readRequest(socket, device);
            OutputStream out = socket.getOutputStream();
            out.write(bytes("HTTP/1.1 200 OK\r\nServer: endless\r\n"));
            byte[] filler = bytes("X-Filler: " + "a".repeat(100) + "\r\n");
            while (true) {
                out.write(filler);
            }
        };
    }

    /** A 200 declaring {@code size} bytes of body and streaming them from one small buffer. */
    static Conversation hugeBody(long size) {
        return (socket, device) -> {
            readRequest(socket, device);
            OutputStream out = socket.getOutputStream();
            out.write(bytes("HTTP/1.1 200 OK\r\nServer: huge\r\nContent-Type: text/html\r\n"
                    + "Content-Length: " + size + "\r\n\r\n<html><title>Huge</title>"));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            long sent = 0;
            while (sent < size) {
                int n = (int) Math.min(chunk.length, size - sent);
                out.write(chunk, 0, n);
                sent += n;
            }
        };
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
