package org.camaudit.probes.discovery;

import org.camaudit.probes.DeviceXml;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;

/**
 * Dahua DHDiscover v2 over UDP 37810 (protocol-facts §1.4): a 32-byte little-endian DHIP header
 * then the JSON body {@code {"method":"DHDiscover.search","params":{"mac":"","uni":1}}} and a
 * newline. Header: 0x00 header length 0x20, 0x04 "DHIP", 0x08 and 0x0C zero, 0x10 body length,
 * 0x14 zero, 0x18 body length again, 0x1C zero. {@code params.deviceInfo} of the reply is
 * flattened into {@code dhdiscover.<Key>}. Only DHDiscover.search is ever sent.
 */
final class DhDiscover {
    static final String NAME = "dhdiscover";
    static final int PORT = 37810;
    static final int HEADER = 32;
    private static final byte[] MAGIC = {'D', 'H', 'I', 'P'};

    private static final byte[] BODY = (Templates.load("dhdiscover_37810.json") + "\n")
            .getBytes(StandardCharsets.UTF_8);

    private DhDiscover() {
    }

    static DiscoveryProtocol protocol() {
        return new DiscoveryProtocol(NAME, PORT, Groups.DAHUA, destination -> search(),
                DhDiscover::recognises, DhDiscover::parse);
    }

    static byte[] search() {
        ByteBuffer b = ByteBuffer.allocate(HEADER + BODY.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(HEADER);
        b.put(MAGIC);
        b.putInt(0);
        b.putInt(0);
        b.putInt(BODY.length);
        b.putInt(0);
        b.putInt(BODY.length);
        b.putInt(0);
        b.put(BODY);
        return b.array();
    }

    static boolean recognises(byte[] data, int length) {
        return length >= 8 && data[4] == 'D' && data[5] == 'H' && data[6] == 'I' && data[7] == 'P';
    }

    static void parse(byte[] data, int length, Observation.Builder out)
            throws MalformedReplyException {
        if (length < HEADER) {
            throw new MalformedReplyException("dhip: " + length + " bytes, shorter than the "
                    + HEADER + "-byte header");
        }
        if (!recognises(data, length)) {
            throw new MalformedReplyException("dhip: bad magic (expected \"DHIP\" at offset 4)");
        }
        long headerLength = Sniff.u32le(data, 0);
        if (headerLength != HEADER) {
            throw new MalformedReplyException("dhip: header length " + headerLength
                    + ", expected " + HEADER);
        }
        long available = length - HEADER;
        long bodyLength = Sniff.u32le(data, 0x10);
        long bodyLengthAgain = Sniff.u32le(data, 0x18);
        if (bodyLength > available || bodyLengthAgain > available) {
            throw new MalformedReplyException("dhip: header says " + bodyLength + "/"
                    + bodyLengthAgain + " body bytes, datagram has " + available);
        }
        if (bodyLength == 0) {
            throw new MalformedReplyException("dhip: empty body");
        }
        JsonNode reply = JsonReplies.read(data, HEADER, (int) bodyLength, "dhdiscover");
        JsonNode params = reply.get("params");
        JsonNode info = params == null ? null : params.get("deviceInfo");
        if (info == null || !info.isObject()) {
            throw new MalformedReplyException("dhdiscover: no params.deviceInfo (method "
                    + DeviceXml.oneLine(String.valueOf(JsonReplies.text(reply, "method"))) + ")");
        }
        JsonReplies.flatten(info, Fields.DHDISCOVER_PREFIX, out);
        String mac = JsonReplies.text(reply, "mac");
        if (mac == null) {
            mac = JsonReplies.text(params, "mac");
        }
        if (mac == null) {
            mac = JsonReplies.text(info, "mac");
        }
        if (mac == null) {
            mac = JsonReplies.text(info, "MAC");
        }
        if (mac != null) {
            out.mac(mac);
        }
    }
}
