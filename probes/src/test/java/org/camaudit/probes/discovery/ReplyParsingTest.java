package org.camaudit.probes.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.camaudit.model.Observation;
import org.camaudit.model.Source;
import org.junit.jupiter.api.Test;

/** Parsers fed hostile and odd replies directly, without sockets. */
class ReplyParsingTest {
    private static Observation.Builder builder() {
        return Observation.builder(Source.ACTIVE, "127.32.0.1").protocol("test");
    }

    private static void parse(ReplyParser parser, byte[] data, Observation.Builder out)
            throws MalformedReplyException {
        parser.parse(data, data.length, out);
    }

    @Test
    void anyDoctypeIsRejectedEvenWithoutEntities() {
        byte[] reply = Frames.utf8("<?xml version=\"1.0\"?><!doctype ProbeMatch SYSTEM "
                + "\"http://127.32.0.9/x.dtd\"><ProbeMatch><MAC>c0-56-e3-00-00-01</MAC></ProbeMatch>");
        assertThatThrownBy(() -> parse(Sadp::parse, reply, builder()))
                .isInstanceOf(MalformedReplyException.class)
                .hasMessage("xml rejected: DOCTYPE");
        assertThatThrownBy(() -> parse(WsDiscovery::parse, reply, builder()))
                .hasMessage("xml rejected: DOCTYPE");
    }

    @Test
    void sadpWithAnotherRootIsMalformed() {
        byte[] echo = Frames.utf8("<?xml version=\"1.0\" encoding=\"utf-8\"?><Probe><Uuid>X</Uuid>"
                + "<Types>inquiry</Types></Probe>");
        assertThatThrownBy(() -> parse(Sadp::parse, echo, builder()))
                .hasMessage("sadp: root element is <Probe>, not <ProbeMatch>");
    }

    @Test
    void wsDiscoveryFaultIsMalformedWithItsReason() {
        byte[] fault = Frames
                .utf8("<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\">"
                        + "<s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value></s:Code>"
                        + "<s:Reason><s:Text>bad probe</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>");
        assertThatThrownBy(() -> parse(WsDiscovery::parse, fault, builder()))
                .hasMessageStartingWith("ws-discovery: SOAP fault: ")
                .hasMessageContaining("bad probe");
    }

    @Test
    void scopeValuesArePercentDecodedAndPlusStaysPlus() {
        String scopes = "onvif://www.onvif.org/name/IPC%2BPro%20X onvif://www.onvif.org/Name/Second "
                + "onvif://www.onvif.org/hardware/IPC+5MP%zz onvif://www.onvif.org/location/x";
        assertThat(WsDiscovery.scopeValues(scopes, "name")).isEqualTo("IPC+Pro X, Second");
        assertThat(WsDiscovery.scopeValues(scopes, "hardware")).isEqualTo("IPC+5MP%zz");
        assertThat(WsDiscovery.scopeValues("onvif://www.onvif.org/type/NVT", "name")).isNull();
    }

    @Test
    void dhipHeaderLengthsAreCheckedAgainstTheDatagram() {
        byte[] body = Frames.utf8("{\"params\":{\"deviceInfo\":{\"Vendor\":\"General\"}}}\n");
        byte[] tooLong = Frames.dhip(Frames.utf8("DHIP"), body.length + 1, body);
        assertThatThrownBy(() -> parse(DhDiscover::parse, tooLong, builder()))
                .hasMessageStartingWith("dhip: header says");
        assertThatThrownBy(() -> parse(DhDiscover::parse, new byte[12], builder()))
                .hasMessage("dhip: 12 bytes, shorter than the 32-byte header");
        byte[] noInfo = Frames.dhip("{\"method\":\"DHDiscover.search\",\"params\":{\"mac\":\"\"}}");
        assertThatThrownBy(() -> parse(DhDiscover::parse, noInfo, builder()))
                .hasMessageStartingWith("dhdiscover: no params.deviceInfo");
    }

    @Test
    void dhdiscoverBadJsonIsMalformed() {
        byte[] broken = Frames.dhip("{\"params\":{\"deviceInfo\":{\"Vendor\":");
        assertThatThrownBy(() -> parse(DhDiscover::parse, broken, builder()))
                .hasMessageStartingWith("dhdiscover: bad JSON");
    }

    @Test
    void dvripRepliesWithOtherMessageIdsOrShortHeadersAreMalformed() {
        assertThatThrownBy(() -> parse(DvripDiscovery::parse, new byte[]{(byte) 0xFF, 1, 0},
                builder())).hasMessage("dvrip: truncated header (3 of 20 bytes)");
        byte[] login = Frames.dvrip(1001, 2, Frames.utf8("{}"));
        assertThatThrownBy(() -> parse(DvripDiscovery::parse, login, builder()))
                .hasMessage("dvrip: message id 1001, expected 1531");
        byte[] noCommon = Frames.dvripJson("{\"Ret\":100}");
        assertThatThrownBy(() -> parse(DvripDiscovery::parse, noCommon, builder()))
                .hasMessage("dvrip: no NetWork.NetCommon in reply");
    }

    @Test
    void ssdpNon200AndNonHttpAreMalformed() {
        assertThatThrownBy(() -> parse(Ssdp::parse,
                Frames.utf8("HTTP/1.1 404 Not Found\r\nSERVER: x\r\n\r\n"), builder()))
                .hasMessage("ssdp: status HTTP/1.1 404 Not Found");
        assertThatThrownBy(() -> parse(Ssdp::parse, Frames.utf8("hello"), builder()))
                .hasMessage("ssdp: not an SSDP reply: hello");
    }

    @Test
    void deepOrWideJsonIsBounded() throws Exception {
        StringBuilder wide = new StringBuilder("{\"params\":{\"deviceInfo\":{");
        for (int i = 0; i < 500; i++) {
            wide.append(i == 0 ? "" : ",").append("\"K").append(i).append("\":").append(i);
        }
        wide.append("}}}");
        Observation.Builder out = builder();
        parse(DhDiscover::parse, Frames.dhip(wide.toString()), out);
        assertThat(out.build().fields()).hasSize(JsonReplies.MAX_FIELDS);

        String deep = "{\"params\":{\"deviceInfo\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(40)
                + "}}";
        assertThatThrownBy(() -> parse(DhDiscover::parse, Frames.dhip(deep), builder()))
                .hasMessageStartingWith("dhdiscover: bad JSON");
    }
}
