package org.camaudit.testbed;

import java.util.List;
import java.util.Optional;

/**
 * A vendor cloud as a simulated device's firmware calls it: the name it resolves, how it talks
 * (TLS with SNI, a UDP P2P request, or plain HTTP), and the port. Names and ports follow
 * protocol-facts §6: Hik-Connect {@code litedev.hik-connect.com} over TLS [V]; Dahua P2P
 * {@code www.easy4ipcloud.com} UDP 8800 with {@code DHGET /probe/p2psrv} [V]; Xiongmai XMEye
 * registration POSTed to {@code access-dss.secu100.net} [V]; Reolink {@code apis.reolink.com}
 * [S]. The simulated endpoints live on loopback ({@link SimulatedInternet}).
 *
 * @param id the clouds-pack id (knowledge {@code clouds/clouds.yaml})
 * @param platform the platform maker whose firmware calls it
 */
public record VendorCloud(String id, String platform, String name, Transport transport,
        int port) {
    /** How the firmware talks to its cloud. */
    public enum Transport {
        TLS, UDP, HTTP
    }

    static final List<VendorCloud> ALL = List.of(
            new VendorCloud("hik-connect", "Hikvision", "litedev.hik-connect.com", Transport.TLS,
                    443),
            new VendorCloud("easy4ip", "Dahua", "www.easy4ipcloud.com", Transport.UDP, 8800),
            new VendorCloud("xmeye", "Xiongmai", "access-dss.secu100.net", Transport.HTTP, 80),
            new VendorCloud("reolink-cloud", "Reolink", "apis.reolink.com", Transport.TLS, 443));

    /** The cloud the device's firmware calls, by its platform maker. */
    public static Optional<VendorCloud> of(DeviceSpec device) {
        return ALL.stream().filter(c -> c.platform.equalsIgnoreCase(device.platform()))
                .findFirst();
    }

    /** The finding a passive audit raises for a device seen calling it. */
    public String findingId() {
        return "vendor-cloud-" + id;
    }
}
