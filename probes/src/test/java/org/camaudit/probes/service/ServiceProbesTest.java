package org.camaudit.probes.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camaudit.probes.service.FakeDevice.bytes;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.camaudit.model.SafetyClass;
import org.camaudit.probes.Network;
import org.camaudit.probes.ProbeContext;
import org.camaudit.probes.ScopeRefusedException;
import org.junit.jupiter.api.Test;

class ServiceProbesTest {
    @Test
    void standardPlan() {
        ServiceProbes p = ServiceProbes.standard();
        assertThat(p.roleOf(80)).isEqualTo(ServiceProbes.Role.HTTP_ONVIF);
        assertThat(p.roleOf(8899)).isEqualTo(ServiceProbes.Role.HTTP_ONVIF);
        assertThat(p.roleOf(2020)).isEqualTo(ServiceProbes.Role.HTTP_ONVIF);
        assertThat(p.roleOf(443)).isEqualTo(ServiceProbes.Role.HTTPS);
        assertThat(p.roleOf(8000)).isEqualTo(ServiceProbes.Role.SDK_OR_HTTP_ONVIF);
        assertThat(p.roleOf(9000)).isEqualTo(ServiceProbes.Role.SDK_OR_HTTP);
        assertThat(p.roleOf(554)).isEqualTo(ServiceProbes.Role.RTSP);
        assertThat(p.roleOf(8554)).isEqualTo(ServiceProbes.Role.RTSP);
        for (int connectOnly : List.of(9527, 9530, 34567, 37777)) {
            assertThat(p.roleOf(connectOnly)).isEqualTo(ServiceProbes.Role.CONNECT_ONLY);
        }
        for (int printer : List.of(9100, 9103, 9107, 515)) {
            assertThat(p.roleOf(printer)).as("a printer prints what it is sent").isEqualTo(
                    ServiceProbes.Role.CONNECT_ONLY);
        }
        assertThat(p.roleOf(12345)).as("unknown ports: null probe, then HTTP, as nmap does")
                .isEqualTo(ServiceProbes.Role.SDK_OR_HTTP);
    }

    /** The Xiongmai debug ports on their real numbers, through the public entry point. */
    @Test
    void xiongmaiDebugPortsReceiveNothing() throws Exception {
        String address = TestNetwork.nextAddress();
        try (FakeDevice console = FakeDevice.start(address, 9527,
                FakeDevice.banner(bytes("\r\nLocalHost login:")));
                FakeDevice debug = FakeDevice.start(address, 9530, FakeDevice.silent())) {
            List<Observation> out = ServiceProbes.standard().probeHost(
                    InetAddress.getByName(address),
                    new TreeSet<>(Set.of(9527, 9530)), TestNetwork.context());
            assertThat(out).hasSize(2).allSatisfy(o -> {
                assertThat(o.protocol()).isEqualTo("sdk");
                assertThat(o.fields()).containsEntry(Fields.STATE, "open");
            });
            assertThat(out.get(0).port()).isEqualTo(9527);
            assertThat(out.get(0).fields()).containsEntry(Fields.SDK_BANNER_HEX,
                    "0d0a4c6f63616c486f7374206c6f67696e3a");
            console.awaitIdle(Duration.ofSeconds(2));
            debug.awaitIdle(Duration.ofSeconds(2));
            assertThat(console.connections()).isEqualTo(1);
            assertThat(debug.connections()).isEqualTo(1);
            assertThat(console.received()).isEmpty();
            assertThat(debug.received()).isEmpty();
        }
    }

    @Test
    void webPortGetsHttpThenOnvif() throws Exception {
        byte[] root = bytes(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 44\r\n\r\n"
                        + "<html><title>WEB SERVICE</title></html>    ");
        try (FakeDevice device = FakeDevice.start(TestNetwork.nextAddress(), 0,
                FakeDevice.http(request -> {
                    if (request.startsWith("POST /onvif/device_service ")) {
                        return OnvifProbeTest.soap(200, OnvifProbeTest.DATE);
                    }
                    return FakeDevice.path(request).equals("/") ? root : FakeDevice.notFound();
                }))) {
            ServiceProbes probes = new ServiceProbes(
                    Map.of(device.port(), ServiceProbes.Role.HTTP_ONVIF));
            List<Observation> out = probes.probeHost(device.address(),
                    new TreeSet<>(Set.of(device.port())),
                    TestNetwork.context());
            assertThat(HttpProbeTest.at(out, "/").fields()).containsEntry(Fields.HTTP_TITLE,
                    "WEB SERVICE");
            assertThat(out).filteredOn(o -> o.protocol().equals("onvif")).hasSize(3);
            assertThat(out.stream().filter(o -> o.protocol().equals("onvif")).findFirst()
                    .orElseThrow().fields())
                    .containsEntry(Fields.ONVIF_DATETIME, "2024-01-02T03:04:05Z");
        }
    }

    @Test
    void noOnvifWhenThePortIsNotHttp() throws Exception {
        try (FakeDevice device = FakeDevice.start(TestNetwork.nextAddress(), 0,
                FakeDevice.http(r -> new byte[]{1, 2, 3}))) {
            ServiceProbes probes = new ServiceProbes(
                    Map.of(device.port(), ServiceProbes.Role.HTTP_ONVIF));
            List<Observation> out = probes.probeHost(device.address(),
                    new TreeSet<>(Set.of(device.port())),
                    TestNetwork.context());
            assertThat(out).hasSize(1);
            assertThat(out.get(0).fields()).containsEntry(Fields.ERROR, "malformed status line");
            device.awaitIdle(Duration.ofSeconds(2));
            assertThat(device.receivedText()).doesNotContain("POST");
        }
    }

    @Test
    void outOfScopeAddressIsRefusedBeforeConnecting() throws Exception {
        try (FakeDevice outside = FakeDevice.start("127.31.1.7", 0, FakeDevice.silent())) {
            Network network = TestNetwork.network();
            ProbeContext context = new ProbeContext(network, TestNetwork.FAST,
                    SafetyClass.defaults());
            assertThatThrownBy(() -> ServiceProbes.standard().probeHost(outside.address(),
                    new TreeSet<>(Set.of(outside.port())), context))
                    .isInstanceOf(ScopeRefusedException.class);
            assertThatThrownBy(
                    () -> new RtspProbe().probe(outside.address(), outside.port(), context))
                    .isInstanceOf(ScopeRefusedException.class);
            assertThatThrownBy(
                    () -> HttpProbeTest.probe().probe(outside.address(), outside.port(), context))
                    .isInstanceOf(ScopeRefusedException.class);
            Thread.sleep(100);
            assertThat(outside.connections()).isZero();
            assertThat(network.connectsStarted()).isZero();
        }
    }

    @Test
    void nothingRunsWithoutSafeProbe() throws Exception {
        try (FakeDevice device = FakeDevice.start(TestNetwork.nextAddress(), 0,
                FakeDevice.silent())) {
            ProbeContext passiveOnly = new ProbeContext(TestNetwork.network(), TestNetwork.FAST,
                    Set.of(SafetyClass.PASSIVE));
            assertThat(ServiceProbes.standard().probeHost(device.address(),
                    new TreeSet<>(Set.of(device.port())),
                    passiveOnly)).isEmpty();
            assertThat(device.connections()).isZero();
        }
    }
}
