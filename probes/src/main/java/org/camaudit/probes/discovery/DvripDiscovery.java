package org.camaudit.probes.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;

/**
 * Xiongmai "Sofia" DVRIP discovery over UDP 34569 (protocol-facts §1.5). The request is the bare
 * 20-byte little-endian header, no payload:
 *
 * <pre>
 * FF        head flag
 * 00        version
 * 00 00     reserved
 * 00 00 00 00  session id
 * 00 00 00 00  sequence number
 * 00 00     reserved (packet counters)
 * FA 05     message id 1530 (discovery request)
 * 00 00 00 00  payload length 0
 * </pre>
 *
 * A reply carries message 1531 and JSON (often ending {@code \n\0}) whose
 * {@code NetWork.NetCommon} object is flattened into {@code dvrip.<Key>}. Messages 1532/1533 change
 * the device's network settings and are never built.
 */
final class DvripDiscovery {
    static final String NAME = "dvrip-discovery";
    static final int PORT = 34569;
    static final int HEADER = 20;
    static final int REQUEST_ID = 1530;
    static final int REPLY_ID = 1531;

    private DvripDiscovery() {
    }

    static DiscoveryProtocol protocol() {
        return new DiscoveryProtocol(NAME, PORT, Groups.BROADCAST, destination -> request(),
                DvripDiscovery::recognises, DvripDiscovery::parse);
    }

    static byte[] request() {
        byte[] b = new byte[HEADER];
        b[0] = (byte) 0xFF;
        b[14] = (byte) (REQUEST_ID & 0xff);
        b[15] = (byte) (REQUEST_ID >>> 8);
        return b;
    }

    static boolean recognises(byte[] data, int length) {
        return length >= 16 && (data[0] & 0xff) == 0xFF && Sniff.u16le(data, 14) == REPLY_ID;
    }

    static void parse(byte[] data, int length, Observation.Builder out)
            throws MalformedReplyException {
        if (length < HEADER) {
            throw new MalformedReplyException("dvrip: truncated header (" + length + " of "
                    + HEADER + " bytes)");
        }
        if ((data[0] & 0xff) != 0xFF) {
            throw new MalformedReplyException(String.format("dvrip: bad head flag 0x%02x",
                    data[0] & 0xff));
        }
        int id = Sniff.u16le(data, 14);
        if (id != REPLY_ID) {
            throw new MalformedReplyException("dvrip: message id " + id + ", expected "
                    + REPLY_ID);
        }
        long declared = Sniff.u32le(data, 16);
        long available = length - HEADER;
        if (declared > available) {
            throw new MalformedReplyException("dvrip: truncated reply: header says " + declared
                    + " payload bytes, datagram has " + available);
        }
        JsonNode reply = JsonReplies.read(data, HEADER, (int) declared, "dvrip");
        JsonNode common = reply.get("NetWork.NetCommon");
        if (common == null || !common.isObject()) {
            throw new MalformedReplyException("dvrip: no NetWork.NetCommon in reply");
        }
        JsonReplies.flatten(common, Fields.DVRIP_PREFIX, out);
        String mac = JsonReplies.text(common, "MAC");
        if (mac != null) {
            out.mac(mac);
        }
    }
}
