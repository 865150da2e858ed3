import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.camaudit.knowledge.KnowledgePacks;
import org.camaudit.model.Identification;
import org.camaudit.model.Observation;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;
import org.camaudit.rules.IdentificationEngine;
import org.camaudit.rules.IdentificationSession;
import org.camaudit.rules.RulePacks;

/**
 * Identification throughput: generates N observations (default 1,000,000) for N/10 devices with a
 * realistic mix of field families (HTTP server/title/body/realm/favicon, RTSP, SADP, DHDiscover,
 * DVRIP, ONVIF, TLS, SSH, open-port sweep results, Nmap imports; Hikvision, Annke-on-Hikvision,
 * Dahua, Amcrest, Xiongmai, Axis, plain Linux hosts), streams them through one identification
 * session, and prints observations/second and peak heap. Observations are generated in chunks
 * outside the clock, so the figure is the engine's (accept and finish); the engine's thread CPU
 * time is printed too (less sensitive to a busy machine than wall time). Run by
 * bench/identify-throughput.sh.
 *
 * <p>
 * Arguments: {@code N [MULTIPLE [REPEATS]]}: the measured run is repeated REPEATS times (3) and
 * the best wall and best CPU figures are printed last, as a busy machine only ever slows a run
 * down. With MULTIPLE above 1 the engine gets generated SYNTHETIC rules
 * besides the shipped ones until it holds MULTIPLE times the shipped count (see
 * {@link #synthetic}). The system property {@code camaudit.identify.plainLoop=true} makes the
 * engine try every rule of a key on each value (the matching before the compiled matcher).
 */
public final class IdentifyThroughput {
    static final String BODY_PAD = "<div class=\"x\">" + "lorem ipsum dolor sit amet ".repeat(40)
            + "</div>";

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int multiple = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        RulePacks shipped = RulePacks.shipped();
        RulePacks packs = multiple > 1 ? synthetic(shipped, multiple * shipped.ruleCount(), 4242)
                : shipped;
        IdentificationEngine engine = new IdentificationEngine(packs);
        int extra = packs.ruleCount() - shipped.ruleCount();
        System.out.printf("rules: %,d%s; matcher: %s%n", packs.ruleCount(), extra == 0
                ? " (shipped)"
                : String.format(" = %,d shipped + %,d SYNTHETIC (generated for this benchmark,"
                        + " not shipped)", shipped.ruleCount(), extra), Boolean.getBoolean(
                                IdentificationEngine.PLAIN_LOOP_PROPERTY)
                                        ? "plain loop (every rule of a key on each value)"
                                        : "compiled (candidates only)");
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        // warm-up: 100k observations, discarded
        run(engine, 100_000, 7);
        double bestWall = 0;
        double bestCpu = 0;
        String bestWallLine = "";
        String bestCpuLine = "";
        List<Identification> out = List.of();
        for (int rep = 1; rep <= repeats; rep++) {
            Measured m = timed(engine, n, 42);
            out = m.out();
            double wall = n / (m.wallNanos() / 1e9);
            double onCpu = n / (m.cpuNanos() / 1e9);
            System.out.printf("run %d: %,.0f observations/s wall (engine %.2f s, of which finish()"
                    + " %.2f s), %,.0f by thread CPU (engine CPU %.2f s, of which finish()"
                    + " %.2f s)%n", rep, wall, m.wallNanos() / 1e9, m.finishWallNanos() / 1e9,
                    onCpu, m.cpuNanos() / 1e9, m.finishCpuNanos() / 1e9);
            if (wall > bestWall) {
                bestWall = wall;
                bestWallLine = String.format("identification: %,.0f observations/s (engine time"
                        + " %.2f s, one thread; best wall of %d runs)", wall, m.wallNanos() / 1e9,
                        repeats);
            }
            if (onCpu > bestCpu) {
                bestCpu = onCpu;
                bestCpuLine = String.format("identification by thread CPU time: %,.0f"
                        + " observations/s (engine CPU %.2f s, of which finish() deciding %,d"
                        + " devices %.2f s; best of %d runs)", onCpu, m.cpuNanos() / 1e9, out
                                .size(), m.finishCpuNanos() / 1e9, repeats);
            }
        }
        long known = out.stream().filter(i -> !i.isUnknown()).count();
        long rebrands = out.stream().filter(Identification::oemRebrand).count();
        System.out.printf("observations: %,d  devices: %,d (identified %,d, OEM rebrands %,d)%n",
                n, out.size(), known, rebrands);
        System.out.println(bestWallLine);
        System.out.println(bestCpuLine);
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        System.out.printf("peak heap (sum of pool peaks): %,d MB%n", peak / (1024 * 1024));
    }

    /** One measured run: engine time (accept and finish) with generation left out. */
    record Measured(List<Identification> out, long wallNanos, long cpuNanos, long finishWallNanos,
            long finishCpuNanos) {
    }

    /**
     * Generates the observations in chunks of 100,000 outside the clock, then times only the
     * session's accept() over each chunk and its finish(): wall and this thread's CPU time.
     */
    static Measured timed(IdentificationEngine engine, int n, long seed) {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        SplittableRandom r = new SplittableRandom(seed);
        IdentificationSession s = engine.newSession();
        Observation[] chunk = new Observation[Math.min(n, 100_000)];
        long wall = 0;
        long onCpu = 0;
        for (int i = 0; i < n; ) {
            int m = Math.min(chunk.length, n - i);
            for (int k = 0; k < m; k++) {
                chunk[k] = observation(i + k, r);
            }
            long c = cpu.getCurrentThreadCpuTime();
            long t = System.nanoTime();
            for (int k = 0; k < m; k++) {
                s.accept(chunk[k]);
            }
            wall += System.nanoTime() - t;
            onCpu += cpu.getCurrentThreadCpuTime() - c;
            i += m;
        }
        java.util.Arrays.fill(chunk, null);
        long c = cpu.getCurrentThreadCpuTime();
        long t = System.nanoTime();
        List<Identification> out = s.finish();
        long finishWall = System.nanoTime() - t;
        long finishCpu = cpu.getCurrentThreadCpuTime() - c;
        return new Measured(out, Math.max(1, wall + finishWall), Math.max(1, onCpu + finishCpu),
                finishWall, finishCpu);
    }

    static List<Identification> run(IdentificationEngine engine, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        IdentificationSession s = engine.newSession();
        for (int i = 0; i < n; i++) {
            s.accept(observation(i, r));
        }
        return s.finish();
    }

    static Observation observation(int i, SplittableRandom r) {
        int device = i / 10;
        String address = "10." + ((device >> 16) & 0xff) + "." + ((device >> 8) & 0xff) + "."
                + (device & 0xff);
        int kind = device % 8;
        int slot = i % 10;
        Observation.Builder b = Observation.builder(Source.ACTIVE, address);
        switch (slot) {
            case 0, 1, 2 -> {
                int[] ports = {80, 554, 8000, 443, 22, 37777, 34567};
                b.protocol("tcp").port(ports[r.nextInt(ports.length)]).transport(Transport.TCP)
                        .field("state", "open").field("rtt_us", Integer.toString(r.nextInt(
                                2000)));
            }
            case 3, 4 -> {
                b.protocol("http").port(80).transport(Transport.TCP).field("http.status", "200")
                        .field("http.path", "/");
                switch (kind) {
                    case 0, 1 -> b.field("http.server", "App-webs/").field("http.title", kind == 1
                            ? "ANNKE NVR"
                            : "").field("http.body", BODY_PAD
                                    + "<script>window.location.href=\"/doc/page/login.asp?_\"</script>");
                    case 2, 3 -> b.field("http.title", "WEB SERVICE").field("http.body", BODY_PAD
                            + "jsBase/lib/jquery.js?version=@WebVersion@ ui-dialog-content"
                            + (kind == 3 ? " Copyright 2019 Amcrest Technologies" : ""));
                    case 4 -> b.field("http.server", "uc-httpd 1.0.0").field("http.title",
                            "NETSurveillance WEB").field("http.body", BODY_PAD);
                    case 5 -> b.field("http.server", "Apache").field("http.title",
                            "AXIS M3045-V Network Camera").field("http.body", BODY_PAD);
                    default -> b.field("http.server", "nginx/1.24.0").field("http.title",
                            "Welcome to nginx!").field("http.body", BODY_PAD);
                }
            }
            case 5 -> {
                b.protocol("http").port(80).transport(Transport.TCP).field("http.path",
                        "/favicon.ico").field("http.favicon_mmh3", Integer.toString(kind == 0
                                ? 999357577
                                : r.nextInt())).field("http.favicon_md5", Long.toHexString(r
                                        .nextLong()));
            }
            case 6 -> {
                b.protocol("rtsp").port(554).transport(Transport.TCP).field("rtsp.status", "401")
                        .field("rtsp.public", "OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN");
                switch (kind) {
                    case 2, 3 -> b.field("rtsp.server", "Dahua Rtsp Server").field(
                            "rtsp.www_authenticate", "Digest realm=\"Login to 4K05D8APAZ3B2C1\","
                                    + " nonce=\"" + r.nextInt() + "\"");
                    case 4 -> b.field("rtsp.server", "H264DVR 1.0");
                    case 0, 1 -> b.field("rtsp.www_authenticate",
                            "Digest realm=\"IP Camera(C6121)\", nonce=\"" + r.nextInt() + "\"");
                    default -> b.field("rtsp.server", "GStreamer RTSP server");
                }
            }
            case 7 -> {
                b.transport(Transport.UDP);
                switch (kind) {
                    case 0, 1 -> b.protocol("sadp").port(37020).mac(mac("bc:ad:28", device))
                            .field("sadp.DeviceDescription", kind == 0
                                    ? "DS-2CD2142FWD-I"
                                    : "DS-7608NI-K2").field("sadp.SoftwareVersion",
                                            "V5.5.0build 170725").field("sadp.OEMInfo", kind == 1
                                                    ? "ANNKE"
                                                    : "hikvision").field("sadp.CommandPort",
                                                            "8000").field("sadp.HttpPort", "80")
                            .field("sadp.Activated", "true");
                    case 2, 3 -> b.protocol("dhdiscover").port(37810).mac(mac("3c:ef:8c", device))
                            .field("dhdiscover.DeviceType", "IPC-HDW5231R-ZE").field(
                                    "dhdiscover.Vendor", kind == 3 ? "Amcrest" : "General")
                            .field("dhdiscover.Version", "2.800.0000000.25.R").field(
                                    "dhdiscover.IPv4Address.IPAddress", address);
                    case 4 -> b.protocol("dvrip-discovery").port(34569).field("dvrip.HostName",
                            "LocalHost").field("dvrip.SN", Long.toHexString(r.nextLong()));
                    default -> b.protocol("ssdp").port(1900).field("upnp.server",
                            "Linux/5.10 UPnP/1.0 MiniUPnPd/2.2");
                }
            }
            case 8 -> {
                b.protocol("onvif").port(80).transport(Transport.TCP).field("onvif.operation",
                        "GetDeviceInformation");
                switch (kind) {
                    case 0 -> b.field("onvif.manufacturer", "HIKVISION").field("onvif.model",
                            "DS-2CD2142FWD-I").field("onvif.firmware", "V5.5.0 build 170725");
                    case 2 -> b.field("onvif.manufacturer", "Dahua").field("onvif.model",
                            "IPC-HDW5231R-ZE");
                    case 5 -> b.field("onvif.manufacturer", "AXIS").field("onvif.model",
                            "M3045-V");
                    default -> b.field("onvif.fault", "ter:NotAuthorized");
                }
            }
            default -> {
                if (kind >= 6) {
                    b.protocol("ssh").port(22).transport(Transport.TCP).field("ssh.banner",
                            "SSH-2.0-OpenSSH_9.2p1 Debian-2");
                } else {
                    b.protocol("https").port(443).transport(Transport.TCP).field("tls.subject",
                            kind <= 1
                                    ? "CN=www.hikvision.com,OU=DVRNVR,O=HIKVISION,L=HangZhou,ST=ZheJiang,C=CN"
                                    : "CN=" + address).field("tls.issuer", "CN=" + address);
                }
            }
        }
        return b.build();
    }

    /**
     * The shipped packs plus generated SYNTHETIC rules up to {@code total}: siblings of the
     * shipped rules taken in turn, each on the same fields with the same match kind, case rule,
     * confidence and type, its literal text put through a random letter substitution (regex
     * syntax, classes and group names kept), and the shipped rule's first example put through the
     * same substitution as its example. A sibling whose example no longer matches (a class such
     * as [a-f] that the substitution leaves) is dropped. Siblings yield only a model named
     * "synthetic" (and what their regex captures), never a vendor, so they cannot change who a
     * device is. Each shipped file gets one synthetic file after all shipped files.
     */
    static RulePacks synthetic(RulePacks shipped, int total, long seed) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<JsonNode> templates = new ArrayList<>();
        List<String> templateFiles = new ArrayList<>();
        for (String file : KnowledgePacks.FINGERPRINTS) {
            JsonNode root;
            try (InputStream in = KnowledgePacks.open(file).orElseThrow()) {
                root = yaml.readTree(in);
            } catch (IOException e) {
                throw new IllegalStateException(file + ": " + e.getMessage(), e);
            }
            for (JsonNode r : root.path("rules")) {
                String kind = r.path("match").asText();
                if (kind.equals("present") || r.path("examples").isEmpty()) {
                    continue;
                }
                List<String> fields = new ArrayList<>();
                if (r.has("field")) {
                    fields.add(r.get("field").asText());
                }
                r.path("fields").forEach(f -> fields.add(f.asText()));
                if (fields.isEmpty()) {
                    root.path("default_fields").forEach(f -> fields.add(f.asText()));
                }
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("fields", fields);
                t.put("match", kind);
                t.put("value", r.path("value").asText());
                t.put("case_sensitive", r.path("case_sensitive").asBoolean(false));
                t.put("confidence", r.path("confidence").asDouble());
                t.put("type", r.path("type").asText(""));
                t.put("example", r.path("examples").get(0).path("value").asText());
                templates.add(yaml.valueToTree(t));
                templateFiles.add(file);
            }
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, List<Map<String, Object>>> byFile = new LinkedHashMap<>();
        int need = total - shipped.ruleCount();
        int made = 0;
        for (int i = 0; made < need && i < need * 20; i++) {
            JsonNode t = templates.get(i % templates.size());
            Map<String, Object> rule = sibling(t, "synthetic-" + made, rnd);
            if (rule != null) {
                byFile.computeIfAbsent(templateFiles.get(i % templates.size()),
                        k -> new ArrayList<>()).add(rule);
                made++;
            }
        }
        RulePacks out = shipped;
        for (Map.Entry<String, List<Map<String, Object>>> f : byFile.entrySet()) {
            try {
                out = out.plus("synthetic/" + f.getKey(), yaml.writeValueAsString(Map.of("rules",
                        f.getValue())));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** One synthetic sibling of a template rule, or null when its example would not match. */
    static Map<String, Object> sibling(JsonNode t, String id, SplittableRandom rnd) {
        char[] lower = shuffled("abcdefghijklmnopqrstuvwxyz", rnd);
        char[] digits = shuffled("0123456789", rnd);
        String kind = t.path("match").asText();
        String value = t.path("value").asText();
        // hex digits stay hex: a hex prefix changes its digits only
        char[] letters = kind.equals("hex_prefix")
                ? "abcdefghijklmnopqrstuvwxyz".toCharArray()
                : lower;
        String example = substitute(t.path("example").asText(), letters, digits, false);
        String newValue = substitute(value, letters, digits, kind.equals("regex"));
        boolean cs = t.path("case_sensitive").asBoolean();
        boolean ok;
        switch (kind) {
            case "regex" -> {
                try {
                    ok = Pattern.compile(newValue).matcher(example).find();
                } catch (PatternSyntaxException e) {
                    ok = false;
                }
            }
            case "exact" -> ok = cs ? example.equals(newValue) : example.equalsIgnoreCase(newValue);
            case "hex_prefix" -> ok = example.toLowerCase().startsWith(newValue.toLowerCase());
            case "prefix" -> ok = (cs ? example : example.toLowerCase()).startsWith(cs
                    ? newValue
                    : newValue.toLowerCase());
            default -> ok = (cs ? example : example.toLowerCase()).contains(cs
                    ? newValue
                    : newValue.toLowerCase());
        }
        if (!ok || newValue.equals(value)) {
            return null;
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id);
        r.put("fields", yamlList(t.path("fields")));
        r.put("match", kind);
        r.put("value", newValue);
        if (cs) {
            r.put("case_sensitive", true);
        }
        r.put("model", "synthetic");
        if (!t.path("type").asText().isEmpty()) {
            r.put("type", t.path("type").asText());
        }
        r.put("confidence", t.path("confidence").asDouble());
        r.put("source", "SYNTHETIC: generated by bench/IdentifyThroughput.java, not a real fact");
        r.put("examples", List.of(Map.of("value", example)));
        return r;
    }

    /** The chars of {@code s} in a random order (Fisher-Yates). */
    static char[] shuffled(String s, SplittableRandom rnd) {
        char[] out = s.toCharArray();
        for (int i = out.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            char c = out[i];
            out[i] = out[j];
            out[j] = c;
        }
        return out;
    }

    static List<String> yamlList(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }

    /**
     * Puts the ASCII letters and digits of {@code text} through the substitutions {@code lower}
     * and {@code digits} (upper case kept). In a regex, escapes, classes, group headers and counts
     * are kept as they are.
     */
    static String substitute(String text, char[] lower, char[] digits, boolean regex) {
        StringBuilder sb = new StringBuilder(text.length());
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (regex) {
                if (c == '\\' && i + 1 < text.length()) {
                    sb.append(c).append(text.charAt(++i));
                    continue;
                }
                if (c == '[') {
                    depth++;
                } else if (c == ']' && depth > 0) {
                    depth--;
                } else if (depth == 0 && c == '(' && i + 1 < text.length() && text.charAt(i
                        + 1) == '?') {
                    int end = i + 2;
                    while (end < text.length() && ":)>=!".indexOf(text.charAt(end)) < 0) {
                        end++;
                    }
                    sb.append(text, i, Math.min(text.length(), end + 1));
                    i = end;
                    continue;
                } else if (depth == 0 && c == '{') {
                    int end = text.indexOf('}', i);
                    if (end > 0) {
                        sb.append(text, i, end + 1);
                        i = end;
                        continue;
                    }
                }
                if (depth > 0) {
                    sb.append(c);
                    continue;
                }
            }
            if (c >= 'a' && c <= 'z') {
                sb.append(lower[c - 'a']);
            } else if (c >= 'A' && c <= 'Z') {
                sb.append(Character.toUpperCase(lower[c - 'A']));
            } else if (c >= '0' && c <= '9') {
                sb.append(digits[c - '0']);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static String mac(String oui, int device) {
        return String.format("%s:%02x:%02x:%02x", oui, (device >> 16) & 0xff, (device >> 8) & 0xff,
                device & 0xff);
    }
}
