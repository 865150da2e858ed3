package org.camaudit.probes.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camaudit.model.Observation;
import org.camaudit.model.SafetyClass;
import org.camaudit.model.Scope;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;
import org.camaudit.probes.Network;
import org.camaudit.probes.RateLimiter;
import org.camaudit.probes.ScopeGuard;
import org.junit.jupiter.api.Test;

/**
 * End to end over real UDP sockets on loopback: fake devices on their own 127.32.0.x addresses
 * check what they were sent and answer as the real ones do. Never multicast.
 */
class UdpDiscoveryTest {
    private static final Duration QUIET = Duration.ofMillis(300);
    private static final Pattern SADP_INQUIRY = Pattern.compile(
            "<\\?xml version=\"1.0\" encoding=\"utf-8\"\\?><Probe><Uuid>([0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12})</Uuid><Types>inquiry</Types></Probe>");
    private static final Pattern WSD_MESSAGE_ID = Pattern.compile(
            "<a:MessageID>(urn:uuid:[0-9a-f-]{36})</a:MessageID>");

    private static Network network(List<String> excludes) {
        return new Network(new ScopeGuard(new Scope(List.of("127.32.0.0/24"), excludes,
                Scope.CAMERA_PORTS, 5000, 100, SafetyClass.defaults(), false, false, "test")),
                new RateLimiter(5000));
    }

    private record Run(UdpDiscovery.Result result, List<Observation> observations) {
        Observation only(String address) {
            List<Observation> found = observations.stream()
                    .filter(o -> o.address().equals(address))
                    .toList();
            assertThat(found).as("observations from %s", address).hasSize(1);
            return found.get(0);
        }
    }

    private static Run scan(Network network, String... targets) throws UnknownHostException {
        List<InetAddress> list = new ArrayList<>();
        for (String t : targets) {
            list.add(InetAddress.getByName(t));
        }
        List<Observation> seen = Collections.synchronizedList(new ArrayList<>());
        UdpDiscovery.Result result = new UdpDiscovery(network, QUIET, false).run(list.iterator(),
                seen::add);
        return new Run(result, List.copyOf(seen));
    }

    private static Run scan(String... targets) throws UnknownHostException {
        return scan(network(List.of()), targets);
    }

    private static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** A SADP responder that answers only a well-formed inquiry, echoing its Uuid. */
    private static FakeDevice.Responder sadp(String reply) {
        return (request, from) -> {
            Matcher m = SADP_INQUIRY.matcher(text(request));
            return m.matches()
                    ? List.of(Frames.utf8(reply.replace("${UUID}", m.group(1))))
                    : List.of();
        };
    }

    /** A DHDiscover responder that answers only a DHIP-framed DHDiscover.search. */
    private static FakeDevice.Responder dhdiscover(byte[] reply) {
        return (request, from) -> {
            boolean framed = request.length > 32 && Frames.u32le(request, 0) == 32
                    && text(request).substring(4, 8).equals("DHIP")
                    && Frames.u32le(request, 0x10) == request.length - 32
                    && Frames.u32le(request, 0x18) == request.length - 32;
            boolean search = framed && text(request).substring(32)
                    .equals("{\"method\":\"DHDiscover.search\",\"params\":{\"mac\":\"\",\"uni\":1}}\n");
            return search ? List.of(reply) : List.of();
        };
    }

    /** A DVRIP responder that answers only the bare 20-byte message-1530 header. */
    private static FakeDevice.Responder dvrip(byte[] reply) {
        return (request, from) -> request.length == 20 && (request[0] & 0xff) == 0xFF
                && Frames.u16le(request, 14) == 1530 && Frames.u32le(request, 16) == 0
                        ? List.of(reply)
                        : List.of();
    }

    @Test
    void sadpInquiryYieldsHikvisionProbeMatchFields() throws Exception {
        try (FakeDevice hik = new FakeDevice("127.32.0.101", 37020,
                sadp(Fixtures.text("sadp_ds-2cd2143g2-i.xml")))) {
            Run run = scan("127.32.0.101");

            assertThat(hik.requests()).singleElement()
                    .satisfies(r -> assertThat(text(r)).matches(SADP_INQUIRY));
            Observation o = run.only("127.32.0.101");
            assertThat(o.isError()).as("error: %s", o.fields()).isFalse();
            assertThat(o.protocol()).isEqualTo("sadp");
            assertThat(o.source()).isEqualTo(Source.ACTIVE);
            assertThat(o.transport()).isEqualTo(Transport.UDP);
            assertThat(o.port()).isEqualTo(37020);
            assertThat(o.mac()).contains("c0:56:e3:a1:b2:c3");
            assertThat(o.fields())
                    .containsEntry("sadp.DeviceDescription", "DS-2CD2143G2-I")
                    .containsEntry("sadp.SoftwareVersion", "V5.7.3build 220112")
                    .containsEntry("sadp.OEMInfo", "N/A")
                    .containsEntry("sadp.HCPlatformEnable", "true")
                    .containsEntry("sadp.MAC", "c0-56-e3-a1-b2-c3")
                    .containsEntry("sadp.CommandPort", "8000")
                    .containsEntry("sadp.DeviceSN", "DS-2CD2143G2-I20220315AAWRJ12345678");
            assertThat(o.raw()).contains("<ProbeMatch>");
            assertThat(run.result()).isEqualTo(new UdpDiscovery.Result(5, 1, 0, 0));
        }
    }

    @Test
    void dhdiscoverFlattensDeviceInfoForStockAndRebrandedUnits() throws Exception {
        try (FakeDevice dahua = new FakeDevice("127.32.0.102", 37810,
                dhdiscover(Frames.dhip(Fixtures.json("dhdiscover_general.json"))));
                FakeDevice amcrest = new FakeDevice("127.32.0.103", 37810,
                        dhdiscover(Frames.dhip(Fixtures.json("dhdiscover_amcrest.json"))))) {
            Run run = scan("127.32.0.102", "127.32.0.103");

            assertThat(dahua.requests()).hasSize(1);
            assertThat(amcrest.requests()).hasSize(1);
            Observation general = run.only("127.32.0.102");
            assertThat(general.protocol()).isEqualTo("dhdiscover");
            assertThat(general.port()).isEqualTo(37810);
            assertThat(general.isError()).as("error: %s", general.fields()).isFalse();
            assertThat(general.mac()).contains("3c:ef:8c:11:22:33");
            assertThat(general.fields())
                    .containsEntry("dhdiscover.Vendor", "General")
                    .containsEntry("dhdiscover.DeviceType", "IPC-HDW2431T-AS-S2")
                    .containsEntry("dhdiscover.SerialNo", "6J0A1B2PAZ12345")
                    .containsEntry("dhdiscover.Port", "37777")
                    .containsEntry("dhdiscover.IPv4Address.IPAddress", "192.0.2.108")
                    .containsEntry("dhdiscover.IPv4Address.DhcpEnable", "false")
                    .containsEntry("dhdiscover.Version", "2.800.0000016.0.R");
            Observation rebrand = run.only("127.32.0.103");
            assertThat(rebrand.fields())
                    .containsEntry("dhdiscover.Vendor", "Amcrest")
                    .containsEntry("dhdiscover.DeviceType", "IP4M-1041B");
            assertThat(rebrand.mac()).contains("9c:8e:cd:44:55:66");
            assertThat(run.result()).isEqualTo(new UdpDiscovery.Result(10, 2, 0, 0));
        }
    }

    @Test
    void wsDiscoveryProbeMatchGivesEndpointTypesScopesAndDecodedNames() throws Exception {
        String reply = Fixtures.text("wsd_probematch.xml");
        try (FakeDevice onvif = new FakeDevice("127.32.0.104", 3702, (request, from) -> {
            Matcher m = WSD_MESSAGE_ID.matcher(text(request));
            return m.find() && text(request).contains("<d:Probe/>")
                    ? List.of(Frames.utf8(reply.replace("${RELATES_TO}", m.group(1))))
                    : List.of();
        })) {
            Run run = scan("127.32.0.104");

            assertThat(onvif.requests()).hasSize(1);
            Observation o = run.only("127.32.0.104");
            assertThat(o.protocol()).isEqualTo("onvif-discovery");
            assertThat(o.port()).isEqualTo(3702);
            assertThat(o.isError()).as("error: %s", o.fields()).isFalse();
            assertThat(o.fields())
                    .containsEntry("onvif.endpoint",
                            "urn:uuid:3fa1c5d2-8e11-11ee-b2a9-c056e3a1b2c3")
                    .containsEntry("onvif.types", "dn:NetworkVideoTransmitter tds:Device")
                    .containsEntry("onvif.scope.hardware", "DS-2CD2143G2-I")
                    .containsEntry("onvif.scope.name", "HIKVISION DS-2CD2143G2-I")
                    .containsEntry("onvif.xaddrs",
                            "http://192.0.2.64/onvif/device_service http://[fe80::c256:e3ff:fea1:b2c3]/onvif/device_service");
            assertThat(o.fields().get("onvif.scopes"))
                    .startsWith("onvif://www.onvif.org/type/video_encoder ")
                    .contains("onvif://www.onvif.org/name/HIKVISION%20DS-2CD2143G2-I");
        }
    }

    @Test
    void wsDiscoveryReplyFromAnotherPortIsRecognisedByContent() throws Exception {
        String reply = Fixtures.text("wsd_probematch.xml").replace("${RELATES_TO}", "urn:uuid:x");
        try (FakeDevice replier = FakeDevice.silent("127.32.0.105", 0);
                FakeDevice onvif = new FakeDevice("127.32.0.105", 3702, (request, from) -> {
                    replier.send(Frames.utf8(reply), from);
                    return List.of();
                })) {
            Run run = scan("127.32.0.105");

            Observation o = run.only("127.32.0.105");
            assertThat(o.port()).isNotEqualTo(3702);
            assertThat(o.protocol()).isEqualTo("onvif-discovery");
            assertThat(o.fields()).containsEntry("onvif.scope.hardware", "DS-2CD2143G2-I");
        }
    }

    @Test
    void ssdpSearchIsAnsweredWithServerAndLocation() throws Exception {
        try (FakeDevice upnp = new FakeDevice("127.32.0.106", 1900, (request, from) -> {
            String r = text(request);
            return r.equals("M-SEARCH * HTTP/1.1\r\nHOST: 127.32.0.106:1900\r\n"
                    + "MAN: \"ssdp:discover\"\r\nMX: 1\r\nST: upnp:rootdevice\r\n\r\n")
                            ? List.of(Frames.utf8(Fixtures.text("ssdp_reply.txt")))
                            : List.of();
        })) {
            Run run = scan("127.32.0.106");

            Observation o = run.only("127.32.0.106");
            assertThat(o.protocol()).isEqualTo("ssdp");
            assertThat(o.port()).isEqualTo(1900);
            assertThat(o.fields())
                    .containsEntry("upnp.server",
                            "Linux/4.9.37, UPnP/1.0, Portable SDK for UPnP devices/1.6.22")
                    .containsEntry("upnp.location", "http://192.0.2.64:49152/rootDesc.xml")
                    .containsEntry("upnp.st", "upnp:rootdevice")
                    .containsEntry("upnp.usn",
                            "uuid:3fa1c5d2-8e11-11ee-b2a9-c056e3a1b2c3::upnp:rootdevice")
                    .doesNotContainKey("error");
        }
    }

    @Test
    void dvripDiscoveryReplyGivesNetCommonFields() throws Exception {
        try (FakeDevice xm = new FakeDevice("127.32.0.107", 34569,
                dvrip(Frames.dvripJson(Fixtures.json("dvrip_netcommon.json"))))) {
            Run run = scan("127.32.0.107");

            assertThat(xm.requests()).singleElement()
                    .satisfies(r -> assertThat(r).isEqualTo(DvripDiscovery.request()));
            Observation o = run.only("127.32.0.107");
            assertThat(o.protocol()).isEqualTo("dvrip-discovery");
            assertThat(o.port()).isEqualTo(34569);
            assertThat(o.isError()).as("error: %s", o.fields()).isFalse();
            assertThat(o.mac()).contains("00:12:31:aa:bb:cc");
            assertThat(o.fields())
                    .containsEntry("dvrip.HostName", "LocalHost")
                    .containsEntry("dvrip.SN", "8a1b2c3d4e5f6071")
                    .containsEntry("dvrip.TCPPort", "34567")
                    .containsEntry("dvrip.MAC", "00:12:31:aa:bb:cc")
                    .doesNotContainKey("dvrip.Ret");
        }
    }

    @Test
    void hostileRepliesBecomeErrorObservationsAndTheScanGoesOn() throws Exception {
        byte[] json = Frames.utf8(Fixtures.json("dhdiscover_general.json") + "\n");
        byte[] badMagic = Frames.dhip(Frames.utf8("DHIX"), json.length, json);
        byte[] cut = Frames.utf8("{ \"NetWork.NetCommon\" : { \"HostName\" : \"Loc");
        byte[] truncated = Frames.dvrip(1531, 500, cut);
        try (FakeDevice dahua = new FakeDevice("127.32.0.110", 37810, dhdiscover(badMagic));
                FakeDevice xm = new FakeDevice("127.32.0.111", 34569, dvrip(truncated));
                FakeDevice bomb = new FakeDevice("127.32.0.112", 37020,
                        sadp(Fixtures.text("sadp_entity_bomb.xml")));
                FakeDevice hik = new FakeDevice("127.32.0.113", 37020,
                        sadp(Fixtures.text("sadp_ds-2cd2143g2-i.xml")))) {
            long started = System.nanoTime();
            Run run = scan("127.32.0.110", "127.32.0.111", "127.32.0.112", "127.32.0.113");

            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(run.only("127.32.0.110").fields().get("error"))
                    .isEqualTo("dhip: bad magic (expected \"DHIP\" at offset 4)");
            assertThat(run.only("127.32.0.110").raw()).startsWith(" \\x00\\x00\\x00DHIX");
            assertThat(run.only("127.32.0.111").fields().get("error"))
                    .isEqualTo(
                            "dvrip: truncated reply: header says 500 payload bytes, datagram has "
                                    + cut.length);
            Observation bombed = run.only("127.32.0.112");
            assertThat(bombed.fields()).containsEntry("error", "xml rejected: DOCTYPE")
                    .doesNotContainKey("sadp.DeviceDescription");
            assertThat(bombed.protocol()).isEqualTo("sadp");
            assertThat(bombed.raw()).contains("<!DOCTYPE");
            assertThat(run.only("127.32.0.113").fields())
                    .containsEntry("sadp.DeviceDescription", "DS-2CD2143G2-I");
            assertThat(run.result()).isEqualTo(new UdpDiscovery.Result(20, 4, 0, 3));
        }
    }

    @Test
    void unsolicitedReplyFromOutsideTheScopeIsDroppedAndCounted() throws Exception {
        try (FakeDevice outsider = FakeDevice.silent("127.32.9.9", 37020);
                FakeDevice hik = new FakeDevice("127.32.0.120", 37020, (request, from) -> {
                    // the outsider learns the scanner's port from here and answers unasked
                    outsider.send(Frames.utf8(Fixtures.text("sadp_ds-2cd2143g2-i.xml")), from);
                    return sadp(Fixtures.text("sadp_ds-2cd2143g2-i.xml")).apply(request, from);
                })) {
            Run run = scan("127.32.0.120");

            assertThat(run.observations()).extracting(Observation::address)
                    .containsExactly("127.32.0.120");
            assertThat(run.result().droppedOutOfScope()).isEqualTo(1);
            assertThat(run.result().replies()).isEqualTo(1);
            assertThat(outsider.requests()).isEmpty();
        }
    }

    @Test
    void excludedAndOutOfScopeTargetsReceiveNothing() throws Exception {
        List<FakeDevice> excluded = new ArrayList<>();
        try (FakeDevice included = FakeDevice.silent("127.32.0.131", 37020)) {
            for (int port : new int[]{3702, 1900, 37020, 37810, 34569}) {
                excluded.add(FakeDevice.silent("127.32.0.130", port));
                excluded.add(FakeDevice.silent("127.32.9.10", port));
            }
            Run run = scan(network(List.of("127.32.0.130")), "127.32.0.130", "127.32.9.10",
                    "127.32.0.131");

            for (FakeDevice d : excluded) {
                assertThat(d.requests()).isEmpty();
            }
            assertThat(included.requests()).hasSize(1);
            assertThat(run.result().datagramsSent()).isEqualTo(5);
            assertThat(run.observations()).isEmpty();
        } finally {
            for (FakeDevice d : excluded) {
                d.close();
            }
        }
    }
}
