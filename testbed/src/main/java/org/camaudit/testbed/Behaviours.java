package org.camaudit.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Tells devices how to behave ({@link #assign}) and makes them do it once against a
 * {@link SimulatedInternet} ({@link #perform}). Every socket a behaving device opens is bound to
 * the device's own loopback address, so a capture on {@code lo} shows the device as the sender.
 * Platform threads, not virtual ones: a relay must forward within moments of accepting, as a real
 * one does, even when a busy process has every carrier thread pinned.
 */
public final class Behaviours {
    /** The port a relaying device accepts the outside peer on. */
    public static final int RELAY_PORT = 1080;
    /** Bytes the outside peer pushes through a relay (echoed back by the target). */
    public static final int RELAY_BYTES = 48 * 1024;
    private static final int TIMEOUT_MS = 5000;

    /**
     * What one {@link #perform} did: behaving devices, phone-home attempts and the cloud answers
     * they got, bytes that came back through relays, telnet connection attempts, and what went
     * wrong.
     */
    public record Performed(int devices, int phoneHomes, int cloudAnswers, int relayedBytes,
            int scanAttempts, List<String> errors) {
        public Performed {
            errors = List.copyOf(errors);
        }
    }

    private Behaviours() {
    }

    /**
     * Gives {@code counts} devices each behaviour, chosen with {@code seed} among the devices that
     * suit it and have no behaviour yet (one behaviour per device, so each device's expected
     * findings are plain); phone-home goes to each vendor cloud's devices in turn, so that a few
     * devices cover every simulated cloud. Returns the whole fleet, behaving devices with the
     * {@value Behaviour#ATTRIBUTE} attribute set; fails when too few devices suit.
     */
    public static List<DeviceSpec> assign(List<DeviceSpec> devices, Map<Behaviour, Integer> counts,
            long seed) {
        List<DeviceSpec> out = new ArrayList<>(devices);
        SplittableRandom random = new SplittableRandom(seed);
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        for (Behaviour b : Behaviour.values()) {
            int wanted = counts.getOrDefault(b, 0);
            List<Integer> candidates = new ArrayList<>();
            for (int i = 0; i < out.size(); i++) {
                if (!taken.contains(i) && b.suits(out.get(i))) {
                    candidates.add(i);
                }
            }
            if (candidates.size() < wanted) {
                throw new IllegalArgumentException(wanted + " devices cannot " + b.label()
                        + ": only "
                        + candidates.size() + " suit (phone-home needs a Hikvision, Dahua,"
                        + " Xiongmai or Reolink platform; every behaviour needs a camera, recorder"
                        + " or intercom)");
            }
            for (int i = candidates.size() - 1; i > 0; i--) {
                Collections.swap(candidates, i, random.nextInt(i + 1));
            }
            if (b == Behaviour.PHONE_HOME) {
                candidates = byCloudInTurn(out, candidates);
            }
            for (int i : candidates.subList(0, wanted)) {
                DeviceSpec d = out.get(i);
                Map<String, String> attributes = new HashMap<>(d.attributes());
                attributes.put(Behaviour.ATTRIBUTE, b.label());
                out.set(i, new DeviceSpec(d.address(), d.mac(), d.personality(), d.brand(), d
                        .platform(), d.model(), d.firmware(), d.type(), d.serial(), attributes,
                        d
                                .findings()));
                taken.add(i);
            }
        }
        return List.copyOf(out);
    }

    /** The candidates reordered so that every vendor cloud gets a device in turn. */
    private static List<Integer> byCloudInTurn(List<DeviceSpec> devices, List<Integer> shuffled) {
        Map<String, java.util.ArrayDeque<Integer>> byCloud = new java.util.TreeMap<>();
        for (int i : shuffled) {
            String cloud = VendorCloud.of(devices.get(i)).map(VendorCloud::id).orElse("");
            byCloud.computeIfAbsent(cloud, k -> new java.util.ArrayDeque<>()).add(i);
        }
        List<Integer> out = new ArrayList<>();
        while (out.size() < shuffled.size()) {
            for (java.util.ArrayDeque<Integer> q : byCloud.values()) {
                if (!q.isEmpty()) {
                    out.add(q.poll());
                }
            }
        }
        return out;
    }

    /** Parses {@code phone-home=4,relay=1,telnet-scan=1}. */
    public static Map<Behaviour, Integer> parseCounts(String text) {
        Map<Behaviour, Integer> out = new EnumMap<>(Behaviour.class);
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.split("=", 2);
            Behaviour b = Behaviour.parse(kv[0]).orElseThrow(() -> new IllegalArgumentException(
                    "unknown behaviour '" + kv[0].strip() + "': use phone-home, relay or"
                            + " telnet-scan"));
            int n;
            try {
                n = kv.length == 2 ? Integer.parseInt(kv[1].strip()) : 1;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + part + "': the count is not a number");
            }
            if (n < 0) {
                throw new IllegalArgumentException("'" + part + "': the count is negative");
            }
            out.merge(b, n, Integer::sum);
        }
        return out;
    }

    /**
     * Makes every behaving device do what it was told, once, concurrently, and waits for all.
     * Failures are collected, never thrown: a test asserts there were none.
     */
    public static Performed perform(List<DeviceSpec> devices, SimulatedInternet world) {
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        int[] totals = new int[4];
        int behaving = 0;
        try (ExecutorService pool = Executors
                .newThreadPerTaskExecutor(Thread.ofPlatform().daemon().factory())) {
            for (DeviceSpec d : devices) {
                List<Behaviour> told = Behaviour.of(d);
                if (told.isEmpty()) {
                    continue;
                }
                behaving++;
                for (Behaviour b : told) {
                    pool.submit(() -> {
                        try {
                            int done = switch (b) {
                                case PHONE_HOME -> phoneHome(d, world);
                                case RELAY -> relay(d, world);
                                case TELNET_SCAN -> telnetScan(d, world);
                            };
                            synchronized (totals) {
                                switch (b) {
                                    case PHONE_HOME -> {
                                        totals[0]++;
                                        totals[1] += done;
                                    }
                                    case RELAY -> totals[2] += done;
                                    case TELNET_SCAN -> totals[3] += done;
                                }
                            }
                        } catch (IOException | RuntimeException e) {
                            errors.add(d.address() + " " + b.label() + ": " + e);
                        }
                    });
                }
            }
            pool.shutdown();
            pool.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            errors.add("interrupted");
        }
        return new Performed(behaving, totals[0], totals[1], totals[2], totals[3], new ArrayList<>(
                errors));
    }

    /** Resolves the cloud's name, then one session with it; returns 1 when the cloud answered. */
    private static int phoneHome(DeviceSpec d, SimulatedInternet world) throws IOException {
        VendorCloud cloud = VendorCloud.of(d).orElseThrow(() -> new IOException(
                "no simulated cloud for platform " + d.platform()));
        String address = resolve(d, cloud.name(), world.dnsServer());
        return switch (cloud.transport()) {
            case UDP -> {
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(d.address(), 0))) {
                    s.setSoTimeout(TIMEOUT_MS);
                    byte[] request = ("DHGET /probe/p2psrv HTTP/1.1\r\nCSeq: 1\r\nX-Serial: "
                            + d.serial() + "\r\nContent-Length: 0\r\n\r\n").getBytes(
                                    StandardCharsets.US_ASCII);
                    s.send(new DatagramPacket(request, request.length, new InetSocketAddress(
                            address, cloud.port())));
                    byte[] reply = new byte[2048];
                    DatagramPacket p = new DatagramPacket(reply, reply.length);
                    s.receive(p);
                    yield new String(reply, 0, p.getLength(), StandardCharsets.US_ASCII).startsWith(
                            "HTTP/1.1 200") ? 1 : 0;
                }
            }
            case TLS -> {
                try (Socket raw = boundSocket(d, address, cloud.port())) {
                    SSLSocket tls = (SSLSocket) trustingClient().getSocketFactory().createSocket(
                            raw, cloud.name(), cloud.port(), true);
                    SSLParameters p = tls.getSSLParameters();
                    p.setServerNames(List.of(new SNIHostName(cloud.name())));
                    tls.setSSLParameters(p);
                    tls.startHandshake();
                    yield register(tls, cloud, d);
                }
            }
            case HTTP -> {
                try (Socket s = boundSocket(d, address, cloud.port())) {
                    yield register(s, cloud, d);
                }
            }
        };
    }

    /** POSTs a registration (serial and firmware, as devices do) and reads the answer. */
    private static int register(Socket s, VendorCloud cloud, DeviceSpec d) throws IOException {
        byte[] body = ("{\"SerialNumber\":\"" + d.serial() + "\",\"Firmware\":\"" + d.firmware()
                + "\",\"DevicePort\":34567}").getBytes(StandardCharsets.US_ASCII);
        OutputStream out = s.getOutputStream();
        out.write(("POST /api/device/register HTTP/1.1\r\nHost: " + cloud.name()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        String head = SimulatedInternet.readHead(s.getInputStream());
        return head.startsWith("HTTP/1.1 200") ? 1 : 0;
    }

    private static String resolve(DeviceSpec d, String name, String server) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(d.address(), 0))) {
            s.setSoTimeout(TIMEOUT_MS);
            int id = new SplittableRandom(d.serial().hashCode()).nextInt(65536);
            byte[] q = DnsMessages.query(id, name);
            s.send(new DatagramPacket(q, q.length, new InetSocketAddress(server, 53)));
            byte[] reply = new byte[1500];
            DatagramPacket p = new DatagramPacket(reply, reply.length);
            s.receive(p);
            return DnsMessages.firstAddress(reply, p.getLength(), id).orElseThrow(
                    () -> new IOException("no A record for " + name));
        }
    }

    /**
     * The outside peer connects to the device's relay port and pushes {@link #RELAY_BYTES}; the
     * device forwards them to the relay target, which echoes; the peer reads them all back.
     * Returns the bytes that came back.
     */
    private static int relay(DeviceSpec d, SimulatedInternet world) throws IOException {
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(d.address(), RELAY_PORT), 4);
            listener.setSoTimeout(TIMEOUT_MS);
            Thread forwarder = Thread.ofPlatform().daemon()
                    .start(() -> forward(d, world, listener));
            byte[] payload = new byte[RELAY_BYTES];
            new SplittableRandom(d.serial().hashCode()).nextBytes(payload);
            int back;
            try (Socket peer = new Socket()) {
                peer.bind(new InetSocketAddress(world.relayClient(), 0));
                peer.connect(new InetSocketAddress(d.address(), RELAY_PORT), TIMEOUT_MS);
                peer.setSoTimeout(TIMEOUT_MS);
                Thread writer = Thread.ofPlatform().daemon().start(() -> {
                    try {
                        peer.getOutputStream().write(payload);
                        peer.shutdownOutput();
                    } catch (IOException ignored) {
                        // the read below reports the shortfall
                    }
                });
                back = peer.getInputStream().readAllBytes().length;
                writer.join(TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            try {
                forwarder.join(TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (back != RELAY_BYTES) {
                throw new IOException("the relay returned " + back + " of " + RELAY_BYTES
                        + " bytes");
            }
            return back;
        }
    }

    /** The device side of a relay: accept once, connect onward, copy both ways. */
    private static void forward(DeviceSpec d, SimulatedInternet world, ServerSocket listener) {
        try (Socket in = listener.accept();
                Socket out = boundSocket(d, world.relayTarget(),
                        SimulatedInternet.RELAY_TARGET_PORT)) {
            Thread up = Thread.ofPlatform().daemon().start(() -> pump(in, out));
            pump(out, in);
            up.join(TIMEOUT_MS);
        } catch (IOException | InterruptedException ignored) {
            // the peer's count of returned bytes tells whether the relay worked
        }
    }

    private static void pump(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            in.transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException ignored) {
            // one direction ended
        }
    }

    /** Tries TCP 23 on every scan target (nothing listens: each try is SYN, then reset). */
    private static int telnetScan(DeviceSpec d, SimulatedInternet world) throws IOException {
        int tried = 0;
        for (String target : world.scanTargets()) {
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(d.address(), 0));
                s.connect(new InetSocketAddress(target, 23), 500);
            } catch (ConnectException | SocketTimeoutException refused) {
                // the expected outcome: nobody there
            }
            tried++;
        }
        return tried;
    }

    private static Socket boundSocket(DeviceSpec d, String address, int port) throws IOException {
        Socket s = new Socket();
        try {
            s.bind(new InetSocketAddress(d.address(), 0));
            s.connect(new InetSocketAddress(address, port), TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** A simulated device trusts its simulated cloud's certificate without checking it. */
    private static SSLContext trustingClient() throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[]{new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                    // testbed only: the simulated firmware does not verify
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                    // testbed only: the simulated firmware does not verify
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("no TLS client: " + e.getMessage(), e);
        }
    }
}
