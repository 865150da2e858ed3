package org.camaudit.probes.discovery;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * A fake device on one loopback address and UDP port. It records every datagram it receives and
 * answers with whatever its responder returns for that request (nothing when the request is not
 * what the real device would answer).
 */
final class FakeDevice implements AutoCloseable {
    /** Decides the replies to one request; gets the request bytes and who sent them. */
    @FunctionalInterface
    interface Responder extends BiFunction<byte[], InetSocketAddress, List<byte[]>> {
    }

    private final DatagramSocket socket;
    private final Responder responder;
    private final List<byte[]> requests = new CopyOnWriteArrayList<>();
    private final List<InetSocketAddress> senders = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean open = true;

    FakeDevice(String address, int port, Responder responder) throws IOException {
        if (!address.startsWith("127.")) {
            throw new IllegalArgumentException("fake devices live on loopback only");
        }
        this.socket = new DatagramSocket(
                new InetSocketAddress(InetAddress.getByName(address), port));
        this.socket.setSoTimeout(50);
        this.responder = responder;
        this.thread = Thread.ofPlatform().daemon().name("fake-" + address + ":" + port)
                .start(this::serve);
    }

    /** A device that records and never answers. */
    static FakeDevice silent(String address, int port) throws IOException {
        return new FakeDevice(address, port, (request, from) -> List.of());
    }

    private void serve() {
        byte[] buffer = new byte[65536];
        while (open) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return;
            }
            byte[] request = Arrays.copyOfRange(buffer, 0, packet.getLength());
            InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
            requests.add(request);
            senders.add(from);
            for (byte[] reply : responder.apply(request, from)) {
                send(reply, from);
            }
        }
    }

    void send(byte[] data, InetSocketAddress to) {
        try {
            socket.send(new DatagramPacket(data, data.length, to));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    List<byte[]> requests() {
        return new ArrayList<>(requests);
    }

    List<InetSocketAddress> senders() {
        return new ArrayList<>(senders);
    }

    @Override
    public void close() throws InterruptedException {
        open = false;
        socket.close();
        thread.join(1000);
    }
}
