package org.camaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.model.SiteRanges;
import org.camaudit.store.ObservationLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's first "done when": {@code camaudit analyze} over real public captures of tcpdump's
 * test suite (BSD, read in place from the shared folder, see {@link PeerCapturesTest#corpus()}),
 * checked against what tshark reads in them, not against camaudit's own output.
 *
 * <p>
 * What tshark 4.0.17 says of the files ({@code tshark -r F -q -z conv,eth}, {@code -z io,phs} and
 * {@code -T fields -e eth.src -e ip.src -e arp.src.proto_ipv4 -e dhcp.option.hostname
 * -e dhcp.option.vendor_class_id}):
 * <ul>
 * <li>{@code eapon1.pcap} (114 frames, one Ethernet segment): 00:04:23:57:a5:7a (Intel prefix)
 * is 169.254.67.194 (NBNS, browser, SSDP M-SEARCH) and then 192.168.1.249 (DHCP request with
 * hostname DJP95S0J, vendor class "MSFT 5.0"; ARP for it); 00:0d:88:4f:25:91 (D-Link prefix) is
 * 192.168.1.1 (ARP); 00:0c:ce:88:31:9a (Cisco prefix, the 802.1X authenticator) sends EAPOL only,
 * no IP: no address, so no inventory device. Devices: two, both with a registered MAC.
 * <li>{@code dhcp-mud.pcap} (2 frames): a DHCP exchange between 62.12.173.121 (hostname
 * raspberrypi) and 62.12.173.114, public addresses: without {@code --local} they are peers, no
 * device.
 * <li>{@code dhcp-option-108.pcapng} (2 frames): the server 10.56.0.2 (98:49:25:13:25:40, Juniper
 * prefix) offers 10.56.42.232 to a client that asks from 0.0.0.0 (hostname MacBookPro, a locally
 * administered MAC 42:b4:44:b4:f0:ee) from 0.0.0.0 with transaction 0x9edf45b0; the OFFER of that
 * transaction gives it 10.56.42.232. Devices: the server and the client at its offered address.
 * </ul>
 */
class RealCaptureDevicesTest {
    static final List<String> FILES = List.of("eapon1.pcap", "dhcp-mud.pcap",
            "dhcp-option-108.pcapng");

    @TempDir
    Path data;

    @Test
    void realCapturesNameTheSiteHostsOnlyGiveThemAMakerAndRaiseNoAlarm() throws Exception {
        Optional<Path> corpus = PeerCapturesTest.corpus();
        assumeTrue(corpus.isPresent(), "no peer capture corpus (see PeerCapturesTest)");
        Path dir = corpus.get().resolve("tcpdump");
        List<String> args = new java.util.ArrayList<>(List.of("analyze", "--quiet"));
        for (String f : FILES) {
            Path p = dir.resolve(f);
            assertThat(p).isRegularFile();
            args.add(p.toString());
        }
        args.addAll(List.of("--data-dir", data.toString()));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exit()).as(run.err()).isZero();
        try (ObservationLog log = ObservationLog.openSqlite(data)) {
            List<Identification> devices = log.identifications(1);
            List<Finding> findings = log.findings(1);
            Map<String, String> makers = new TreeMap<>();
            devices.forEach(d -> makers.put(d.address() + " " + d.mac().orElse("-"), d.brand()
                    .orElse("?") + (d.makerByMac() ? " (by MAC)" : "")));
            System.out.printf("real captures %s: %d devices, %d with a maker %s; findings %s%n",
                    FILES, devices.size(), devices.stream().filter(d -> !d.isUnknown()).count(),
                    makers, findings.stream().map(f -> f.id() + "@" + f.address()).toList());

            // only the site's hosts are devices: no public address of dhcp-mud.pcap
            SiteRanges site = SiteRanges.builtIn();
            assertThat(devices).allSatisfy(d -> assertThat(site.isDevice(d.address())).as(d
                    .address()).isTrue());
            // the hosts tshark sees, one device per MAC (the Intel host's two addresses are one)
            assertThat(devices).extracting(d -> d.mac().orElse("-")).containsExactlyInAnyOrder(
                    "00:04:23:57:a5:7a", "00:0d:88:4f:25:91", "98:49:25:13:25:40",
                    "42:b4:44:b4:f0:ee");
            // the client that asked from 0.0.0.0 is the device its OFFER names
            assertThat(devices).filteredOn(d -> d.mac().orElse("").equals("42:b4:44:b4:f0:ee"))
                    .extracting(Identification::address).containsExactly("10.56.42.232");
            // a registered MAC (universally administered: bit 1 of the first octet clear) names
            // a maker (by MAC is enough); the locally administered one registers none
            assertThat(devices).filteredOn(d -> (Integer.parseInt(d.mac().orElse("02").substring(0,
                    2), 16) & 0x02) == 0).hasSize(3).allSatisfy(d -> assertThat(d.isUnknown()).as(d
                            .address()).isFalse());
            assertThat(findings).noneMatch(f -> f.address().startsWith("62.12.173."));
            assertThat(findings).extracting(Finding::id).doesNotContain("relay-forwarding",
                    "many-external-peers", "outbound-telnet-scan", "outbound-ssh-scan");
        }
    }
}
