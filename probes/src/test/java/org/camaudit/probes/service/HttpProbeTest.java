package org.camaudit.probes.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camaudit.probes.service.FakeDevice.bytes;
import static org.camaudit.probes.service.FakeDevice.concat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.junit.jupiter.api.Test;

class HttpProbeTest {
    static final byte[] ICON = icon();

    static byte[] icon() {
        byte[] icon = new byte[1150];
        for (int i = 0; i < icon.length; i++) {
            icon[i] = (byte) (i * 7 + 3);
        }
        return icon;
    }

    static HttpProbe probe() {
        return new HttpProbe(false, new HttpFetcher(new TlsClient()), VendorPaths.load());
    }

    static Observation at(List<Observation> observations, String path) {
        return observations.stream().filter(o -> o.field(Fields.HTTP_PATH).orElse("").equals(path))
                .findFirst().orElseThrow(() -> new AssertionError("no observation for " + path));
    }

    static byte[] reply(String head, String body) {
        return bytes(head + "Content-Length: " + bytes(body).length + "\r\n\r\n" + body);
    }

    @Test
    void hikvisionLikeDeviceYieldsServerRealmTitleAndFavicon() throws Exception {
        byte[] root = reply("HTTP/1.1 401 Unauthorized\r\nServer: App-webs/\r\n"
                + "WWW-Authenticate: Digest qop=\"auth\", realm=\"DS-2CD2143G0-I\", nonce=\"4e5a\", stale=\"FALSE\"\r\n"
                + "WWW-Authenticate: Basic realm=\"DS-2CD2143G0-I\"\r\nContent-Type: text/html\r\n",
                "<!DOCTYPE html>\n<html><head><title>Document Error: Unauthorized</title></head>"
                        + "<body><h2>Access Error: 401 -- Unauthorized</h2></body></html>");
        byte[] login = bytes(
                "HTTP/1.0 200 OK\r\nserver: App-webs/\r\ncontent-type: text/html\r\n\r\n"
                        + "<html><head><title>Login</title></head><body>hik</body></html>");
        byte[] favicon = concat(
                bytes("HTTP/1.1 200 OK\r\nContent-Type: image/x-icon\r\nContent-Length: "
                        + ICON.length + "\r\n\r\n"),
                ICON);
        try (FakeDevice device = FakeDevice.start(TestNetwork.nextAddress(), 0, FakeDevice.routes(
                Map.of("/", root, "/doc/page/login.asp", login, "/favicon.ico", favicon)))) {
            List<Observation> out = probe().probe(device.address(), device.port(),
                    TestNetwork.context());

            Observation first = at(out, "/");
            assertThat(first.protocol()).isEqualTo("http");
            assertThat(first.port()).isEqualTo(device.port());
            assertThat(first.fields()).containsEntry(Fields.HTTP_STATUS, "401")
                    .containsEntry(Fields.HTTP_SERVER, "App-webs/")
                    .containsEntry(Fields.HTTP_REALM, "DS-2CD2143G0-I")
                    .containsEntry(Fields.HTTP_TITLE, "Document Error: Unauthorized")
                    .containsEntry(Fields.HTTP_CONTENT_TYPE, "text/html")
                    .containsEntry(Fields.HTTP_SCHEME, "http").doesNotContainKey(Fields.ERROR);
            assertThat(first.fields().get(Fields.HTTP_WWW_AUTHENTICATE))
                    .startsWith("Digest qop=\"auth\"")
                    .contains("Basic realm=");
            assertThat(first.fields().get(Fields.HTTP_BODY)).contains("Access Error: 401");
            assertThat(first.raw()).startsWith("HTTP/1.1 401 Unauthorized\r\nServer: App-webs/");

            Observation icon = at(out, "/favicon.ico");
            assertThat(icon.fields()).containsEntry(Fields.HTTP_FAVICON_MMH3, "-1814950605")
                    .containsEntry(Fields.HTTP_FAVICON_MD5, "df57e86ae73e80e59e55045c950535b4")
                    .doesNotContainKey(Fields.HTTP_BODY);

            Observation page = at(out, "/doc/page/login.asp");
            assertThat(page.fields()).containsEntry(Fields.HTTP_STATUS, "200")
                    .containsEntry(Fields.HTTP_TITLE, "Login")
                    .containsEntry(Fields.HTTP_SERVER, "App-webs/")
                    .doesNotContainKey(Fields.ERROR);

            // root, favicon and every vendor page, nothing else
            assertThat(out).hasSize(2 + VendorPaths.load().size());
            assertThat(at(out, "/Login.htm").fields()).containsEntry(Fields.HTTP_STATUS, "404");
            device.awaitIdle(Duration.ofSeconds(2));
            String sent = device.receivedText();
            assertThat(sent).contains("GET / HTTP/1.1\r\n", "User-Agent: camaudit/0.1\r\n",
                    "Connection: close\r\n",
                    "Host: " + device.address().getHostAddress() + ":" + device.port());
            assertThat(sent).doesNotContain("Authorization");
        }
    }

    private static String chunk(String data, String extension) {
        return Integer.toHexString(data.length()) + extension + "\r\n" + data + "\r\n";
    }

    @Test
    void chunkedBodyIsDecoded() throws Exception {
        String chunked = "HTTP/1.1 200 OK\r\nServer: uc-httpd 1.0.0\r\nTRANSFER-ENCODING: chunked\r\n"
                + "Content-Type: text/html; charset=UTF-8\r\n\r\n"
                + chunk("<html><head><tit", ";ext=1") + chunk("le>NETSurveillance WEB</ti", "")
                + chunk("tle>ok!", "") + "0\r\nX-Trailer: t\r\n\r\n";
        try (FakeDevice device = FakeDevice.start(TestNetwork.nextAddress(), 0,
                FakeDevice.routes(Map.of("/", bytes(chunked))))) {
            Observation root = at(
                    probe().probe(device.address(), device.port(), TestNetwork.context()), "/");
            assertThat(root.fields()).containsEntry(Fields.HTTP_TITLE, "NETSurveillance WEB")
                    .containsEntry(Fields.HTTP_SERVER, "uc-httpd 1.0.0")
                    .containsEntry(Fields.HTTP_BODY,
                            "<html><head><title>NETSurveillance WEB</title>ok!")
                    .doesNotContainKey(Fields.ERROR);
        }
    }

    @Test
    void followsOneSameHostRedirectAndNoOffHostOne() throws Exception {
        try (FakeDevice device = FakeDevice.start(TestNetwork.nextAddress(), 0,
                FakeDevice.routes(Map.of(
                        "/",
                        bytes("HTTP/1.1 302 Found\r\nServer: Webs\r\nLocation: /index.asp\r\nContent-Length: 0\r\n\r\n"),
                        "/index.asp",
                        bytes("HTTP/1.1 302 Found\r\nLocation: /second.asp\r\nContent-Length: 0\r\n\r\n"),
                        "/favicon.ico",
                        bytes("HTTP/1.1 302 Found\r\nLocation: http://192.0.2.1/x\r\nContent-Length: 0\r\n\r\n"))))) {
            List<Observation> out = probe().probe(device.address(), device.port(),
                    TestNetwork.context());
            assertThat(at(out, "/").fields()).containsEntry(Fields.HTTP_LOCATION, "/index.asp");
            assertThat(at(out, "/index.asp").fields()).containsEntry(Fields.HTTP_STATUS, "302");
            assertThat(at(out, "/favicon.ico").fields())
                    .containsEntry(Fields.HTTP_LOCATION, "http://192.0.2.1/x")
                    .doesNotContainKey(Fields.HTTP_FAVICON_MMH3);
            assertThat(out)
                    .noneMatch(o -> o.field(Fields.HTTP_PATH).orElse("").equals("/second.asp"));
            device.awaitIdle(Duration.ofSeconds(2));
            assertThat(device.receivedText()).doesNotContain("second.asp")
                    .doesNotContain("192.0.2.1");
        }
    }

    @Test
    void redirectResolution() {
        HttpProbe p = probe();
        java.net.InetAddress a = java.net.InetAddress.getLoopbackAddress();
        WireReply absoluteSame = new WireReply("", 301, List.of(new WireReply.Header("Location",
                "http://127.0.0.1:8080/doc/page/login.asp?_1")), new byte[0], "",
                java.util.Optional.empty());
        assertThat(p.sameOriginRedirect(a, 8080, "/", absoluteSame))
                .contains("/doc/page/login.asp?_1");
        assertThat(p.sameOriginRedirect(a, 80, "/", absoluteSame)).isEmpty();
        WireReply https = new WireReply("", 301, List.of(new WireReply.Header("Location",
                "https://127.0.0.1/")), new byte[0], "", java.util.Optional.empty());
        assertThat(p.sameOriginRedirect(a, 80, "/", https)).isEmpty();
        WireReply self = new WireReply("", 302, List.of(new WireReply.Header("Location", "/")),
                new byte[0], "", java.util.Optional.empty());
        assertThat(p.sameOriginRedirect(a, 80, "/", self)).isEmpty();
    }

    @Test
    void nonHttpReplyIsRecordedAndEndsTheProbe() throws Exception {
        byte[] sdk = {0, 0, 0, 0x10, 0, 0, 0, 0x1e, 0, 0, 0, 0x1e, 0, 0, 0, 0};
        try (FakeDevice device = FakeDevice.start(TestNetwork.nextAddress(), 0,
                FakeDevice.http(r -> sdk))) {
            List<Observation> out = probe().probe(device.address(), device.port(),
                    TestNetwork.context());
            assertThat(out).hasSize(1);
            assertThat(out.get(0).fields()).containsEntry(Fields.ERROR, "malformed status line")
                    .doesNotContainKey(Fields.HTTP_STATUS);
            assertThat(out.get(0).raw()).startsWith("\\x00");
            assertThat(device.connections()).isEqualTo(1);
        }
    }
}
