package org.camaudit.probes.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each protocol sends, byte for byte, without touching the network (zmap's dry run). */
class PayloadTest {
    private static InetSocketAddress to(String address, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(address), port);
    }

    private static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    @Test
    void protocolsAreTheFiveSafeProbesOnTheirPorts() {
        assertThat(UdpDiscovery.protocols())
                .extracting(DiscoveryProtocol::name, DiscoveryProtocol::port)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("onvif-discovery", 3702),
                        org.assertj.core.groups.Tuple.tuple("ssdp", 1900),
                        org.assertj.core.groups.Tuple.tuple("sadp", 37020),
                        org.assertj.core.groups.Tuple.tuple("dhdiscover", 37810),
                        org.assertj.core.groups.Tuple.tuple("dvrip-discovery", 34569));
        assertThat(UdpDiscovery.protocols())
                .extracting(p -> p.groupDestination().toString())
                .containsExactly("/239.255.255.250:3702", "/239.255.255.250:1900",
                        "/239.255.255.250:37020", "/239.255.255.251:37810",
                        "/255.255.255.255:34569");
    }

    @Test
    void wsDiscoveryProbeHasAFreshMessageIdAndNoTypesFilter() throws Exception {
        DiscoveryProtocol wsd = WsDiscovery.protocol();
        String first = text(wsd.request(to("127.32.0.1", 3702)));
        String second = text(wsd.request(to("127.32.0.1", 3702)));
        assertThat(first).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><s:Envelope")
                .contains("xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"")
                .contains("http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action>")
                .contains(
                        "<a:To s:mustUnderstand=\"1\">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>")
                .containsPattern("<a:MessageID>urn:uuid:[0-9a-f]{8}-[0-9a-f-]{27}</a:MessageID>")
                .endsWith("<s:Body><d:Probe/></s:Body></s:Envelope>")
                .doesNotContain("Types").doesNotContain("${");
        assertThat(first.replaceAll("urn:uuid:[0-9a-f-]{36}", ""))
                .isEqualTo(second.replaceAll("urn:uuid:[0-9a-f-]{36}", ""));
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void ssdpSearchNamesTheUnicastTargetAsHost() throws Exception {
        DiscoveryProtocol ssdp = Ssdp.protocol();
        assertThat(text(ssdp.request(to("127.32.0.7", 1900)))).isEqualTo(
                "M-SEARCH * HTTP/1.1\r\nHOST: 127.32.0.7:1900\r\nMAN: \"ssdp:discover\"\r\n"
                        + "MX: 1\r\nST: upnp:rootdevice\r\n\r\n");
        assertThat(text(ssdp.request(to("::1", 1900))))
                .contains("HOST: [0:0:0:0:0:0:0:1]:1900\r\n");
    }

    @Test
    void sadpInquiryCarriesAnUpperCaseUuid() throws Exception {
        String inquiry = text(Sadp.protocol().request(to("127.32.0.1", 37020)));
        assertThat(inquiry).matches("<\\?xml version=\"1.0\" encoding=\"utf-8\"\\?><Probe><Uuid>"
                + "[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}</Uuid>"
                + "<Types>inquiry</Types></Probe>");
    }

    @Test
    void dhdiscoverSearchIsAThirtyTwoByteDhipHeaderAndJsonLine() {
        byte[] body = "{\"method\":\"DHDiscover.search\",\"params\":{\"mac\":\"\",\"uni\":1}}\n"
                .getBytes(StandardCharsets.UTF_8);
        byte[] request = DhDiscover.search();
        assertThat(body).hasSize(59);
        assertThat(request).hasSize(32 + 59);
        assertThat(java.util.Arrays.copyOfRange(request, 0, 32)).containsExactly(
                0x20, 0, 0, 0, 'D', 'H', 'I', 'P', 0, 0, 0, 0, 0, 0, 0, 0,
                59, 0, 0, 0, 0, 0, 0, 0, 59, 0, 0, 0, 0, 0, 0, 0);
        assertThat(java.util.Arrays.copyOfRange(request, 32, request.length)).isEqualTo(body);
        assertThat(text(request)).doesNotContain("setConfig");
    }

    @Test
    void dvripDiscoveryIsTheBareMessage1530Header() {
        assertThat(DvripDiscovery.request()).containsExactly(
                0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFA, 0x05, 0, 0, 0, 0);
    }

    @Test
    void noPayloadEverCarriesAStateChangingMessage() throws Exception {
        for (DiscoveryProtocol p : UdpDiscovery.protocols()) {
            byte[] request = p.request(to("127.32.0.1", p.port()));
            String t = text(request);
            assertThat(t).as(p.name()).doesNotContain("setConfig").doesNotContain("modify")
                    .doesNotContain("reset").doesNotContain("getcode");
            if (p.name().equals("dvrip-discovery")) {
                assertThat(Frames.u16le(request, 14)).isNotIn(1532, 1533);
            }
        }
        assertThat(List.of(DvripDiscovery.REQUEST_ID)).containsExactly(1530);
    }
}
