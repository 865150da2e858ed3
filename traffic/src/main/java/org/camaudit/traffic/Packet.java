package org.camaudit.traffic;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;

/**
 * The frame being decoded, as offsets into the capture buffer; one instance is reused for every
 * frame, so the hot path allocates nothing. Strings are made only when an observation is.
 */
final class Packet {
    byte[] data;
    long nanos;
    long fileOffset;
    int original;
    /** offset of the Ethernet source/destination MAC, or -1. */
    int srcMac = -1;
    int dstMac = -1;
    int ipVersion;
    int srcIp;
    int dstIp;
    int protocol;
    int srcPort;
    int dstPort;
    int tcpFlags;
    int payload;
    int payloadLength;

    void reset(byte[] d, long time, long offset, int originalLength) {
        data = d;
        nanos = time;
        fileOffset = offset;
        original = originalLength;
        srcMac = -1;
        dstMac = -1;
        ipVersion = 0;
        protocol = -1;
        srcPort = 0;
        dstPort = 0;
        tcpFlags = 0;
        payload = 0;
        payloadLength = 0;
    }

    int u8(int i) {
        return data[i] & 0xff;
    }

    int u16(int i) {
        return (data[i] & 0xff) << 8 | (data[i + 1] & 0xff);
    }

    int u32(int i) {
        return (data[i] & 0xff) << 24 | (data[i + 1] & 0xff) << 16 | (data[i + 2] & 0xff) << 8
                | (data[i + 3] & 0xff);
    }

    Instant time() {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
                Math.floorMod(nanos, 1_000_000_000L));
    }

    String source() {
        return address(data, srcIp, ipVersion);
    }

    String destination() {
        return address(data, dstIp, ipVersion);
    }

    static String address(byte[] d, int offset, int version) {
        if (version == 4) {
            return (d[offset] & 0xff) + "." + (d[offset + 1] & 0xff) + "." + (d[offset + 2] & 0xff)
                    + "." + (d[offset + 3] & 0xff);
        }
        byte[] a = new byte[16];
        System.arraycopy(d, offset, a, 0, 16);
        try {
            return InetAddress.getByAddress(a).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static String mac(byte[] d, int offset) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                sb.append(':');
            }
            int b = d[offset + i] & 0xff;
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 15, 16));
        }
        return sb.toString();
    }
}
