package org.camaudit.probes;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * The Linux sweep engine: non-blocking sockets and one epoll set, called through the Foreign
 * Function and Memory API. Per connect: socket (non-blocking from birth), connect, epoll_ctl,
 * a share of one epoll_wait, getsockopt(SO_ERROR), close — about half of what NIO needs, and no
 * exception for a refused port. Confined to the thread that opened it.
 */
final class EpollConnectEngine implements ConnectEngine {
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLLOUT = 0x004;
    private static final int EPOLLERR = 0x008;
    private static final int EPOLLHUP = 0x010;
    private static final int SOL_SOCKET = 1;
    private static final int SO_ERROR = 4;
    private static final int SO_LINGER = 13;
    private static final int EINTR = 4;
    private static final int EINPROGRESS = 115;
    private static final int ECONNREFUSED = 111;
    private static final int ENETUNREACH = 101;
    private static final int EHOSTUNREACH = 113;
    private static final int ETIMEDOUT = 110;
    private static final int ECONNRESET = 104;
    private static final int EPIPE = 32;

    private static final MethodHandle SOCKET;
    private static final MethodHandle CONNECT;
    private static final MethodHandle EPOLL_CREATE1;
    private static final MethodHandle EPOLL_CTL;
    private static final MethodHandle EPOLL_WAIT;
    private static final MethodHandle GETSOCKOPT;
    private static final MethodHandle SETSOCKOPT;
    private static final MethodHandle CLOSE;
    private static final StructLayout CALL_STATE;
    private static final long ERRNO_OFFSET;
    /** struct epoll_event is packed (12 bytes) on x86-64, naturally aligned (16) elsewhere. */
    private static final int EVENT_SIZE;
    private static final int EVENT_DATA_OFFSET;
    private static final String UNAVAILABLE;

    static {
        MethodHandle socket = null, connect = null, create = null, ctl = null, wait = null,
                getsockopt = null, setsockopt = null, close = null;
        StructLayout state = null;
        long errno = 0;
        String why = null;
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
        if (!os.startsWith("linux")) {
            why = "not Linux";
        } else if (!x86 && !arch.equals("aarch64")) {
            why = "untested CPU architecture " + arch;
        } else {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                Linker.Option errnoOption = Linker.Option.captureCallState("errno");
                state = Linker.Option.captureStateLayout();
                errno = state.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
                socket = linker.downcallHandle(libc.find("socket").orElseThrow(), FunctionDescriptor
                        .of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), errnoOption);
                connect = linker.downcallHandle(libc.find("connect").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errnoOption);
                create = linker.downcallHandle(libc.find("epoll_create1").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT));
                ctl = linker.downcallHandle(libc.find("epoll_ctl").orElseThrow(), FunctionDescriptor
                        .of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
                wait = linker.downcallHandle(libc.find("epoll_wait").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                        errnoOption);
                getsockopt = linker.downcallHandle(libc.find("getsockopt").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS,
                                ADDRESS));
                setsockopt = linker.downcallHandle(libc.find("setsockopt").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS,
                                JAVA_INT));
                close = linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor
                        .of(JAVA_INT, JAVA_INT));
            } catch (RuntimeException | LinkageError e) {
                why = "cannot link libc: " + e;
            }
        }
        SOCKET = socket;
        CONNECT = connect;
        EPOLL_CREATE1 = create;
        EPOLL_CTL = ctl;
        EPOLL_WAIT = wait;
        GETSOCKOPT = getsockopt;
        SETSOCKOPT = setsockopt;
        CLOSE = close;
        CALL_STATE = state;
        ERRNO_OFFSET = errno;
        EVENT_SIZE = x86 ? 12 : 16;
        EVENT_DATA_OFFSET = x86 ? 4 : 8;
        UNAVAILABLE = why;
    }

    static boolean available() {
        return UNAVAILABLE == null;
    }

    static String unavailableReason() {
        return UNAVAILABLE == null ? "" : UNAVAILABLE;
    }

    private static final ValueLayout.OfInt INT_UNALIGNED = JAVA_INT.withByteAlignment(1);
    private static final ValueLayout.OfLong LONG_UNALIGNED = ValueLayout.JAVA_LONG
            .withByteAlignment(1);
    private static final ValueLayout.OfShort NET_SHORT = ValueLayout.JAVA_SHORT.withOrder(
            ByteOrder.BIG_ENDIAN).withByteAlignment(1);

    private final Network network;
    private final Arena arena = Arena.ofConfined();
    private final int epfd;
    private final MemorySegment state;
    private final MemorySegment address;
    private final MemorySegment event;
    private final MemorySegment events;
    private final MemorySegment intValue;
    private final MemorySegment intLength;
    private final MemorySegment linger;
    private final int maxEvents;
    private final ConnectAttempt[] slots;
    private final ArrayDeque<Integer> free = new ArrayDeque<>();

    EpollConnectEngine(Network network, int window) throws IOException {
        if (!available()) {
            throw new IOException("epoll engine unavailable: " + UNAVAILABLE);
        }
        this.network = network;
        this.state = arena.allocate(CALL_STATE);
        this.address = arena.allocate(28, 8);
        this.event = arena.allocate(16, 8);
        this.maxEvents = Math.max(16, Math.min(4096, window));
        this.events = arena.allocate((long) EVENT_SIZE * maxEvents, 8);
        this.intValue = arena.allocate(JAVA_INT);
        this.intLength = arena.allocate(JAVA_INT);
        this.linger = arena.allocate(8, 4);
        this.linger.set(JAVA_INT, 0, 1); // l_onoff = 1, l_linger = 0: close sends a reset
        this.linger.set(JAVA_INT, 4, 0);
        this.slots = new ConnectAttempt[window];
        for (int i = 0; i < window; i++) {
            free.push(i);
        }
        try {
            this.epfd = (int) EPOLL_CREATE1.invokeExact(EPOLL_CLOEXEC);
        } catch (Throwable t) {
            arena.close();
            throw new IOException("epoll_create1 failed", t);
        }
        if (epfd < 0) {
            arena.close();
            throw new IOException("epoll_create1 failed");
        }
    }

    private int errno() {
        return state.get(JAVA_INT, ERRNO_OFFSET);
    }

    @Override
    public Outcome start(ConnectAttempt a) throws IOException {
        InetSocketAddress target = new InetSocketAddress(a.host.address, a.port);
        network.admitConnect(target); // scope, rate, count: before any socket exists
        if (free.isEmpty()) {
            throw new IllegalStateException("more attempts in flight than the window");
        }
        boolean v4 = a.host.address instanceof Inet4Address;
        int length = fillAddress(a, v4);
        try {
            int fd = (int) SOCKET.invokeExact(state, v4 ? AF_INET : AF_INET6, SOCK_STREAM
                    | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                return Outcome.LOCAL_ERROR;
            }
            a.started = System.nanoTime();
            int rc = (int) CONNECT.invokeExact(state, fd, address, length);
            int err = rc == 0 ? 0 : errno();
            if (rc == 0) {
                closeWithReset(fd);
                return Outcome.OPEN;
            }
            if (err != EINPROGRESS) {
                closeFd(fd);
                return refusal(err) ? Outcome.REFUSED : Outcome.LOCAL_ERROR;
            }
            int slot = free.pop();
            event.set(INT_UNALIGNED, 0, EPOLLOUT);
            event.set(LONG_UNALIGNED, EVENT_DATA_OFFSET, slot);
            if ((int) EPOLL_CTL.invokeExact(epfd, EPOLL_CTL_ADD, fd, event) != 0) {
                free.push(slot);
                closeFd(fd);
                return Outcome.LOCAL_ERROR;
            }
            a.fd = fd;
            a.slot = slot;
            slots[slot] = a;
            return Outcome.PENDING;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    private static boolean refusal(int errno) {
        return errno == ECONNREFUSED || errno == ENETUNREACH || errno == EHOSTUNREACH
                || errno == ETIMEDOUT || errno == ECONNRESET;
    }

    private int fillAddress(ConnectAttempt a, boolean v4) {
        byte[] raw = a.host.address.getAddress();
        address.fill((byte) 0);
        if (v4) {
            address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
            address.set(NET_SHORT, 2, (short) a.port);
            MemorySegment.copy(raw, 0, address, ValueLayout.JAVA_BYTE, 4, 4);
            return 16;
        }
        address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET6);
        address.set(NET_SHORT, 2, (short) a.port);
        MemorySegment.copy(raw, 0, address, ValueLayout.JAVA_BYTE, 8, 16);
        return 28;
    }

    @Override
    public void await(long millis, Completion completion) throws IOException {
        int n;
        try {
            n = (int) EPOLL_WAIT.invokeExact(state, epfd, events, maxEvents, (int) Math.max(1,
                    Math.min(millis, 100)));
        } catch (Throwable t) {
            throw new IOException(t);
        }
        if (n < 0) {
            if (errno() == EINTR) {
                return;
            }
            throw new IOException("epoll_wait failed, errno " + errno());
        }
        for (int i = 0; i < n; i++) {
            long base = (long) i * EVENT_SIZE;
            int flags = events.get(INT_UNALIGNED, base);
            int slot = (int) events.get(LONG_UNALIGNED, base + EVENT_DATA_OFFSET);
            ConnectAttempt a = slots[slot];
            if (a == null || (flags & (EPOLLOUT | EPOLLERR | EPOLLHUP)) == 0) {
                continue;
            }
            int error = socketError(a.fd);
            // a reset after the handshake still means something listens there: open
            boolean open = error == 0 || error == ECONNRESET || error == EPIPE;
            if (open) {
                closeWithReset(a.fd);
            } else {
                closeFd(a.fd);
            }
            release(a);
            completion.done(a, open);
        }
    }

    private int socketError(int fd) {
        intValue.set(JAVA_INT, 0, -1);
        intLength.set(JAVA_INT, 0, 4);
        try {
            int rc = (int) GETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_ERROR, intValue, intLength);
            return rc == 0 ? intValue.get(JAVA_INT, 0) : -1;
        } catch (Throwable t) {
            return -1;
        }
    }

    private void release(ConnectAttempt a) {
        slots[a.slot] = null;
        free.push(a.slot);
        a.slot = -1;
        a.fd = -1;
    }

    private void closeWithReset(int fd) {
        try {
            int ignored = (int) SETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_LINGER, linger, 8);
        } catch (Throwable t) {
            // a normal close follows
        }
        closeFd(fd);
    }

    private static void closeFd(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd); // also leaves the epoll set
        } catch (Throwable t) {
            // nothing to do about a failed close
        }
    }

    @Override
    public void abandon(ConnectAttempt a) {
        if (a.slot >= 0) {
            closeFd(a.fd);
            release(a);
        }
    }

    @Override
    public void close() {
        for (ConnectAttempt a : slots) {
            if (a != null) {
                abandon(a);
            }
        }
        closeFd(epfd);
        arena.close();
    }
}
