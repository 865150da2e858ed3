package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.camaudit.model.Evidence;
import org.camaudit.model.Identification;
import org.camaudit.store.ObservationLog;
import org.camaudit.traffic.CaptureWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 part 2: {@code camaudit analyze} names devices from what their own traffic says, with
 * the evidence. The capture holds the wire formats as the RFCs lay them out: a DHCPREQUEST
 * (RFC 2131/2132, options 53, 50, 55, 60, 12), DNS queries (RFC 1035), an SSDP NOTIFY (UPnP
 * Device Architecture) and an mDNS response with a DNS-SD PTR record (RFC 6762/6763).
 */
class PassiveMakerEvidenceTest {
    private static final String HIK_MAC = "bc:ad:28:11:22:33"; // a Hikvision MA-L (protocol-facts §4)
    private static final String AXIS_MAC = "00:40:8c:12:34:56"; // an Axis MA-L (protocol-facts §4)
    private static final String GATEWAY_MAC = "02:00:00:00:00:01";

    @TempDir
    Path data;

    /** An unsolicited mDNS response: one PTR from a DNS-SD service type to an instance. */
    static byte[] mdnsPtr(String service, String instance) {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.writeBytes(new byte[]{0, 0, (byte) 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0});
        m.writeBytes(CaptureWriter.labels(service));
        m.writeBytes(new byte[]{0, 12, 0, 1, 0, 0, 0x11, (byte) 0x94});
        byte[] target = CaptureWriter.labels(instance + "." + service);
        m.write(target.length >> 8);
        m.write(target.length);
        m.writeBytes(target);
        return m.toByteArray();
    }

    @Test
    void devicesAreNamedByDhcpDnsSsdpAndMdnsWithTheirEvidence() throws Exception {
        byte[] parameters = {1, 3, 6, 12, 15, 28, 42};
        CaptureWriter w = new CaptureWriter();
        // a Hikvision-MAC device asks for its address, then resolves its cloud via the gateway,
        // which forwards the same name upstream (the resolver must not take the maker)
        w.udp(HIK_MAC, "0.0.0.0", 68, "ff:ff:ff:ff:ff:ff", "255.255.255.255", 67,
                CaptureWriter.dhcpRequest(HIK_MAC, null, "cam-lobby", "192.0.2.40", parameters));
        w.udp(HIK_MAC, "192.0.2.40", 40001, GATEWAY_MAC, "192.0.2.1", 53,
                CaptureWriter.dnsQuery(0x1001, "litedev.hik-connect.com"));
        w.udp(GATEWAY_MAC, "192.0.2.1", 40002, "02:00:00:00:00:02", "198.51.100.53", 53,
                CaptureWriter.dnsQuery(0x2002, "litedev.hik-connect.com"));
        // an Axis camera: its DHCP vendor class, SSDP announcement and DNS-SD service
        w.udp(AXIS_MAC, "0.0.0.0", 68, "ff:ff:ff:ff:ff:ff", "255.255.255.255", 67,
                CaptureWriter.dhcpRequest(AXIS_MAC, "AXIS,Network Camera,P3343,5.20.3",
                        "axis-00408c123456", "192.0.2.43", parameters));
        w.udp("02:00:00:00:00:41", "192.0.2.41", 1900, "01:00:5e:7f:ff:fa", "239.255.255.250",
                1900, ("NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
                        + "CACHE-CONTROL: max-age=1800\r\n"
                        + "LOCATION: http://192.0.2.41:49152/rootdesc1.xml\r\n"
                        + "NT: upnp:rootdevice\r\nNTS: ssdp:alive\r\n"
                        + "SERVER: Linux/2.6.35-axis1, UPnP/1.0, Portable SDK for UPnP devices/1.6.18\r\n"
                        + "USN: uuid:Upnp-BasicDevice-1_0-00408C123457::upnp:rootdevice\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        w.udp("02:00:00:00:00:42", "192.0.2.42", 5353, "01:00:5e:00:00:fb", "224.0.0.251", 5353,
                mdnsPtr("_axis-video._tcp.local", "AXIS P3343 - 00408C123458"));
        Path pcap = data.resolve("site.pcap");
        Files.write(pcap, w.pcap(ByteOrder.LITTLE_ENDIAN, false, 1));

        Path store = data.resolve("store");
        CliRun run = CliRun.of("analyze", "--local", CliRun.DOC_SITE, pcap.toString(),
                "--data-dir", store.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        Map<String, Identification> ids = new HashMap<>();
        try (ObservationLog log = ObservationLog.openSqlite(store)) {
            log.identifications(1).forEach(i -> ids.put(i.address(), i));
            java.util.List<String> parameterLists = new java.util.ArrayList<>();
            java.util.List<String> resolverAsked = new java.util.ArrayList<>();
            log.forEachObservation(1, o -> {
                if (o.address().equals("192.0.2.40")) {
                    o.field("dhcp.parameter_list").ifPresent(parameterLists::add);
                }
                if (o.address().equals("192.0.2.1")) {
                    o.field("dns.query").ifPresent(resolverAsked::add);
                }
            });
            assertThat(parameterLists).as("option 55 in the client's order")
                    .containsExactly("1,3,6,12,15,28,42");
            assertThat(resolverAsked).contains("litedev.hik-connect.com");
        }
        Identification hik = ids.get("192.0.2.40");
        assertThat(hik.platform()).contains("Hikvision");
        assertThat(rules(hik)).contains("cloud-hik-connect", "oui:MA-L");
        assertThat(java.util.Optional.ofNullable(ids.get("192.0.2.1")).flatMap(
                Identification::platform)).as("the forwarding resolver").isEmpty();

        Identification dhcpAxis = ids.get("192.0.2.43");
        assertThat(dhcpAxis.platform()).contains("Axis");
        assertThat(dhcpAxis.model()).contains("P3343");
        assertThat(rules(dhcpAxis)).contains("axis-dhcp-camera");
        assertThat(ids.get("192.0.2.41").platform()).contains("Axis");
        assertThat(rules(ids.get("192.0.2.41"))).contains("axis-upnp-server");
        assertThat(ids.get("192.0.2.42").platform()).contains("Axis");
        assertThat(rules(ids.get("192.0.2.42"))).contains("axis-mdns-service");
    }

    private static java.util.List<String> rules(Identification id) {
        return id.evidence().stream().map(Evidence::ruleId).toList();
    }
}
