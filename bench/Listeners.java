import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.TreeSet;

/**
 * Benchmark helper: binds TCP listeners on pseudo-random addresses of a loopback /16 and accepts
 * (then closes) every connection until killed. Usage:
 *   java Listeners.java 127.90 COUNT PORTS(comma) SEED EXPECTED_OUT
 * Writes "address:port" lines of every listener to EXPECTED_OUT, then prints "ready".
 */
public class Listeners {
    public static void main(String[] args) throws Exception {
        String prefix = args[0];
        if (!prefix.startsWith("127.")) {
            throw new IllegalArgumentException("loopback only");
        }
        int count = Integer.parseInt(args[1]);
        String[] ports = args[2].split(",");
        Random random = new Random(Long.parseLong(args[3]));
        TreeSet<String> expected = new TreeSet<>();
        Selector selector = Selector.open();
        while (expected.size() < count) {
            String address = prefix + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
            String port = ports[random.nextInt(ports.length)];
            if (!expected.add(address + ":" + port)) {
                continue;
            }
            ServerSocketChannel s = ServerSocketChannel.open();
            s.bind(new InetSocketAddress(address, Integer.parseInt(port)), 128);
            s.configureBlocking(false);
            s.register(selector, SelectionKey.OP_ACCEPT);
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(Path.of(args[4])))) {
            expected.forEach(w::println);
        }
        System.out.println("ready " + expected.size());
        System.out.flush();
        while (true) {
            selector.select();
            for (SelectionKey k : selector.selectedKeys()) {
                SocketChannel c = ((ServerSocketChannel) k.channel()).accept();
                if (c != null) {
                    c.close();
                }
            }
            selector.selectedKeys().clear();
        }
    }
}
