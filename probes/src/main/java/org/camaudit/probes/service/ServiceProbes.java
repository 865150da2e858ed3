package org.camaudit.probes.service;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.EnumMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.camaudit.model.SafetyClass;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;
import org.camaudit.probes.ProbeContext;
import org.camaudit.probes.ScopeRefusedException;
import org.camaudit.probes.ServiceProbe;

/**
 * The SAFE-PROBE service probes of one host's open TCP ports. Immutable and thread-safe: the
 * scanner calls {@link #probeHost} from many virtual threads at once. Each port is probed on its
 * own virtual thread; requests on one port follow each other.
 *
 * <p>Port plan ({@link #standard()}):
 * <table>
 * <caption>port to probe</caption>
 * <tr><th>port</th><th>probe</th></tr>
 * <tr><td>80, 8080, 8899, 2020</td><td>HTTP: {@code /}, one same-origin redirect, favicon, vendor
 * pages; then ONVIF when {@code /} answered HTTP</td></tr>
 * <tr><td>443, 8443</td><td>HTTPS (same pages, certificate subject/issuer, TLS version)</td></tr>
 * <tr><td>8000</td><td>null probe for 1 s: a banner means SDK (hex); silence means HTTP, then
 * ONVIF when it answered HTTP</td></tr>
 * <tr><td>9000</td><td>null probe for 1 s: a banner means SDK; silence means HTTP (no ONVIF)</td></tr>
 * <tr><td>554, 8554</td><td>RTSP OPTIONS, then DESCRIBE without credentials</td></tr>
 * <tr><td>23 / 21 / 22</td><td>telnet / FTP / SSH banner, nothing sent</td></tr>
 * <tr><td>37777, 34567, 9527, 9530</td><td>connect-only SDK banner (hex), nothing sent; 9527
 * and 9530 are Xiongmai debug ports and must never receive a byte</td></tr>
 * <tr><td>9100-9107, 515 (printers)</td><td>connect-only banner, nothing sent: a printer would
 * print it</td></tr>
 * <tr><td>any other open port</td><td>as 9000: null probe for 1 s, a banner is kept (hex);
 * silence means an HTTP GET, as nmap does on unknown ports (cameras often serve their web UI on
 * a port of the installer's choosing)</td></tr>
 * </table>
 * ONVIF over HTTPS and on 9000 is not attempted. Probes run only when the context enables
 * SAFE-PROBE. A destination outside the scope throws {@link ScopeRefusedException} before any
 * connection; nothing a device does makes this class throw.
 */
public final class ServiceProbes {
    /** What is done on one port. */
    enum Role {
        HTTP, HTTP_ONVIF, HTTPS, SDK_OR_HTTP, SDK_OR_HTTP_ONVIF, RTSP, TELNET, FTP, SSH, CONNECT_ONLY
    }

    static final Map<Integer, Role> STANDARD_PLAN = Map.ofEntries(Map.entry(80, Role.HTTP_ONVIF),
            Map.entry(8080, Role.HTTP_ONVIF), Map.entry(8899, Role.HTTP_ONVIF),
            Map.entry(2020, Role.HTTP_ONVIF), Map.entry(443, Role.HTTPS),
            Map.entry(8443, Role.HTTPS),
            Map.entry(8000, Role.SDK_OR_HTTP_ONVIF), Map.entry(9000, Role.SDK_OR_HTTP),
            Map.entry(554, Role.RTSP), Map.entry(8554, Role.RTSP), Map.entry(23, Role.TELNET),
            Map.entry(21, Role.FTP), Map.entry(22, Role.SSH), Map.entry(37777, Role.CONNECT_ONLY),
            Map.entry(34567, Role.CONNECT_ONLY), Map.entry(9527, Role.CONNECT_ONLY),
            Map.entry(9530, Role.CONNECT_ONLY));

    private final Map<Integer, Role> plan;
    private final HttpProbe http;
    private final HttpProbe https;
    private final OnvifProbe onvif;
    private final RtspProbe rtsp;
    private final SdkOrHttpProbe sdkOrHttp;
    private final Map<BannerProbe.Kind, BannerProbe> banners = new EnumMap<>(
            BannerProbe.Kind.class);

    private final InfoLeakProbe infoLeak;
    private final Optional<AuthAttemptProbe> auth;

    ServiceProbes(Map<Integer, Role> plan) {
        this(plan, Optional.empty());
    }

    ServiceProbes(Map<Integer, Role> plan, Optional<Credentials> credentials) {
        this.plan = Map.copyOf(plan);
        HttpFetcher fetcher = new HttpFetcher(new TlsClient());
        List<VendorPaths.VendorPath> paths = VendorPaths.load();
        this.http = new HttpProbe(false, fetcher, paths);
        this.https = new HttpProbe(true, fetcher, paths);
        this.onvif = new OnvifProbe(fetcher);
        this.rtsp = new RtspProbe();
        this.sdkOrHttp = new SdkOrHttpProbe(http);
        this.infoLeak = new InfoLeakProbe(http, fetcher);
        this.auth = credentials.map(c -> new AuthAttemptProbe(fetcher, c));
        for (BannerProbe.Kind kind : BannerProbe.Kind.values()) {
            banners.put(kind, new BannerProbe(kind));
        }
    }

    public static ServiceProbes standard() {
        return new ServiceProbes(STANDARD_PLAN);
    }

    /**
     * The standard probes plus the opt-in checks: INFO-LEAK READ pages on plain HTTP ports, and
     * with credentials, AUTH-ATTEMPT logins against a web UI that answered 401. Each still runs
     * only when the probe context enables its class.
     */
    public static ServiceProbes withOptIn(Optional<Credentials> credentials) {
        return new ServiceProbes(STANDARD_PLAN, credentials);
    }

    /**
     * Raw print ports (JetDirect 9100-9107, LPD 515): a printer prints whatever arrives, so they
     * are only connected to and listened on, never sent a request (nmap excludes them for the same
     * reason).
     */
    static boolean isPrintPort(int port) {
        return (port >= 9100 && port <= 9107) || port == 515;
    }

    Role roleOf(int port) {
        if (isPrintPort(port)) {
            return Role.CONNECT_ONLY;
        }
        return plan.getOrDefault(port, Role.SDK_OR_HTTP);
    }

    /** Probes every open TCP port of one host; never throws for device behaviour. */
    public List<Observation> probeHost(InetAddress address, SortedSet<Integer> openPorts,
            ProbeContext context) {
        if (!context.allows(SafetyClass.SAFE_PROBE) || openPorts.isEmpty()) {
            return List.of();
        }
        context.network().guard().admit(address);
        List<Future<List<Observation>>> running = new ArrayList<>();
        List<Integer> ports = new ArrayList<>(openPorts);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int port : ports) {
                running.add(executor.submit(() -> probePort(address, port, context)));
            }
            List<Observation> out = new ArrayList<>();
            for (int i = 0; i < running.size(); i++) {
                out.addAll(await(running.get(i), address, ports.get(i)));
            }
            out.addAll(authAttempts(address, out, context));
            return List.copyOf(out);
        }
    }

    private static List<Observation> await(Future<List<Observation>> future, InetAddress address,
            int port) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of(internalError(address, port, "interrupted"));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ScopeRefusedException refused) {
                throw refused;
            }
            return List.of(internalError(address, port, "probe failed: " + e.getCause()));
        }
    }

    private static Observation internalError(InetAddress address, int port, String message) {
        return Observation.builder(Source.ACTIVE, address.getHostAddress()).port(port)
                .transport(Transport.TCP).protocol("tcp").error(message).build();
    }

    List<Observation> probePort(InetAddress address, int port, ProbeContext context) {
        Role role = roleOf(port);
        return switch (role) {
            case HTTP -> run(http, address, port, context);
            case HTTPS -> run(https, address, port, context);
            case HTTP_ONVIF -> withOnvif(run(http, address, port, context), address, port, context);
            case SDK_OR_HTTP -> run(sdkOrHttp, address, port, context);
            case SDK_OR_HTTP_ONVIF ->
                withOnvif(run(sdkOrHttp, address, port, context), address, port,
                        context);
            case RTSP -> run(rtsp, address, port, context);
            case TELNET -> run(banners.get(BannerProbe.Kind.TELNET), address, port, context);
            case FTP -> run(banners.get(BannerProbe.Kind.FTP), address, port, context);
            case SSH -> run(banners.get(BannerProbe.Kind.SSH), address, port, context);
            case CONNECT_ONLY -> run(banners.get(BannerProbe.Kind.SDK), address, port, context);
        };
    }

    /** AUTH-ATTEMPT on the first plain-HTTP root page that challenged with Basic or Digest. */
    private List<Observation> authAttempts(InetAddress address, List<Observation> seen,
            ProbeContext context) {
        if (auth.isEmpty() || !context.allows(SafetyClass.AUTH_ATTEMPT)) {
            return List.of();
        }
        for (Observation o : seen) {
            String challenge = o.field(Fields.HTTP_WWW_AUTHENTICATE).orElse("");
            String scheme = challenge.toLowerCase(java.util.Locale.ROOT);
            if (o.protocol().equals("http") && o.field(Fields.HTTP_STATUS).filter("401"::equals)
                    .isPresent() && (scheme.startsWith("basic") || scheme.startsWith("digest"))) {
                try {
                    return auth.get().attempt(address, o.port(), o.field(Fields.HTTP_PATH).orElse(
                            HttpProbe.ROOT), challenge, context);
                } catch (RuntimeException e) {
                    return List.of(internalError(address, o.port(), "auth attempt failed: " + e));
                }
            }
        }
        return List.of();
    }

    private List<Observation> withOnvif(List<Observation> httpObservations, InetAddress address,
            int port, ProbeContext context) {
        if (!answeredHttp(httpObservations)) {
            return httpObservations;
        }
        List<Observation> out = new ArrayList<>(httpObservations);
        out.addAll(run(infoLeak, address, port, context));
        out.addAll(run(onvif, address, port, context));
        return out;
    }

    private static List<Observation> run(ServiceProbe probe, InetAddress address, int port,
            ProbeContext context) {
        if (!context.allows(probe.safetyClass())) {
            return List.of();
        }
        try {
            return probe.probe(address, port, context);
        } catch (ScopeRefusedException e) {
            throw e;
        } catch (RuntimeException e) {
            return List.of(internalError(address, port, "probe " + probe.name() + " failed: " + e));
        }
    }

    /** True when the root page of a plain or TLS web probe got an HTTP status line. */
    static boolean answeredHttp(List<Observation> observations) {
        for (Observation o : observations) {
            if ((o.protocol().equals("http") || o.protocol().equals("https"))
                    && o.field(Fields.HTTP_PATH).orElse("").equals(HttpProbe.ROOT)
                    && o.field(Fields.HTTP_STATUS).isPresent()) {
                return true;
            }
        }
        return false;
    }
}
