package org.camaudit.traffic;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;

/**
 * A file read front to back through one bounded heap buffer: callers ask for the next n bytes and
 * read them in place ({@link #array()} from {@link #position()}), so a capture of any size costs
 * the buffer and nothing more. Tracks the file offset of every byte for error messages.
 */
final class ByteSource implements AutoCloseable {
    private final ReadableByteChannel channel;
    private final ByteBuffer buffer;
    /** file offset of buffer index 0. */
    private long base;
    private boolean eof;
    /** bytes read from the channel so far, for a progress line on another thread. */
    private volatile long read;

    ByteSource(ReadableByteChannel channel, int capacity) {
        this.channel = channel;
        this.buffer = ByteBuffer.allocate(capacity);
        buffer.flip();
    }

    /** Bytes read from the file so far (ahead of {@link #offset()} by what the buffer holds). */
    long bytesRead() {
        return read;
    }

    int capacity() {
        return buffer.capacity();
    }

    void order(ByteOrder order) {
        buffer.order(order);
    }

    ByteOrder order() {
        return buffer.order();
    }

    byte[] array() {
        return buffer.array();
    }

    /** index in {@link #array()} of the next unread byte. */
    int position() {
        return buffer.position();
    }

    /** file offset of the next unread byte. */
    long offset() {
        return base + buffer.position();
    }

    int remaining() {
        return buffer.remaining();
    }

    /**
     * Makes n bytes readable from {@link #position()}. False at the end of the file (fewer than n
     * bytes left, see {@link #remaining()}); n must not exceed the capacity.
     */
    boolean require(int n) throws IOException {
        if (buffer.remaining() >= n) {
            return true;
        }
        if (n > buffer.capacity()) {
            throw new IllegalArgumentException("request beyond buffer: " + n);
        }
        base += buffer.position();
        buffer.compact();
        try {
            while (buffer.position() < n && !eof) {
                int got = channel.read(buffer);
                if (got < 0) {
                    eof = true;
                } else {
                    read += got; // one writer: this thread
                }
            }
        } finally {
            buffer.flip();
        }
        return buffer.remaining() >= n;
    }

    /** Reads fixed-order integers at an absolute index of {@link #array()}. */
    int getInt(int index) {
        return buffer.getInt(index);
    }

    int getUnsignedShort(int index) {
        return buffer.getShort(index) & 0xffff;
    }

    /** Consumes n bytes, reading past the buffer when needed; false if the file ended first. */
    boolean skip(long n) throws IOException {
        while (n > 0) {
            if (buffer.remaining() == 0 && !require(1)) {
                return false;
            }
            int step = (int) Math.min(n, buffer.remaining());
            buffer.position(buffer.position() + step);
            n -= step;
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
