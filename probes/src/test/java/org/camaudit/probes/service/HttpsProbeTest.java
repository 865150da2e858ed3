package org.camaudit.probes.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camaudit.probes.service.FakeDevice.bytes;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpsProbeTest {
    static final String SUBJECT = "CN=www.hikvision.com,OU=DVRNVR,O=HIKVISION,L=HangZhou,ST=ZheJiang,C=CN";
    static SSLContext serverContext;

    /** A self-signed certificate made with the JDK's own keytool, like a camera's default one. */
    @BeforeAll
    static void makeCertificate(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("device.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "device",
                "-keyalg", "EC",
                "-groupname", "secp256r1", "-validity", "2", "-dname", SUBJECT.replace(",", ", "),
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit",
                "-keypass", "changeit").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory
                .getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
    }

    @Test
    void certificateSubjectIssuerAndVersionAreRecorded() throws Exception {
        SSLServerSocket server = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(TestNetwork.nextAddress()), 0));
        byte[] root = bytes("HTTP/1.1 200 OK\r\nServer: DNVRS-Webs\r\nContent-Type: text/html\r\n"
                + "Content-Length: 37\r\n\r\n<html><title>NVR login</title></html>");
        try (FakeDevice device = FakeDevice.start(server, FakeDevice.routes(Map.of("/", root)))) {
            HttpProbe probe = new HttpProbe(true, new HttpFetcher(new TlsClient()),
                    VendorPaths.load());
            List<Observation> out = probe.probe(device.address(), device.port(),
                    TestNetwork.context());
            Observation first = HttpProbeTest.at(out, "/");
            assertThat(first.protocol()).isEqualTo("https");
            assertThat(first.fields()).containsEntry(Fields.TLS_SUBJECT, SUBJECT)
                    .containsEntry(Fields.TLS_ISSUER, SUBJECT)
                    .containsEntry(Fields.TLS_VERSION, "TLSv1.3")
                    .containsEntry(Fields.HTTP_SCHEME, "https")
                    .containsEntry(Fields.HTTP_STATUS, "200")
                    .containsEntry(Fields.HTTP_SERVER, "DNVRS-Webs")
                    .containsEntry(Fields.HTTP_TITLE, "NVR login")
                    .doesNotContainKey(Fields.ERROR);
            assertThat(out).hasSize(2 + VendorPaths.load().size());
        }
    }

    @Test
    void plainHttpOnATlsPortIsAHandshakeError() throws Exception {
        byte[] plain = bytes("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        try (FakeDevice device = FakeDevice.start(TestNetwork.nextAddress(), 0,
                (socket, d) -> socket.getOutputStream().write(plain))) {
            HttpProbe probe = new HttpProbe(true, new HttpFetcher(new TlsClient()),
                    VendorPaths.load());
            List<Observation> out = probe.probe(device.address(), device.port(),
                    TestNetwork.context());
            assertThat(out).hasSize(1);
            assertThat(out.get(0).fields().get(Fields.ERROR)).startsWith("tls handshake failed");
        }
    }
}
