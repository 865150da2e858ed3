package org.camaudit.probes.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camaudit.probes.service.FakeDevice.bytes;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.junit.jupiter.api.Test;

class BannerProbeTest {
    static List<Observation> listen(BannerProbe.Kind kind, FakeDevice device) {
        return new BannerProbe(kind).probe(device.address(), device.port(), TestNetwork.context());
    }

    @Test
    void telnetBannerWithoutNegotiationBytes() throws Exception {
        byte[] iac = {(byte) 255, (byte) 253, 1, (byte) 255, (byte) 253, 31, (byte) 255, (byte) 251,
                1,
                (byte) 255, (byte) 250, 24, 1, (byte) 255, (byte) 240, (byte) 255, (byte) 251, 3};
        byte[] banner = FakeDevice.concat(iac, bytes("\r\n192.0.0.64 login: "));
        try (FakeDevice device = FakeDevice.start(TestNetwork.nextAddress(), 0,
                FakeDevice.banner(banner))) {
            List<Observation> out = listen(BannerProbe.Kind.TELNET, device);
            assertThat(out).hasSize(1);
            assertThat(out.get(0).protocol()).isEqualTo("telnet");
            assertThat(out.get(0).fields()).containsEntry(Fields.TELNET_BANNER, "192.0.0.64 login:")
                    .containsEntry(Fields.STATE, "open").doesNotContainKey(Fields.ERROR);
            assertThat(out.get(0).raw()).startsWith("\\xff\\xfd\\x01");
            device.awaitIdle(Duration.ofSeconds(2));
            assertThat(device.received()).as("no option answers, no login").isEmpty();
        }
    }

    @Test
    void sshIdentificationLine() throws Exception {
        try (FakeDevice device = FakeDevice.start(TestNetwork.nextAddress(), 0,
                FakeDevice.banner(bytes("SSH-2.0-dropbear_2019.78\r\n")))) {
            long start = System.nanoTime();
            List<Observation> out = listen(BannerProbe.Kind.SSH, device);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("complete line ends the read")
                    .isLessThan(Duration.ofMillis(1500));
            assertThat(out.get(0).fields()).containsEntry(Fields.SSH_BANNER,
                    "SSH-2.0-dropbear_2019.78");
            device.awaitIdle(Duration.ofSeconds(2));
            assertThat(device.received()).isEmpty();
        }
    }

    @Test
    void ftpGreetingLines() throws Exception {
        try (FakeDevice device = FakeDevice.start(TestNetwork.nextAddress(), 0,
                FakeDevice.banner(bytes(
                        "220-Welcome\r\n220 AXIS M3045-V Network Camera 9.80.1 ready.\r\n")))) {
            List<Observation> out = listen(BannerProbe.Kind.FTP, device);
            assertThat(out.get(0).fields()).containsEntry(Fields.FTP_BANNER,
                    "220-Welcome\n220 AXIS M3045-V Network Camera 9.80.1 ready.");
        }
    }

    @Test
    void sdkBannerAsHexAndSilentSdkStillOpen() throws Exception {
        byte[] hik = {0, 0, 0, 0x10, 0, 0, 0, 0x1e, 0, 0, 0, 0x1e, 0, 0, 0, 0};
        try (FakeDevice talking = FakeDevice.start(TestNetwork.nextAddress(), 0,
                FakeDevice.banner(hik));
                FakeDevice quiet = FakeDevice.start(TestNetwork.nextAddress(), 0,
                        FakeDevice.silent())) {
            Observation said = listen(BannerProbe.Kind.SDK, talking).get(0);
            assertThat(said.protocol()).isEqualTo("sdk");
            assertThat(said.fields())
                    .containsEntry(Fields.SDK_BANNER_HEX, "000000100000001e0000001e00000000")
                    .containsEntry(Fields.STATE, "open");
            Observation silent = listen(BannerProbe.Kind.SDK, quiet).get(0);
            assertThat(silent.fields()).containsEntry(Fields.STATE, "open")
                    .doesNotContainKey(Fields.SDK_BANNER_HEX)
                    .doesNotContainKey(Fields.ERROR);
            quiet.awaitIdle(Duration.ofSeconds(2));
            assertThat(quiet.received()).isEmpty();
        }
    }

    @Test
    void port8000SpeakingFirstIsSdkAndGetsNoHttp() throws Exception {
        byte[] hik = {0, 0, 0, 0x10, 0, 0, 0, 0x1e, 0, 0, 0, 0x1e, 0, 0, 0, 0};
        try (FakeDevice device = FakeDevice.start(TestNetwork.nextAddress(), 0,
                FakeDevice.banner(hik))) {
            SdkOrHttpProbe probe = new SdkOrHttpProbe(HttpProbeTest.probe());
            List<Observation> out = probe.probe(device.address(), device.port(),
                    TestNetwork.context());
            assertThat(out).hasSize(1);
            assertThat(out.get(0).fields()).containsEntry(Fields.SDK_BANNER_HEX,
                    "000000100000001e0000001e00000000");
            device.awaitIdle(Duration.ofSeconds(2));
            assertThat(device.received()).isEmpty();
            assertThat(device.connections()).isEqualTo(1);
        }
    }

    @Test
    void silentPort8000GetsHttp() throws Exception {
        byte[] page = bytes("HTTP/1.1 200 OK\r\nServer: webserver\r\nContent-Length: 0\r\n\r\n");
        try (FakeDevice device = FakeDevice.start(TestNetwork.nextAddress(), 0,
                FakeDevice.routes(Map.of("/", page)))) {
            List<Observation> out = new SdkOrHttpProbe(HttpProbeTest.probe()).probe(
                    device.address(), device.port(),
                    TestNetwork.context());
            assertThat(HttpProbeTest.at(out, "/").fields()).containsEntry(Fields.HTTP_SERVER,
                    "webserver");
            assertThat(out).noneMatch(o -> o.protocol().equals("sdk"));
            assertThat(ServiceProbes.answeredHttp(out)).isTrue();
        }
    }

    @Test
    void iacStripping() {
        byte[] in = {'a', (byte) 255, (byte) 255, 'b', (byte) 255, (byte) 241, 'c', (byte) 255,
                (byte) 253};
        assertThat(BannerProbe.Telnet.stripNegotiation(in)).containsExactly('a', 255, 'b', 'c');
    }
}
