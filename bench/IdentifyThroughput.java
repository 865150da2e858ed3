import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.SplittableRandom;
import org.camaudit.model.Identification;
import org.camaudit.model.Observation;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;
import org.camaudit.rules.IdentificationEngine;
import org.camaudit.rules.IdentificationSession;

/**
 * Identification throughput: generates N observations (default 1,000,000) for N/10 devices with a
 * realistic mix of field families (HTTP server/title/body/realm/favicon, RTSP, SADP, DHDiscover,
 * DVRIP, ONVIF, TLS, SSH, open-port sweep results, Nmap imports; Hikvision, Annke-on-Hikvision,
 * Dahua, Amcrest, Xiongmai, Axis, plain Linux hosts), streams them through one identification
 * session, and prints observations/second and peak heap. Generation is timed separately so the
 * figure is the engine's. Run by bench/identify-throughput.sh.
 */
public final class IdentifyThroughput {
    static final String BODY_PAD = "<div class=\"x\">" + "lorem ipsum dolor sit amet ".repeat(40)
            + "</div>";

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        IdentificationEngine engine = IdentificationEngine.shipped();
        // warm-up: 100k observations, discarded
        run(engine, 100_000, 7);
        long t0 = System.nanoTime();
        long generated = generateOnly(n, 42);
        long genNanos = System.nanoTime() - t0;
        long t1 = System.nanoTime();
        List<Identification> out = run(engine, n, 42);
        long totalNanos = System.nanoTime() - t1;
        long engineNanos = Math.max(1, totalNanos - genNanos);
        long known = out.stream().filter(i -> !i.isUnknown()).count();
        long rebrands = out.stream().filter(Identification::oemRebrand).count();
        System.out.printf("observations: %,d  devices: %,d (identified %,d, OEM rebrands %,d)%n",
                n, out.size(), known, rebrands);
        System.out.printf("generation alone: %.2f s (checksum %d)%n", genNanos / 1e9, generated);
        System.out.printf("generate+identify: %.2f s = %,.0f observations/s end to end%n",
                totalNanos / 1e9, n / (totalNanos / 1e9));
        System.out.printf("identification: %,.0f observations/s (engine time %.2f s, one thread)%n",
                n / (engineNanos / 1e9), engineNanos / 1e9);
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        System.out.printf("peak heap (sum of pool peaks): %,d MB%n", peak / (1024 * 1024));
    }

    static long generateOnly(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += observation(i, r).fields().size();
        }
        return sum;
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

    static String mac(String oui, int device) {
        return String.format("%s:%02x:%02x:%02x", oui, (device >> 16) & 0xff, (device >> 8) & 0xff,
                device & 0xff);
    }
}
