package org.camaudit.probes.discovery;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The multicast and broadcast destinations used only when multicast discovery is enabled. */
final class Groups {
    /** SSDP, WS-Discovery and SADP share this group (different ports). */
    static final InetAddress SSDP_WSD_SADP = literal(
            new byte[]{(byte) 239, (byte) 255, (byte) 255, (byte) 250});
    /** Dahua DHDiscover. */
    static final InetAddress DAHUA = literal(
            new byte[]{(byte) 239, (byte) 255, (byte) 255, (byte) 251});
    /** Xiongmai DVRIP discovery is broadcast. */
    static final InetAddress BROADCAST = literal(
            new byte[]{(byte) 255, (byte) 255, (byte) 255, (byte) 255});

    private Groups() {
    }

    private static InetAddress literal(byte[] address) {
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
