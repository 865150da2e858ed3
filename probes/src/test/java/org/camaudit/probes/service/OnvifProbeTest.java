package org.camaudit.probes.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camaudit.probes.service.FakeDevice.bytes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.junit.jupiter.api.Test;

class OnvifProbeTest {
    static final String ENV = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://www.w3.org/2003/05/soap-envelope\""
            + " xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\" xmlns:tt=\"http://www.onvif.org/ver10/schema\""
            + " xmlns:ter=\"http://www.onvif.org/ver10/error\"><SOAP-ENV:Body>";
    static final String END = "</SOAP-ENV:Body></SOAP-ENV:Envelope>";

    static final String DATE = ENV + "<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>"
            + "<tt:DateTimeType>NTP</tt:DateTimeType><tt:UTCDateTime><tt:Time><tt:Hour>3</tt:Hour>"
            + "<tt:Minute>4</tt:Minute><tt:Second>5</tt:Second></tt:Time><tt:Date><tt:Year>2024</tt:Year>"
            + "<tt:Month>1</tt:Month><tt:Day>2</tt:Day></tt:Date></tt:UTCDateTime>"
            + "</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>" + END;
    static final String CAPS = ENV + "<tds:GetCapabilitiesResponse><tds:Capabilities>"
            + "<tt:Device><tt:XAddr>http://192.0.2.64/onvif/device_service</tt:XAddr></tt:Device>"
            + "<tt:Media><tt:XAddr>http://192.0.2.64/onvif/Media</tt:XAddr></tt:Media>"
            + "<tt:Events><tt:XAddr>http://192.0.2.64/onvif/Events</tt:XAddr></tt:Events>"
            + "</tds:Capabilities></tds:GetCapabilitiesResponse>" + END;
    static final String INFO = ENV
            + "<tds:GetDeviceInformationResponse><tds:Manufacturer>HIKVISION</tds:Manufacturer>"
            + "<tds:Model>DS-2CD2143G0-I</tds:Model><tds:FirmwareVersion>V5.5.82 build 190909</tds:FirmwareVersion>"
            + "<tds:SerialNumber>DS-2CD2143G0-I20190101AAWRC12345678</tds:SerialNumber>"
            + "<tds:HardwareId>88</tds:HardwareId></tds:GetDeviceInformationResponse>" + END;
    static final String FAULT = ENV
            + "<SOAP-ENV:Fault><SOAP-ENV:Code><SOAP-ENV:Value>SOAP-ENV:Sender</SOAP-ENV:Value>"
            + "<SOAP-ENV:Subcode><SOAP-ENV:Value>ter:NotAuthorized</SOAP-ENV:Value></SOAP-ENV:Subcode></SOAP-ENV:Code>"
            + "<SOAP-ENV:Reason><SOAP-ENV:Text xml:lang=\"en\">Sender not Authorized</SOAP-ENV:Text></SOAP-ENV:Reason>"
            + "</SOAP-ENV:Fault>" + END;

    static byte[] soap(int status, String xml) {
        byte[] body = xml.getBytes(StandardCharsets.UTF_8);
        String reason = status == 200 ? "OK" : status == 400 ? "Bad Request" : "Unauthorized";
        return FakeDevice
                .concat(bytes("HTTP/1.1 " + status + " " + reason + "\r\nServer: App-webs/\r\n"
                        + "Content-Type: application/soap+xml; charset=utf-8\r\nContent-Length: "
                        + body.length
                        + "\r\n\r\n"), body);
    }

    static FakeDevice onvif(Function<String, byte[]> byAction) throws Exception {
        return FakeDevice.start(TestNetwork.nextAddress(), 0, FakeDevice.http(request -> {
            if (!request.startsWith("POST /onvif/device_service HTTP/1.1\r\n")) {
                return FakeDevice.notFound();
            }
            return byAction.apply(request);
        }));
    }

    static OnvifProbe probe() {
        return new OnvifProbe(new HttpFetcher(new TlsClient()));
    }

    @Test
    void deviceInformationAnsweredAnonymously() throws Exception {
        try (FakeDevice device = onvif(r -> r.contains("<tds:GetSystemDateAndTime/>")
                ? soap(200, DATE)
                : r.contains("<tds:GetCapabilities>") ? soap(200, CAPS) : soap(200, INFO))) {
            List<Observation> out = probe().probe(device.address(), device.port(),
                    TestNetwork.context());
            assertThat(out).hasSize(3).allSatisfy(o -> {
                assertThat(o.protocol()).isEqualTo("onvif");
                assertThat(o.fields()).containsEntry(Fields.HTTP_SERVER, "App-webs/")
                        .doesNotContainKey(Fields.ERROR);
            });
            assertThat(out.get(0).fields())
                    .containsEntry(Fields.ONVIF_OPERATION, "GetSystemDateAndTime")
                    .containsEntry(Fields.ONVIF_DATETIME, "2024-01-02T03:04:05Z");
            assertThat(out.get(1).fields()).containsEntry(Fields.ONVIF_OPERATION, "GetCapabilities")
                    .containsEntry(Fields.ONVIF_CAPABILITIES,
                            "http://192.0.2.64/onvif/device_service"
                                    + " http://192.0.2.64/onvif/Media http://192.0.2.64/onvif/Events");
            assertThat(out.get(2).fields())
                    .containsEntry(Fields.ONVIF_OPERATION, "GetDeviceInformation")
                    .containsEntry(Fields.ONVIF_MANUFACTURER, "HIKVISION")
                    .containsEntry(Fields.ONVIF_MODEL, "DS-2CD2143G0-I")
                    .containsEntry(Fields.ONVIF_FIRMWARE, "V5.5.82 build 190909")
                    .containsEntry(Fields.ONVIF_SERIAL, "DS-2CD2143G0-I20190101AAWRC12345678")
                    .containsEntry(Fields.ONVIF_HARDWARE_ID, "88");
            device.awaitIdle(Duration.ofSeconds(2));
            assertThat(device.receivedText())
                    .contains(
                            "Content-Type: application/soap+xml; charset=utf-8; action=\"http://www.onvif.org/ver10/device/wsdl/GetDeviceInformation\"")
                    .doesNotContain("UsernameToken").doesNotContain("Authorization");
        }
    }

    @Test
    void deviceInformationRefusedWithSoapFault() throws Exception {
        try (FakeDevice device = onvif(r -> r.contains("GetDeviceInformation")
                ? soap(400, FAULT)
                : r.contains("<tds:GetCapabilities>") ? soap(200, CAPS) : soap(200, DATE))) {
            List<Observation> out = probe().probe(device.address(), device.port(),
                    TestNetwork.context());
            assertThat(out).hasSize(3);
            assertThat(out.get(2).fields())
                    .containsEntry(Fields.ONVIF_OPERATION, "GetDeviceInformation")
                    .containsEntry(Fields.HTTP_STATUS, "400")
                    .containsEntry(Fields.ONVIF_FAULT,
                            "SOAP-ENV:Sender ter:NotAuthorized Sender not Authorized")
                    .doesNotContainKey(Fields.ONVIF_MANUFACTURER).doesNotContainKey(Fields.ERROR);
        }
    }

    @Test
    void httpUnauthorizedWithoutBodyIsAnOutcome() throws Exception {
        byte[] denied = bytes(
                "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm=\"IP Camera\", nonce=\"1\"\r\n"
                        + "Content-Length: 0\r\n\r\n");
        try (FakeDevice device = onvif(
                r -> r.contains("GetDeviceInformation") ? denied : soap(200, DATE))) {
            Observation info = probe().probe(device.address(), device.port(), TestNetwork.context())
                    .get(2);
            assertThat(info.fields()).containsEntry(Fields.HTTP_STATUS, "401")
                    .containsEntry(Fields.HTTP_REALM, "IP Camera").doesNotContainKey(Fields.ERROR);
        }
    }

    @Test
    void billionLaughsIsRejectedQuickly() throws Exception {
        StringBuilder bomb = new StringBuilder(
                "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
        bomb.append("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
        for (int i = 2; i <= 9; i++) {
            bomb.append("<!ENTITY lol").append(i).append(" \"")
                    .append(("&lol" + (i - 1) + ";").repeat(10)).append("\">\n");
        }
        bomb.append("]>\n<lolz>&lol9;</lolz>");
        try (FakeDevice device = onvif(r -> soap(200, bomb.toString()))) {
            long start = System.nanoTime();
            List<Observation> out = probe().probe(device.address(), device.port(),
                    TestNetwork.context());
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofSeconds(2));
            assertThat(out).hasSize(3).allSatisfy(o -> {
                assertThat(o.fields()).containsEntry(Fields.ERROR, "xml rejected: DOCTYPE");
                assertThat(o.raw()).startsWith("HTTP/1.1 200 OK");
            });
        }
    }

    @Test
    void externalEntitiesAreNeverResolved() throws Exception {
        try (FakeDevice bait = FakeDevice.start(TestNetwork.nextAddress(), 0,
                FakeDevice.silent())) {
            String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [\n<!ENTITY file SYSTEM \"file:///etc/passwd\">\n"
                    + "<!ENTITY net SYSTEM \"http://" + bait.address().getHostAddress() + ":"
                    + bait.port() + "/x\">\n"
                    + "]>\n" + INFO.replace("HIKVISION", "&file;&net;")
                            .replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", "");
            try (FakeDevice device = onvif(r -> soap(200, xxe))) {
                List<Observation> out = probe().probe(device.address(), device.port(),
                        TestNetwork.context());
                assertThat(out).isNotEmpty().allSatisfy(o -> {
                    assertThat(o.fields()).containsEntry(Fields.ERROR, "xml rejected: DOCTYPE")
                            .doesNotContainKey(Fields.ONVIF_MANUFACTURER);
                    assertThat(o.toString()).doesNotContain("root:x:0:0");
                });
                assertThat(bait.connections()).isZero();
            }
        }
    }

    @Test
    void parserRefusesDoctypeEvenWithoutThePrecheck() {
        byte[] hidden = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>"
                .getBytes(StandardCharsets.UTF_16);
        org.assertj.core.api.Assertions
                .assertThatThrownBy(() -> org.camaudit.probes.DeviceXml.parse(hidden))
                .isInstanceOf(org.camaudit.probes.DeviceXml.Rejected.class)
                .hasMessage("xml rejected: DOCTYPE");
    }

    /** A plain web server on an ONVIF port: its HTML error page is no XML, so no error and no more requests. */
    @Test
    void plainWebServerIsNoOnvifAndNotAnError() throws Exception {
        java.util.concurrent.atomic.AtomicInteger posts = new java.util.concurrent.atomic.AtomicInteger();
        byte[] html = bytes("<!DOCTYPE HTML>\n<html><head><title>Error response</title></head>"
                + "<body>Error code: 501</body></html>");
        try (FakeDevice device = onvif(r -> {
            posts.incrementAndGet();
            return FakeDevice.concat(bytes("HTTP/1.0 501 Unsupported method ('POST')\r\n"
                    + "Server: SimpleHTTP/0.6 Python/3.11.7\r\nContent-Type: text/html;charset=utf-8\r\n"
                    + "Content-Length: " + html.length + "\r\n\r\n"), html);
        })) {
            List<Observation> out = probe().probe(device.address(), device.port(),
                    TestNetwork.context());
            assertThat(out).hasSize(1);
            assertThat(out.get(0).fields()).doesNotContainKey(Fields.ERROR)
                    .containsEntry(Fields.ONVIF_SERVICE, "absent")
                    .containsEntry(Fields.HTTP_STATUS, "501");
            assertThat(posts.get()).isEqualTo(1);
        }
    }
}
