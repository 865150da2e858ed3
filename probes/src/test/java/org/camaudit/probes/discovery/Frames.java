package org.camaudit.probes.discovery;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds device-side frames for the fake devices, written from the wire formats in protocol-facts. */
final class Frames {
    private Frames() {
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A DHIP frame: 32-byte little-endian header, then the body. */
    static byte[] dhip(byte[] magic, int bodyLength, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(32 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(32).put(magic).putInt(0).putInt(0).putInt(bodyLength).putInt(0)
                .putInt(bodyLength).putInt(0).put(body);
        return b.array();
    }

    static byte[] dhip(String json) {
        byte[] body = utf8(json + "\n");
        return dhip(utf8("DHIP"), body.length, body);
    }

    /** A DVRIP frame: 20-byte little-endian header (declared payload length given), then payload. */
    static byte[] dvrip(int messageId, int declaredLength, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0xFF).put((byte) 1).putShort((short) 0).putInt(0).putInt(0).putShort((short) 0)
                .putShort((short) messageId).putInt(declaredLength).put(payload);
        return b.array();
    }

    static byte[] dvripJson(String json) {
        byte[] payload = utf8(json + "\n\0");
        return dvrip(DvripDiscovery.REPLY_ID, payload.length, payload);
    }

    static int u16le(byte[] data, int offset) {
        return (data[offset] & 0xff) | (data[offset + 1] & 0xff) << 8;
    }

    static int u32le(byte[] data, int offset) {
        return ByteBuffer.wrap(data, offset, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }
}
