package org.camaudit.probes;

import java.net.InetAddress;

/** One TCP connect of the sweep: a host, a port, which try, and the engine's handle on it. */
final class ConnectAttempt {
    /** A host of the sweep and how many of its ports are still undecided. */
    static final class Host {
        final InetAddress address;
        int pending;

        Host(InetAddress address, int pending) {
            this.address = address;
            this.pending = pending;
        }
    }

    final Host host;
    final int port;
    final int tries;
    /** System.nanoTime() just before the connect was sent. */
    long started;
    boolean done;
    /** The engine's handle: a SocketChannel for NIO, a slot in the epoll table for the native one. */
    Object channel;
    int fd = -1;
    int slot = -1;

    ConnectAttempt(Host host, int port, int tries) {
        this.host = host;
        this.port = port;
        this.tries = tries;
    }
}
