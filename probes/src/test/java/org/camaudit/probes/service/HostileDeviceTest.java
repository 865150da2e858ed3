package org.camaudit.probes.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camaudit.probes.service.FakeDevice.bytes;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.camaudit.probes.ProbeLimits;
import org.junit.jupiter.api.Test;

/** Misbehaving devices end within the limits, with a clear error and what was read kept. */
class HostileDeviceTest {
    static final ProbeLimits DRIP_LIMITS = new ProbeLimits(Duration.ofSeconds(1),
            Duration.ofMillis(1500),
            Duration.ofSeconds(2), 64 * 1024);
    static final Duration SLACK = Duration.ofMillis(1000);

    record Timed(List<Observation> observations, Duration took) {
    }

    static Timed timed(Supplier<List<Observation>> run) {
        long start = System.nanoTime();
        List<Observation> out = run.get();
        return new Timed(out, Duration.ofNanos(System.nanoTime() - start));
    }

    @Test
    void oneBytePerSecondEndsAtTheTotalLimit() throws Exception {
        byte[] reply = bytes("HTTP/1.1 200 OK\r\nServer: drip\r\n" + "X: y\r\n".repeat(20));
        try (FakeDevice device = FakeDevice.start(TestNetwork.nextAddress(), 0,
                FakeDevice.drip(reply, 1000, true))) {
            Timed t = timed(() -> HttpProbeTest.probe().probe(device.address(), device.port(),
                    TestNetwork.context(DRIP_LIMITS)));
            assertThat(t.took()).isLessThan(DRIP_LIMITS.total().plus(SLACK))
                    .isGreaterThan(DRIP_LIMITS.total().minus(Duration.ofMillis(300)));
            assertThat(t.observations()).hasSize(1);
            Observation o = t.observations().get(0);
            assertThat(o.fields().get(Fields.ERROR)).isEqualTo("timeout (total 2000 ms)");
            assertThat(o.raw()).as("bytes read before the deadline are kept").startsWith("HT");
        }
    }

    @Test
    void dripOnABannerPortEndsAtTheTotalLimitToo() throws Exception {
        byte[] banner = bytes("SSH-2.0-never-ending-" + "x".repeat(50));
        try (FakeDevice device = FakeDevice.start(TestNetwork.nextAddress(), 0,
                FakeDevice.drip(banner, 250, false))) {
            Timed t = timed(() -> new BannerProbe(BannerProbe.Kind.SSH).probe(device.address(),
                    device.port(),
                    TestNetwork.context(DRIP_LIMITS)));
            assertThat(t.took()).isLessThan(DRIP_LIMITS.total().plus(SLACK));
            Observation o = t.observations().get(0);
            assertThat(o.fields().get(Fields.ERROR)).isEqualTo("timeout (total 2000 ms)");
            assertThat(o.raw()).startsWith("SSH-2.0-");
        }
    }

    @Test
    void endlessHeadersStopAtTheByteCap() throws Exception {
        try (FakeDevice device = FakeDevice.start(TestNetwork.nextAddress(), 0,
                FakeDevice.endlessHeaders())) {
            Timed t = timed(() -> HttpProbeTest.probe().probe(device.address(), device.port(),
                    TestNetwork.context()));
            assertThat(t.took()).isLessThan(TestNetwork.FAST.total().plus(SLACK));
            assertThat(t.observations()).hasSize(1);
            Observation o = t.observations().get(0);
            assertThat(o.fields()).containsEntry(Fields.ERROR, "reply exceeded 65536 bytes")
                    .containsEntry(Fields.HTTP_STATUS, "200")
                    .containsEntry(Fields.HTTP_SERVER, "endless");
            assertThat(o.raw()).startsWith("HTTP/1.1 200 OK\r\nServer: endless\r\nX-Filler: aaa");
        }
    }

    @Test
    void hundredMegabyteBodyStopsAtTheByteCap() throws Exception {
        try (FakeDevice device = FakeDevice.start(TestNetwork.nextAddress(), 0,
                FakeDevice.hugeBody(100L << 20))) {
            Timed t = timed(() -> HttpProbeTest.probe().probe(device.address(), device.port(),
                    TestNetwork.context()));
            assertThat(t.took()).isLessThan(TestNetwork.FAST.total().plus(SLACK));
            Observation o = t.observations().get(0);
            assertThat(o.fields()).containsEntry(Fields.ERROR, "reply exceeded 65536 bytes")
                    .containsEntry(Fields.HTTP_STATUS, "200")
                    .containsEntry(Fields.HTTP_TITLE, "Huge");
            assertThat(o.fields().get(Fields.HTTP_BODY)).startsWith("<html><title>Huge</title>xxx");
        }
    }

    @Test
    void resetOnConnect() throws Exception {
        try (FakeDevice device = FakeDevice.start(TestNetwork.nextAddress(), 0,
                FakeDevice.resetOnConnect())) {
            Timed http = timed(() -> HttpProbeTest.probe().probe(device.address(), device.port(),
                    TestNetwork.context()));
            assertThat(http.took()).isLessThan(TestNetwork.FAST.total());
            assertThat(http.observations()).hasSize(1);
            assertThat(http.observations().get(0).fields().get(Fields.ERROR)).isIn("reset",
                    "closed before reply");
            Timed rtsp = timed(() -> new RtspProbe().probe(device.address(), device.port(),
                    TestNetwork.context()));
            assertThat(rtsp.observations()).hasSize(1);
            assertThat(rtsp.observations().get(0).fields().get(Fields.ERROR)).isIn("reset",
                    "closed before reply");
            Timed banner = timed(() -> new BannerProbe(BannerProbe.Kind.TELNET).probe(
                    device.address(), device.port(),
                    TestNetwork.context()));
            assertThat(banner.took()).isLessThan(TestNetwork.FAST.total());
            assertThat(banner.observations().get(0).fields().get(Fields.ERROR)).isEqualTo("reset");
        }
    }

    @Test
    void acceptThenSilence() throws Exception {
        try (FakeDevice device = FakeDevice.start(TestNetwork.nextAddress(), 0,
                FakeDevice.silent())) {
            Timed t = timed(() -> HttpProbeTest.probe().probe(device.address(), device.port(),
                    TestNetwork.context()));
            assertThat(t.took()).isLessThan(TestNetwork.FAST.read().plus(SLACK));
            assertThat(t.observations()).hasSize(1);
            assertThat(t.observations().get(0).fields()).containsEntry(Fields.ERROR, "timeout")
                    .doesNotContainKey(Fields.HTTP_STATUS);
            Timed onvif = timed(() -> OnvifProbeTest.probe().probe(device.address(), device.port(),
                    TestNetwork.context()));
            assertThat(onvif.took()).isLessThan(TestNetwork.FAST.read().plus(SLACK));
            assertThat(onvif.observations()).hasSize(1);
            assertThat(onvif.observations().get(0).fields()).containsEntry(Fields.ERROR, "timeout");
        }
    }

    @Test
    void refusedPortIsAnObservation() throws Exception {
        // a fresh address and a port below the ephemeral range: nothing listens, and a connect
        // can never meet itself (a closed ephemeral port may be picked as our own source port)
        String address = TestNetwork.nextAddress();
        int port = 9;
        List<Observation> out = new BannerProbe(BannerProbe.Kind.SDK).probe(
                java.net.InetAddress.getByName(address),
                port, TestNetwork.context());
        assertThat(out.get(0).fields()).containsEntry(Fields.ERROR, "connection refused")
                .doesNotContainKey(Fields.STATE);
    }
}
