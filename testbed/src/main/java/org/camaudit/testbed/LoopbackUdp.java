package org.camaudit.testbed;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.Optional;

/**
 * One UDP socket per discovery port for the whole fleet: bound to the loopback interface only
 * ({@code SO_BINDTODEVICE lo}), it learns each datagram's destination from {@code IP_PKTINFO} and
 * answers from that same address, so every device still replies from its own address while the
 * fleet needs five sockets instead of two per device. Linux, through the Foreign Function and
 * Memory API; {@link #available()} says whether it can be used here.
 */
final class LoopbackUdp implements AutoCloseable {
    /** Answers one datagram sent to {@code destination:port}; empty to stay silent. */
    @FunctionalInterface
    interface Handler {
        Optional<byte[]> answer(int destination, int port, byte[] request);
    }

    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_REUSEADDR = 2;
    private static final int SO_RCVTIMEO = 20;
    private static final int SO_BINDTODEVICE = 25;
    private static final int IPPROTO_IP = 0;
    private static final int IP_PKTINFO = 8;
    private static final int MAX_DATAGRAM = 65536;

    private static final MethodHandle SOCKET;
    private static final MethodHandle SETSOCKOPT;
    private static final MethodHandle BIND;
    private static final MethodHandle RECVMSG;
    private static final MethodHandle SENDMSG;
    private static final MethodHandle CLOSE;
    private static final boolean AVAILABLE;

    static {
        MethodHandle socket = null, setsockopt = null, bind = null, recvmsg = null,
                sendmsg = null, close = null;
        boolean ok = false;
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64") || arch
                .equals("aarch64"))) {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                socket = linker.downcallHandle(libc.find("socket").orElseThrow(), FunctionDescriptor
                        .of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
                setsockopt = linker.downcallHandle(libc.find("setsockopt").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS,
                                JAVA_INT));
                bind = linker.downcallHandle(libc.find("bind").orElseThrow(), FunctionDescriptor.of(
                        JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
                recvmsg = linker.downcallHandle(libc.find("recvmsg").orElseThrow(),
                        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
                sendmsg = linker.downcallHandle(libc.find("sendmsg").orElseThrow(),
                        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
                close = linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor
                        .of(JAVA_INT, JAVA_INT));
                ok = true;
            } catch (RuntimeException | LinkageError e) {
                ok = false;
            }
        }
        SOCKET = socket;
        SETSOCKOPT = setsockopt;
        BIND = bind;
        RECVMSG = recvmsg;
        SENDMSG = sendmsg;
        CLOSE = close;
        AVAILABLE = ok;
    }

    static boolean available() {
        return AVAILABLE && !Boolean.getBoolean("camaudit.testbed.per-device-udp");
    }

    private static final ValueLayout.OfShort NET_SHORT = ValueLayout.JAVA_SHORT.withOrder(
            ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt NET_INT = JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN);

    private final int fd;
    private final int port;
    private final Handler handler;
    private final Thread thread;
    private volatile boolean running = true;

    private LoopbackUdp(int fd, int port, Handler handler) {
        this.fd = fd;
        this.port = port;
        this.handler = handler;
        this.thread = Thread.ofPlatform().daemon().name("testbed-udp-" + port).unstarted(
                this::loop);
    }

    /** Binds {@code lo}, port {@code port}, and starts answering. */
    static LoopbackUdp open(int port, Handler handler) throws IOException {
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = (int) SOCKET.invokeExact(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw new IOException("cannot open a UDP socket");
            }
            MemorySegment one = arena.allocate(JAVA_INT);
            one.set(JAVA_INT, 0, 1);
            MemorySegment lo = arena.allocateFrom("lo");
            MemorySegment timeout = arena.allocate(16, 8); // struct timeval: 200 ms
            timeout.set(JAVA_LONG, 0, 0);
            timeout.set(JAVA_LONG, 8, 200_000);
            MemorySegment any = arena.allocate(16, 4); // sockaddr_in 0.0.0.0:port
            any.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
            any.set(NET_SHORT, 2, (short) port);
            if ((int) SETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_REUSEADDR, one, 4) != 0
                    || (int) SETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_BINDTODEVICE, lo, 3) != 0
                    || (int) SETSOCKOPT.invokeExact(fd, IPPROTO_IP, IP_PKTINFO, one, 4) != 0
                    || (int) SETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_RCVTIMEO, timeout,
                            16) != 0) {
                int ignored = (int) CLOSE.invokeExact(fd);
                throw new IOException("cannot configure the loopback UDP socket for port " + port
                        + " (binding to a device needs CAP_NET_RAW)");
            }
            if ((int) BIND.invokeExact(fd, any, 16) != 0) {
                int ignored = (int) CLOSE.invokeExact(fd);
                throw new IOException("cannot bind UDP port " + port + " on lo (in use?)");
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
        LoopbackUdp udp = new LoopbackUdp(fd, port, handler);
        udp.thread.start();
        return udp;
    }

    private void loop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocate(16, 4);
            MemorySegment data = arena.allocate(MAX_DATAGRAM, 8);
            MemorySegment iov = arena.allocate(16, 8);
            MemorySegment control = arena.allocate(64, 8);
            MemorySegment msg = arena.allocate(56, 8);
            Outgoing out = new Outgoing(arena);
            while (running) {
                iov.set(ADDRESS, 0, data);
                iov.set(JAVA_LONG, 8, MAX_DATAGRAM);
                msg.fill((byte) 0);
                msg.set(ADDRESS, 0, name);
                msg.set(JAVA_INT, 8, 16);
                msg.set(ADDRESS, 16, iov);
                msg.set(JAVA_LONG, 24, 1);
                msg.set(ADDRESS, 32, control);
                msg.set(JAVA_LONG, 40, 64);
                long n = (long) RECVMSG.invokeExact(fd, msg, 0);
                if (n < 0) {
                    continue; // timeout (checks running) or interrupted
                }
                int destination = destination(control, msg.get(JAVA_LONG, 40));
                if (destination == 0) {
                    continue;
                }
                byte[] request = data.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
                Optional<byte[]> reply;
                try {
                    reply = handler.answer(destination, port, request);
                } catch (RuntimeException e) {
                    reply = Optional.empty();
                }
                if (reply.isPresent() && reply.get().length <= MAX_DATAGRAM) {
                    out.send(name, destination, reply.get());
                }
            }
        } catch (Throwable t) {
            // the socket was closed under us: the fleet is stopping
        }
    }

    /** The IPv4 destination (network order as an int) from the IP_PKTINFO control message. */
    private static int destination(MemorySegment control, long length) {
        long offset = 0;
        while (offset + 16 <= length) {
            long cmsgLen = control.get(JAVA_LONG, offset);
            int level = control.get(JAVA_INT, offset + 8);
            int type = control.get(JAVA_INT, offset + 12);
            if (cmsgLen < 16) {
                return 0;
            }
            if (level == IPPROTO_IP && type == IP_PKTINFO && cmsgLen >= 28) {
                return control.get(NET_INT, offset + 16 + 8); // in_pktinfo.ipi_addr
            }
            offset += (cmsgLen + 7) & ~7L;
        }
        return 0;
    }

    /** Buffers for replies, allocated once per socket thread. */
    private final class Outgoing {
        final MemorySegment data;
        final MemorySegment iov;
        final MemorySegment control;
        final MemorySegment msg;

        Outgoing(Arena arena) {
            data = arena.allocate(MAX_DATAGRAM, 8);
            iov = arena.allocate(16, 8);
            control = arena.allocate(32, 8);
            msg = arena.allocate(56, 8);
        }

        void send(MemorySegment to, int source, byte[] reply) throws Throwable {
            MemorySegment.copy(reply, 0, data, ValueLayout.JAVA_BYTE, 0, reply.length);
            iov.set(ADDRESS, 0, data);
            iov.set(JAVA_LONG, 8, reply.length);
            control.fill((byte) 0);
            control.set(JAVA_LONG, 0, 28); // CMSG_LEN(sizeof(struct in_pktinfo))
            control.set(JAVA_INT, 8, IPPROTO_IP);
            control.set(JAVA_INT, 12, IP_PKTINFO);
            control.set(JAVA_INT, 16, 0); // any interface
            control.set(NET_INT, 20, source); // ipi_spec_dst: answer from the device's address
            msg.fill((byte) 0);
            msg.set(ADDRESS, 0, to);
            msg.set(JAVA_INT, 8, 16);
            msg.set(ADDRESS, 16, iov);
            msg.set(JAVA_LONG, 24, 1);
            msg.set(ADDRESS, 32, control);
            msg.set(JAVA_LONG, 40, 32);
            long ignored = (long) SENDMSG.invokeExact(fd, msg, 0);
        }
    }

    /** A dotted-quad text of a network-order IPv4 int. */
    static String text(int address) {
        return ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8)
                & 0xff) + "." + (address & 0xff);
    }

    static int parse(String dotted) {
        String[] p = dotted.split("\\.");
        return (Integer.parseInt(p[0]) << 24) | (Integer.parseInt(p[1]) << 16) | (Integer.parseInt(
                p[2]) << 8) | Integer.parseInt(p[3]);
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            // nothing more to release
        }
    }

}
