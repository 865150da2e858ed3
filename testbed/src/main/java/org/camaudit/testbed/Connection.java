package org.camaudit.testbed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** One accepted TCP connection as a personality sees it: bounded reads, plain writes. */
public final class Connection {
    /** The most a simulated device reads of one request head. */
    public static final int MAX_HEAD = 64 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Connection(Socket socket) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout(10_000);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public Socket socket() {
        return socket;
    }

    /**
     * Reads a request head up to the blank line (HTTP, RTSP). Empty when the client hung up or
     * sent nothing in time. The body, if any, is read with {@link #readBody}.
     */
    public Optional<Request> readRequest() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        try {
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                matched = (b == '\r' || b == '\n') ? matched + 1 : 0;
                String tail = head.size() >= 4
                        ? new String(head.toByteArray(), head.size() - 4, 4,
                                StandardCharsets.ISO_8859_1)
                        : "";
                if (matched >= 2 && (tail.endsWith("\r\n\r\n") || tail.endsWith("\n\n"))) {
                    return Optional.of(Request.parse(head.toString(StandardCharsets.ISO_8859_1)));
                }
                if (head.size() > MAX_HEAD) {
                    return Optional.empty();
                }
            }
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Reads exactly the request's Content-Length bytes (at most {@link #MAX_HEAD}). */
    public byte[] readBody(Request request) throws IOException {
        int length = Math.min(MAX_HEAD, Math.max(0, request.contentLength()));
        return in.readNBytes(length);
    }

    /** Waits up to {@code millis} for the client to say anything; returns what arrived. */
    public byte[] readSome(int millis) throws IOException {
        socket.setSoTimeout(millis);
        byte[] buf = new byte[4096];
        try {
            int n = in.read(buf);
            return n <= 0 ? new byte[0] : java.util.Arrays.copyOf(buf, n);
        } catch (SocketTimeoutException e) {
            return new byte[0];
        } finally {
            socket.setSoTimeout(10_000);
        }
    }

    public void write(byte[] data) throws IOException {
        out.write(data);
        out.flush();
    }

    public void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public OutputStream output() {
        return out;
    }

    public InputStream input() {
        return in;
    }

    /**
     * Aborts the connection the way a crashing or hostile device does: SO_LINGER 0, then close, so
     * the kernel sends a TCP RST instead of a FIN and the peer reads "connection reset". The fleet
     * closes the connection again after the conversation returns; that second close does nothing.
     */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }
}
