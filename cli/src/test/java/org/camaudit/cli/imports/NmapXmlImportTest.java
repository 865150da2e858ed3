package org.camaudit.cli.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;
import org.junit.jupiter.api.Test;

class NmapXmlImportTest {
    private final List<Observation> seen = new ArrayList<>();

    @Test
    void readsARealNmapRunAgainstLoopbackServers() {
        NmapXmlImport.Result result = read("nmap-loopback-real.xml");

        assertThat(result.nmapArgs()).startsWith("nmap -n -Pn -sT -sV -p 8080,2121 --script");
        assertThat(result.started()).contains(Instant.ofEpochSecond(1795351284L));
        assertThat(result.hosts()).isEqualTo(1);
        assertThat(result.observations()).isEqualTo(3).isEqualTo(seen.size());
        assertThat(seen).allSatisfy(o -> {
            assertThat(o.source()).isEqualTo(Source.IMPORT);
            assertThat(o.address()).isEqualTo("127.45.0.2");
            assertThat(o.mac()).isEmpty();
            assertThat(o.time()).isEqualTo(Instant.ofEpochSecond(1795351446L));
        });

        Observation host = seen.get(0);
        assertThat(host.protocol()).isEqualTo("nmap-host");
        assertThat(host.transport()).isEqualTo(Transport.NONE);
        assertThat(host.port()).isZero();

        Observation ftp = at(2121);
        assertThat(ftp.protocol()).isEqualTo("ccproxy-ftp");
        assertThat(ftp.transport()).isEqualTo(Transport.TCP);
        assertThat(ftp.field(Fields.FTP_BANNER)).contains("220 AXIS 221 Network Camera 1.0 ready.");
        assertThat(ftp.field(Fields.NMAP_SERVICE)).contains("ccproxy-ftp");
        assertThat(ftp.raw()).startsWith("banner: 220 AXIS 221 Network Camera 1.0 ready.\n");

        Observation http = at(8080);
        assertThat(http.protocol()).isEqualTo("http");
        assertThat(http.fields()).containsEntry(Fields.HTTP_TITLE, "Network Camera")
                .containsEntry(Fields.HTTP_SERVER, "SimpleHTTP/0.6 Python/3.11.7")
                .containsEntry(Fields.NMAP_SERVICE, "http")
                .containsEntry(Fields.NMAP_PRODUCT, "SimpleHTTPServer")
                .containsEntry(Fields.NMAP_VERSION, "0.6")
                .containsEntry(Fields.NMAP_EXTRAINFO, "Python 3.11.7")
                .containsEntry(Fields.NMAP_CPE, "cpe:/a:python:simplehttpserver:0.6")
                .doesNotContainKey(Fields.FTP_BANNER);
    }

    @Test
    void carriesTheMacOnEveryObservationAndMapsScriptsToCanonicalFields() {
        NmapXmlImport.Result result = read("nmap-with-mac.xml");

        assertThat(result.hosts()).as("the down host and the hosthint are not hosts").isEqualTo(2);
        assertThat(seen).extracting(Observation::address).containsOnly("127.46.0.2", "127.46.0.4");
        assertThat(seen).extracting(Observation::port).containsExactly(0, 23, 443, 554, 0, 22, 80);

        List<Observation> hik = seen.stream().filter(o -> o.address().equals("127.46.0.2"))
                .toList();
        assertThat(hik).allSatisfy(o -> assertThat(o.mac()).contains("c0:56:e3:11:22:33"));
        assertThat(hik.get(0).field(Fields.NMAP_VENDOR))
                .contains("Hangzhou Hikvision Digital Technology");
        assertThat(hik.get(0).protocol()).isEqualTo("nmap-host");

        Observation telnet = at(23);
        assertThat(telnet.protocol()).isEqualTo("telnet");
        assertThat(telnet.field(Fields.TELNET_BANNER)).hasValueSatisfying(b -> assertThat(b)
                .startsWith("\\xFF\\xFD\\x01").endsWith("HikvisionCam login:"));
        assertThat(telnet.field(Fields.NMAP_CPE))
                .contains("cpe:/a:busybox:busybox cpe:/o:linux:linux_kernel");

        Observation https = at(443);
        assertThat(https.protocol()).isEqualTo("https");
        assertThat(https.fields())
                .containsEntry(Fields.TLS_SUBJECT, "CN=127.46.0.2, O=Hikvision, C=CN")
                .containsEntry(Fields.TLS_ISSUER, "CN=127.46.0.2, O=Hikvision, C=CN")
                .containsEntry(Fields.NMAP_PRODUCT, "Hikvision IP camera httpd")
                .containsEntry(Fields.NMAP_DEVICETYPE, "webcam")
                .as("a product guess is not a Server header").doesNotContainKey(Fields.HTTP_SERVER)
                .as("Nmap's no-title note is not a title").doesNotContainKey(Fields.HTTP_TITLE);

        assertThat(at(554).field(Fields.RTSP_PUBLIC))
                .contains(
                        "OPTIONS, DESCRIBE, PLAY, PAUSE, SETUP, TEARDOWN, SET_PARAMETER, GET_PARAMETER");

        List<Observation> axis = seen.stream().filter(o -> o.address().equals("127.46.0.4"))
                .toList();
        assertThat(axis).allSatisfy(o -> {
            assertThat(o.mac()).contains("00:40:8c:aa:bb:cc");
            assertThat(o.time()).as("no host times: the run's start")
                    .isEqualTo(Instant.ofEpochSecond(1795351284L));
        });
        Observation ssh = axis.get(1);
        assertThat(ssh.fields()).containsEntry(Fields.SSH_BANNER, "SSH-2.0-OpenSSH_8.4p1 Debian-5")
                .containsEntry(Fields.NMAP_VERSION, "8.4p1 Debian 5");
        Observation web = axis.get(2);
        assertThat(web.fields()).containsEntry(Fields.HTTP_TITLE, "AXIS")
                .containsEntry(Fields.NMAP_PRODUCT, "Boa httpd")
                .doesNotContainKey(Fields.HTTP_SERVER);
    }

    @Test
    void aTruncatedFileFailsWithItsPositionAndKeepsTheHostsBeforeIt() {
        ImportException e = catchThrowableOfType(ImportException.class,
                () -> read("nmap-truncated.xml"));

        assertThat(e).hasMessageStartingWith("malformed Nmap XML at line ");
        assertThat(e.line()).isEqualTo(17);
        assertThat(e.column()).isPositive();
        assertThat(e.partial().hosts()).isEqualTo(2);
        assertThat(e.partial().observations()).isEqualTo(4);
        assertThat(seen).extracting(Observation::address)
                .containsExactly("127.47.0.1", "127.47.0.1", "127.47.0.2", "127.47.0.2");
    }

    @Test
    void anExternalEntityIsNeverRead() throws IOException {
        ImportException e = catchThrowableOfType(ImportException.class, () -> read("nmap-xxe.xml"));

        assertThat(e).hasMessageContaining("xxe").hasMessageContaining("line");
        assertThat(seen).extracting(Observation::address).containsExactly("127.48.0.1");
        assertNothingFrom(e, "/etc/hostname");
    }

    @Test
    void anEntityBombIsNotExpanded() {
        ImportException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> catchThrowableOfType(ImportException.class,
                        () -> read("nmap-entity-bomb.xml")));

        assertThat(e).hasMessageContaining("lol9").hasMessageContaining("line");
        assertThat(seen).extracting(Observation::address).containsExactly("127.48.0.1");
        assertThat(seen)
                .allSatisfy(o -> assertThat(o.fields().values()).noneMatch(v -> v.contains("lol")));
    }

    @Test
    void theNmapDoctypeAloneIsAccepted() {
        NmapXmlImport.Result result = read(
                xml("<?xml version=\"1.0\"?>\n<!DOCTYPE nmaprun>\n<nmaprun args=\"nmap\">"
                        + "<host><address addr=\"127.49.0.1\" addrtype=\"ipv4\"/></host></nmaprun>"));
        assertThat(result.hosts()).isEqualTo(1);
        assertThat(result.started()).isEmpty();
        assertThat(seen).extracting(Observation::protocol).containsExactly("nmap-host");
    }

    @Test
    void somethingOtherThanNmapXmlIsRefused() {
        assertThatThrownBy(() -> read(xml("<?xml version=\"1.0\"?>\n<scan><host/></scan>")))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining(
                        "not Nmap XML: the root element is <scan>, expected <nmaprun>");
        assertThatThrownBy(() -> read(xml("")))
                .isInstanceOf(ImportException.class)
                .hasMessageStartingWith("malformed Nmap XML");
        assertThatThrownBy(() -> read(xml("{\"address\":\"127.0.0.1\"}")))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("line 1, column 1");
    }

    @Test
    void aBadPortNumberIsReportedWhereItIs() {
        assertThatThrownBy(() -> read(xml("<nmaprun>\n<host><status state=\"up\"/>"
                + "<address addr=\"127.49.0.1\" addrtype=\"ipv4\"/>\n<ports><port protocol=\"tcp\" portid=\"99999\">"
                + "<state state=\"open\"/></port></ports></host></nmaprun>")))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("portid=\"99999\" is not a port number");
        assertThat(seen).isEmpty();
    }

    private NmapXmlImport.Result read(String resource) {
        try (InputStream in = NmapXmlImportTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return NmapXmlImport.read(in, seen::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private NmapXmlImport.Result read(InputStream in) {
        return NmapXmlImport.read(in, seen::add);
    }

    private static InputStream xml(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private Observation at(int port) {
        return seen.stream().filter(o -> o.port() == port).findFirst()
                .orElseThrow(() -> new AssertionError(
                        "no observation for port " + port + " in " + seen));
    }

    private void assertNothingFrom(ImportException e, String file) throws IOException {
        String secret = java.nio.file.Files.readString(java.nio.file.Path.of(file)).strip();
        if (secret.isEmpty()) {
            return;
        }
        assertThat(e.getMessage()).doesNotContain(secret);
        assertThat(seen).allSatisfy(o -> {
            assertThat(o.raw()).doesNotContain(secret);
            assertThat(o.fields().values()).noneMatch(v -> v.contains(secret));
        });
    }
}
