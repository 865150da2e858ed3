package org.camaudit.probes.discovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.camaudit.model.Excerpt;
import org.camaudit.model.Observation;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;
import org.camaudit.probes.Network;
import org.camaudit.probes.ScopeGuard;
import org.camaudit.probes.ScopeRefusedException;

/**
 * Unicast UDP discovery. Sends each protocol's SAFE-PROBE request (WS-Discovery, SSDP, SADP,
 * DHDiscover, DVRIP; see the payload files beside this class) to every target through
 * {@link Network#send}, which applies the scope and the rate, and reads replies on the same
 * non-blocking socket between sends, so a large scope does not overflow the receive buffer. Each
 * reply from inside the scope becomes one observation (source ACTIVE, transport UDP, port = the
 * device's source port); a reply that does not parse becomes an observation with {@code error} and
 * a raw excerpt; a reply from outside the scope is counted and dropped, never stored.
 */
public final class UdpDiscovery {
    /** The largest datagram read; anything beyond is cut by the kernel and never seen. */
    static final int MAX_DATAGRAM = 64 * 1024;
    /** Requested receive buffer; the kernel may grant less. */
    static final int RECEIVE_BUFFER = 4 * 1024 * 1024;
    /** Protocol label for a reply no descriptor recognises. */
    static final String UNKNOWN = "udp-discovery";
    /** Datagrams read at most between two sends, so a flood cannot stop sending. */
    private static final int MAX_READS_PER_TURN = 1024;
    private static final int SEND_ATTEMPTS = 3;

    private final Network network;
    private final Duration quiet;
    private final boolean multicast;
    private final List<DiscoveryProtocol> protocols;
    private final Map<Integer, DiscoveryProtocol> byPort;

    /** quiet = how long to keep listening after the last datagram was sent. */
    public UdpDiscovery(Network network, Duration quiet, boolean multicast) {
        this.network = Objects.requireNonNull(network, "network");
        this.quiet = Objects.requireNonNull(quiet, "quiet");
        if (quiet.isNegative()) {
            throw new IllegalArgumentException("quiet period must not be negative");
        }
        this.multicast = multicast;
        this.protocols = protocols();
        this.byPort = protocols.stream()
                .collect(
                        Collectors.toUnmodifiableMap(DiscoveryProtocol::port, Function.identity()));
    }

    /** Every protocol sent to each target, in sending order. */
    static List<DiscoveryProtocol> protocols() {
        return List.of(WsDiscovery.protocol(), Ssdp.protocol(), Sadp.protocol(),
                DhDiscover.protocol(), DvripDiscovery.protocol());
    }

    /**
     * Counts of one run.
     *
     * @param datagramsSent requests that left the socket
     * @param replies datagrams received from inside the scope, each turned into an observation
     * @param droppedOutOfScope datagrams received from outside the scope, dropped unread
     * @param malformed replies (counted in {@code replies}) that did not parse: error observations
     */
    public record Result(long datagramsSent, long replies, long droppedOutOfScope, long malformed) {
        public Result {
            if (datagramsSent < 0 || replies < 0 || droppedOutOfScope < 0 || malformed < 0) {
                throw new IllegalArgumentException("counts cannot be negative");
            }
        }
    }

    /**
     * Sends each protocol's SAFE-PROBE request to each target (unicast, via network.send), collects
     * replies, turns each into an Observation (source ACTIVE, transport UDP, port = the device's
     * source port). Returns counts. Never throws for device behaviour.
     *
     * @throws UncheckedIOException if no UDP socket can be opened at all
     */
    public Result run(Iterator<InetAddress> targets, Consumer<Observation> sink) {
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(sink, "sink");
        try (Session session = new Session(sink)) {
            return session.run(targets);
        } catch (IOException e) {
            throw new UncheckedIOException("udp discovery: cannot open a UDP socket", e);
        }
    }

    /** One run's sockets, buffer and counters; used by one thread. */
    private final class Session implements AutoCloseable {
        private final Consumer<Observation> sink;
        private final ScopeGuard guard = network.guard();
        private final Selector selector;
        private final DatagramChannel v4;
        private DatagramChannel v6;
        private boolean v6Failed;
        private final ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
        private long sent;
        private long replies;
        private long dropped;
        private long malformed;

        Session(Consumer<Observation> sink) throws IOException {
            this.sink = sink;
            this.selector = Selector.open();
            try {
                this.v4 = open(StandardProtocolFamily.INET);
            } catch (IOException | RuntimeException e) {
                selector.close();
                throw e;
            }
        }

        private DatagramChannel open(StandardProtocolFamily family) throws IOException {
            DatagramChannel channel = DatagramChannel.open(family);
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
                if (multicast) {
                    channel.setOption(StandardSocketOptions.SO_BROADCAST, true);
                    channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1);
                }
                channel.bind(null);
                channel.register(selector, SelectionKey.OP_READ);
                return channel;
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }

        private DatagramChannel channelFor(InetAddress target) {
            if (!(target instanceof Inet6Address)) {
                return v4;
            }
            if (v6 == null && !v6Failed) {
                try {
                    v6 = open(StandardProtocolFamily.INET6);
                } catch (IOException | UnsupportedOperationException e) {
                    v6Failed = true;
                }
            }
            return v6;
        }

        Result run(Iterator<InetAddress> targets) throws IOException {
            if (multicast) {
                for (DiscoveryProtocol p : protocols) {
                    InetSocketAddress group = p.groupDestination();
                    if (guard.allows(group.getAddress())) {
                        send(v4, p, group);
                    }
                }
            }
            while (targets.hasNext() && !Thread.currentThread().isInterrupted()) {
                InetAddress target = targets.next();
                if (target == null || !guard.allows(target)) {
                    continue;
                }
                DatagramChannel channel = channelFor(target);
                if (channel == null) {
                    continue;
                }
                for (DiscoveryProtocol p : protocols) {
                    send(channel, p, new InetSocketAddress(target, p.port()));
                }
            }
            listen(quiet);
            return new Result(sent, replies, dropped, malformed);
        }

        /** Reads what has arrived, then sends; retries briefly when the send buffer is full. */
        private void send(DatagramChannel channel, DiscoveryProtocol p,
                InetSocketAddress destination) throws IOException {
            ByteBuffer payload = ByteBuffer.wrap(p.request(destination));
            for (int attempt = 0; attempt < SEND_ATTEMPTS; attempt++) {
                readReady(selector.selectNow());
                try {
                    network.send(channel, payload, destination);
                } catch (ScopeRefusedException e) {
                    return;
                } catch (IOException e) {
                    return; // unreachable network or similar: this datagram is lost, the scan goes on
                }
                if (!payload.hasRemaining()) {
                    sent++;
                    return;
                }
                listen(Duration.ofMillis(5));
            }
        }

        /** Reads replies until {@code period} has passed. */
        private void listen(Duration period) throws IOException {
            long deadline = System.nanoTime() + period.toNanos();
            do {
                long left = deadline - System.nanoTime();
                long millis = TimeUnit.NANOSECONDS.toMillis(left);
                int ready = millis > 0 ? selector.select(millis) : selector.selectNow();
                readReady(ready);
            } while (deadline - System.nanoTime() > 0 && !Thread.currentThread().isInterrupted());
        }

        private void readReady(int ready) {
            if (ready == 0) {
                return;
            }
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                if (key.isValid() && key.isReadable()) {
                    drain((DatagramChannel) key.channel());
                }
            }
        }

        private void drain(DatagramChannel channel) {
            for (int i = 0; i < MAX_READS_PER_TURN; i++) {
                buffer.clear();
                SocketAddress from;
                try {
                    from = channel.receive(buffer);
                } catch (IOException e) {
                    return; // an ICMP error surfaced on the socket; keep going on the next turn
                }
                if (from == null) {
                    return;
                }
                buffer.flip();
                handle((InetSocketAddress) from, buffer.array(), buffer.remaining());
            }
        }

        private void handle(InetSocketAddress from, byte[] data, int length) {
            InetAddress address = from.getAddress();
            if (!guard.allows(address)) {
                dropped++;
                return;
            }
            replies++;
            Observation.Builder out = Observation.builder(Source.ACTIVE, address.getHostAddress())
                    .time(Instant.now())
                    .port(from.getPort())
                    .transport(Transport.UDP)
                    .raw(Excerpt.of(data, 0, length));
            DiscoveryProtocol protocol = match(from.getPort(), data, length);
            if (protocol == null) {
                out.protocol(UNKNOWN).error("unrecognised reply (" + length + " bytes)");
                malformed++;
            } else {
                out.protocol(protocol.name());
                try {
                    protocol.parser().parse(data, length, out);
                } catch (MalformedReplyException e) {
                    out.error(e.getMessage());
                    malformed++;
                } catch (RuntimeException e) {
                    out.error(protocol.name() + ": unreadable reply: "
                            + e.getClass().getSimpleName());
                    malformed++;
                }
            }
            sink.accept(out.build());
        }

        private DiscoveryProtocol match(int sourcePort, byte[] data, int length) {
            DiscoveryProtocol byItsPort = byPort.get(sourcePort);
            if (byItsPort != null) {
                return byItsPort;
            }
            for (DiscoveryProtocol p : protocols) {
                if (p.recogniser().recognises(data, length)) {
                    return p;
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            List<IOException> failures = new ArrayList<>();
            for (AutoCloseable c : new AutoCloseable[]{v6, v4, selector}) {
                if (c == null) {
                    continue;
                }
                try {
                    c.close();
                } catch (IOException e) {
                    failures.add(e);
                } catch (Exception e) {
                    failures.add(new IOException(e));
                }
            }
            if (!failures.isEmpty()) {
                throw failures.get(0);
            }
        }
    }
}
