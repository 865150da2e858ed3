package org.camaudit.probes;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/** The portable sweep engine: one NIO selector. */
final class NioConnectEngine implements ConnectEngine {
    private final Network network;
    private final Selector selector;

    NioConnectEngine(Network network) throws IOException {
        this.network = network;
        this.selector = Selector.open();
    }

    @Override
    public Outcome start(ConnectAttempt a) throws IOException {
        try {
            a.started = System.nanoTime();
            SocketChannel channel = network.startConnect(new InetSocketAddress(a.host.address,
                    a.port));
            a.channel = channel;
            if (channel.isConnected()) {
                closeOpen(channel);
                return Outcome.OPEN;
            }
            channel.register(selector, SelectionKey.OP_CONNECT, a);
            return Outcome.PENDING;
        } catch (ConnectException | NoRouteToHostException e) {
            return Outcome.REFUSED;
        } catch (IOException e) {
            if (e.getClass() == IOException.class || e instanceof java.net.BindException) {
                return Outcome.LOCAL_ERROR;
            }
            return Outcome.REFUSED;
        }
    }

    @Override
    public void await(long millis, Completion completion) throws IOException {
        selector.select(Math.max(1, millis));
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            ConnectAttempt a = (ConnectAttempt) key.attachment();
            SocketChannel channel = (SocketChannel) a.channel;
            boolean open;
            try {
                if (!channel.finishConnect()) {
                    continue; // not decided yet
                }
                open = true;
                closeOpen(channel);
            } catch (ConnectException | NoRouteToHostException e) {
                open = false;
                close(channel);
            } catch (IOException e) {
                // a reset after the handshake still means something listens there
                open = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains(
                        "reset");
                close(channel);
            }
            completion.done(a, open);
        }
    }

    /** Closes an open connection with a reset, so the sweep leaves no TIME_WAIT behind. */
    private static void closeOpen(SocketChannel channel) {
        try {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException ignored) {
            // already reset by the peer; a normal close follows
        }
        close(channel);
    }

    private static void close(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // abandoning this socket; nothing to keep
        }
    }

    @Override
    public void abandon(ConnectAttempt a) {
        if (a.channel instanceof SocketChannel channel) {
            close(channel);
        }
    }

    @Override
    public void close() {
        for (SelectionKey key : selector.keys()) {
            close((SocketChannel) key.channel());
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
