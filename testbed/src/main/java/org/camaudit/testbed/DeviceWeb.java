package org.camaudit.testbed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request and its reply on a connection, the way small device web servers hold it
 * ({@code Connection: close}); and the small pieces every device web server needs: a Digest
 * challenge, a reply without the headers a vendor does not send.
 */
final class DeviceWeb {
    /** How one device's web server answers one request. */
    @FunctionalInterface
    interface Router {
        Http.Response route(Request request, String body);
    }

    private DeviceWeb() {
    }

    /** Reads one request (head and body), writes the router's reply; returns to hang up. */
    static void serveOne(Connection c, Router router) throws IOException {
        Optional<Request> next = c.readRequest();
        if (next.isEmpty()) {
            return;
        }
        Request r = next.get();
        byte[] body = c.readBody(r);
        c.write(router.route(r, new String(body, StandardCharsets.UTF_8)).bytes());
    }

    /** A Digest challenge with a nonce stable per device. */
    static String digest(DeviceSpec d, String realm) {
        return "Digest realm=\"" + realm + "\", qop=\"auth\", nonce=\"" + Rtsp.nonce(d)
                + "\", stale=\"FALSE\"";
    }

    /** The same reply without headers whose value is empty (a vendor that sends no Server). */
    static Http.Response withoutEmptyHeaders(Http.Response r) {
        Map<String, String> kept = new LinkedHashMap<>();
        r.headers().forEach((k, v) -> {
            if (!v.isEmpty()) {
                kept.put(k, v);
            }
        });
        return new Http.Response(r.statusLine(), kept, r.body());
    }

    /** The host part of URLs a device writes about itself on {@code port}. */
    static String host(DeviceSpec d, int port) {
        return d.address() + (port == 80 ? "" : ":" + port);
    }

    /** ONVIF scopes: type, profile, location city, hardware (model) and name (brand). */
    static String scopes(String hardware, String name, String city) {
        return "onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/Profile/Streaming"
                + " onvif://www.onvif.org/location/city/" + city
                + " onvif://www.onvif.org/hardware/"
                + hardware.replace(" ", "%20") + " onvif://www.onvif.org/name/" + name.replace(" ",
                        "%20");
    }
}
