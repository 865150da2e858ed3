package org.camaudit.testbed;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running fleet: every device's listeners and discovery sockets bound on its own loopback
 * address. One selector thread accepts for all listeners and hands each connection to a virtual
 * thread running the personality's conversation; one selector thread answers all datagrams. Close
 * it to stop everything; nothing is left running.
 */
public final class Fleet implements AutoCloseable {
    private record Endpoint(DeviceSpec device, Personality personality, int port) {
    }

    private final List<DeviceSpec> devices;
    private final Selector acceptor;
    private final Selector datagrams;
    private final List<java.nio.channels.Channel> channels = new ArrayList<>();
    private final java.util.Map<Long, Endpoint> udpEndpoints = new java.util.HashMap<>();
    private final List<LoopbackUdp> shared = new ArrayList<>();
    private final ExecutorService conversations = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong datagramsAnswered = new AtomicLong();
    private final Thread acceptThread;
    private final Thread udpThread;
    private volatile boolean running = true;

    private Fleet(List<DeviceSpec> devices) throws IOException {
        this.devices = List.copyOf(devices);
        this.acceptor = Selector.open();
        this.datagrams = Selector.open();
        this.acceptThread = Thread.ofPlatform().daemon().name("testbed-accept").unstarted(
                this::acceptLoop);
        this.udpThread = Thread.ofPlatform().daemon().name("testbed-udp").unstarted(this::udpLoop);
    }

    /**
     * Binds every device and starts serving. Fails as a whole (closing what was bound) when an
     * address or port cannot be bound, naming it.
     */
    public static Fleet start(List<DeviceSpec> devices, Personalities catalog) throws IOException {
        long needed = 64;
        for (DeviceSpec d : devices) {
            Personality p = catalog.get(d.personality());
            needed += p.tcpPorts(d).size() + (LoopbackUdp.available() ? 0 : p.udpPorts(d).size());
        }
        FileLimit.raiseTo(needed + 4096);
        Fleet fleet = new Fleet(devices);
        try {
            for (DeviceSpec d : devices) {
                Personality p = catalog.get(d.personality());
                for (int port : p.tcpPorts(d)) {
                    fleet.listen(d, p, port);
                }
                for (int port : p.udpPorts(d)) {
                    if (LoopbackUdp.available()) {
                        fleet.udpEndpoints.put(key(LoopbackUdp.parse(d.address()), port),
                                new Endpoint(d, p, port));
                    } else {
                        fleet.bindUdp(d, p, port);
                    }
                }
            }
            fleet.openSharedUdp();
        } catch (IOException | RuntimeException e) {
            fleet.close();
            if (String.valueOf(e.getMessage()).contains("Too many open files")) {
                throw new IOException("the fleet needs about " + needed + " sockets, more than"
                        + " this process may open (open-file limit " + FileLimit.raiseTo(0)
                        + "); start fewer devices, or free the UDP discovery ports 1900, 3702, 37020,"
                        + " 37810 and 34569 on lo so that the fleet can share one socket per port",
                        e);
            }
            throw e;
        }
        fleet.acceptThread.start();
        fleet.udpThread.start();
        return fleet;
    }

    private void listen(DeviceSpec d, Personality p, int port) throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open();
        channels.add(s);
        s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        try {
            s.bind(new InetSocketAddress(d.address(), port), 128);
        } catch (IOException e) {
            throw new IOException("cannot listen on " + d.address() + ":" + port + " (" + e
                    .getMessage() + (port < 1024 ? "; ports below 1024 need root" : "") + ")", e);
        }
        s.configureBlocking(false);
        s.register(acceptor, SelectionKey.OP_ACCEPT, new Endpoint(d, p, port));
    }

    private static long key(int address, int port) {
        return ((address & 0xffffffffL) << 16) | port;
    }

    /** One loopback socket per discovery port, answering for every device that has it. */
    private void openSharedUdp() throws IOException {
        java.util.Set<Integer> ports = new java.util.TreeSet<>();
        for (long k : udpEndpoints.keySet()) {
            ports.add((int) (k & 0xffff));
        }
        for (int port : ports) {
            try {
                shared.add(LoopbackUdp.open(port, (destination, p, request) -> {
                    Endpoint e = udpEndpoints.get(key(destination, p));
                    if (e == null) {
                        return Optional.empty();
                    }
                    Optional<byte[]> reply = e.personality().answer(e.device(), p, request);
                    reply.ifPresent(r -> datagramsAnswered.incrementAndGet());
                    return reply;
                }));
            } catch (IOException busy) {
                // another program holds this port on some address: bind each device's own
                for (Endpoint e : udpEndpoints.values()) {
                    if (e.port() == port) {
                        bindUdp(e.device(), e.personality(), port);
                    }
                }
            }
        }
    }

    private void bindUdp(DeviceSpec d, Personality p, int port) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        channels.add(ch);
        try {
            ch.bind(new InetSocketAddress(d.address(), port));
        } catch (IOException e) {
            throw new IOException("cannot bind UDP " + d.address() + ":" + port + " (" + e
                    .getMessage() + ")", e);
        }
        ch.configureBlocking(false);
        ch.register(datagrams, SelectionKey.OP_READ, new Endpoint(d, p, port));
    }

    private void acceptLoop() {
        while (running) {
            try {
                acceptor.select(200);
                for (SelectionKey key : acceptor.selectedKeys()) {
                    Endpoint e = (Endpoint) key.attachment();
                    SocketChannel c = ((ServerSocketChannel) key.channel()).accept();
                    if (c != null) {
                        connections.incrementAndGet();
                        conversations.submit(() -> converse(e, c));
                    }
                }
                acceptor.selectedKeys().clear();
            } catch (IOException | java.nio.channels.ClosedSelectorException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    private static void converse(Endpoint e, SocketChannel channel) {
        try (channel) {
            Socket socket = channel.socket();
            e.personality().converse(e.device(), e.port(), new Connection(socket));
        } catch (IOException | RuntimeException ignored) {
            // a client that hangs up is the client's business
        }
    }

    private void udpLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        while (running) {
            try {
                datagrams.select(200);
                for (SelectionKey key : datagrams.selectedKeys()) {
                    Endpoint e = (Endpoint) key.attachment();
                    DatagramChannel ch = (DatagramChannel) key.channel();
                    buffer.clear();
                    SocketAddress from = ch.receive(buffer);
                    if (from == null) {
                        continue;
                    }
                    byte[] request = new byte[buffer.position()];
                    buffer.flip().get(request);
                    Optional<byte[]> reply;
                    try {
                        reply = e.personality().answer(e.device(), e.port(), request);
                    } catch (RuntimeException bad) {
                        reply = Optional.empty();
                    }
                    if (reply.isPresent()) {
                        ch.send(ByteBuffer.wrap(reply.get()), from);
                        datagramsAnswered.incrementAndGet();
                    }
                }
                datagrams.selectedKeys().clear();
            } catch (IOException | java.nio.channels.ClosedSelectorException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    /** Plans a fleet from count, range, mix and seed, writes its manifest (if asked), starts it. */
    public static Fleet launch(int count, org.camaudit.model.IpRange range,
            java.util.Map<String, Integer> mix, long seed,
            java.util.Optional<java.nio.file.Path> manifest)
            throws IOException {
        return launch(count, range, mix, seed, java.util.Map.of(), manifest);
    }

    /**
     * As {@link #launch(int, org.camaudit.model.IpRange, java.util.Map, long, Optional)}, with
     * {@code behave} devices told to behave ({@link Behaviours#assign}, seeded by {@code seed}).
     */
    public static Fleet launch(int count, org.camaudit.model.IpRange range,
            java.util.Map<String, Integer> mix, long seed, java.util.Map<Behaviour, Integer> behave,
            java.util.Optional<java.nio.file.Path> manifest)
            throws IOException {
        Personalities catalog = Personalities.standard();
        List<DeviceSpec> devices = Behaviours.assign(FleetPlan.generate(count, range, mix, seed,
                catalog), behave, seed);
        if (manifest.isPresent()) {
            Manifest.write(manifest.get(), devices, catalog);
        }
        return start(devices, catalog);
    }

    public List<DeviceSpec> devices() {
        return devices;
    }

    /** Listening and datagram sockets held open. */
    public int sockets() {
        return channels.size() + shared.size();
    }

    public long connectionsAccepted() {
        return connections.get();
    }

    public long datagramsAnswered() {
        return datagramsAnswered.get();
    }

    @Override
    public void close() {
        running = false;
        shared.forEach(LoopbackUdp::close);
        for (java.nio.channels.Channel c : channels) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing everything; nothing to keep
            }
        }
        try {
            acceptor.close();
            datagrams.close();
        } catch (IOException ignored) {
            // selectors hold nothing else
        }
        try {
            acceptThread.join(2000);
            udpThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        conversations.shutdownNow();
    }
}
