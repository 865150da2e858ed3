package org.camaudit.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.camaudit.model.IpRange;

/**
 * Which devices a fleet has, where: drawn from a mix (personality id → weight) with a seeded
 * random source, so the same count, range, mix and seed always give the same fleet.
 */
public final class FleetPlan {
    private FleetPlan() {
    }

    /** The default mix, from {@code default-mix.txt}: every personality, realistic weights. */
    public static Map<String, Integer> defaultMix() {
        try (InputStream in = FleetPlan.class.getResourceAsStream("default-mix.txt")) {
            return parseMix(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    "default-mix.txt");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a mix file: one {@code personality-id weight} per line, # comments. */
    public static Map<String, Integer> readMix(Path file) throws IOException {
        return parseMix(Files.readString(file), file.toString());
    }

    static Map<String, Integer> parseMix(String text, String name) {
        Map<String, Integer> mix = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            String l = line.replaceAll("#.*", "").trim();
            if (l.isEmpty()) {
                continue;
            }
            String[] parts = l.split("\\s+");
            try {
                int w = Integer.parseInt(parts[1]);
                if (parts.length != 2 || w < 0) {
                    throw new NumberFormatException();
                }
                mix.put(parts[0], w);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(name + " line " + lineNo
                        + ": expected 'personality-id weight', got '" + line.trim() + "'");
            }
        }
        if (mix.values().stream().mapToInt(Integer::intValue).sum() == 0) {
            throw new IllegalArgumentException(name + ": no personality has a weight above 0");
        }
        return mix;
    }

    /**
     * Draws {@code count} devices on distinct addresses of {@code range} (127.0.0.0/8 only; host
     * parts .0 and .255 are skipped). Each personality with weight above 0 appears at least once
     * when the count allows it, then the rest follow the weights.
     */
    public static List<DeviceSpec> generate(int count, IpRange range, Map<String, Integer> mix,
            long seed, Personalities catalog) {
        if (range.family() != 4 || !range.firstAddress().getHostAddress().startsWith("127.")
                || !range.lastAddress().getHostAddress().startsWith("127.")) {
            throw new IllegalArgumentException("the testbed lives on 127.0.0.0/8 only, not "
                    + range);
        }
        mix.keySet().forEach(catalog::get); // unknown ids fail here, with the known list
        List<InetAddress> addresses = addresses(count, range, new SplittableRandom(seed));
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<String> order = new ArrayList<>();
        mix.forEach((id, w) -> {
            if (w > 0 && order.size() < count) {
                order.add(id);
            }
        });
        int total = mix.values().stream().mapToInt(Integer::intValue).sum();
        while (order.size() < count) {
            int x = random.nextInt(total);
            for (Map.Entry<String, Integer> e : mix.entrySet()) {
                x -= e.getValue();
                if (x < 0) {
                    order.add(e.getKey());
                    break;
                }
            }
        }
        List<DeviceSpec> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Personality p = catalog.get(order.get(i));
            out.add(p.create(addresses.get(i).getHostAddress(), random.split()));
        }
        return out;
    }

    private static List<InetAddress> addresses(int count, IpRange range, SplittableRandom r) {
        long first = range.first().longValue();
        long size = range.size().longValue();
        List<Long> usable = new ArrayList<>();
        Set<Long> taken = new HashSet<>();
        long usableCount = 0;
        for (long v = first; v < first + size && usableCount <= count * 4L; v++) {
            long host = v & 0xff;
            if (host != 0 && host != 255) {
                usableCount++;
            }
        }
        if (usableCount < count) {
            throw new IllegalArgumentException(range + " has room for " + usableCount
                    + " devices, fewer than " + count);
        }
        while (usable.size() < count) {
            long v = first + r.nextLong(size);
            long host = v & 0xff;
            if (host == 0 || host == 255 || !taken.add(v)) {
                continue;
            }
            usable.add(v);
        }
        usable.sort(Long::compare);
        List<InetAddress> out = new ArrayList<>(count);
        for (long v : usable) {
            out.add(range.toAddress(BigInteger.valueOf(v)));
        }
        return out;
    }
}
