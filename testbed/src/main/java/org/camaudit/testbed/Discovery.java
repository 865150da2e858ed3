package org.camaudit.testbed;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Vendor discovery replies, built from protocol-facts.md §1: Hikvision SADP (UDP 37020, XML
 * ProbeMatch), Dahua DHDiscover (UDP 37810, DHIP header + JSON), Xiongmai DVRIP (UDP 34569,
 * 20-byte header, message 1530 answered by 1531), SSDP (UDP 1900).
 */
public final class Discovery {
    private Discovery() {
    }

    /** A SADP ProbeMatch with these fields in this order, when the request is an inquiry. */
    public static Optional<byte[]> sadp(byte[] request, Map<String, String> fields) {
        String text = new String(request, StandardCharsets.UTF_8);
        if (!text.contains("<Probe>") || !text.contains("inquiry")) {
            return Optional.empty();
        }
        int u = text.indexOf("<Uuid>");
        String uuid = u < 0 ? "" : text.substring(u + 6, Math.max(u + 6, text.indexOf("</Uuid>")));
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<ProbeMatch>\n<Uuid>" + uuid + "</Uuid>\n<Types>inquiry</Types>\n");
        fields.forEach((k, v) -> xml.append('<').append(k).append('>').append(v).append("</")
                .append(k).append(">\n"));
        xml.append("</ProbeMatch>\n");
        return Optional.of(xml.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A DHDiscover reply (client.notifyDevInfo) when the request is DHDiscover.search. */
    public static Optional<byte[]> dhDiscover(byte[] request, String mac, String deviceInfoJson) {
        if (request.length < 32 || request[4] != 'D' || request[5] != 'H' || request[6] != 'I'
                || request[7] != 'P') {
            return Optional.empty();
        }
        String body = new String(request, 32, request.length - 32, StandardCharsets.UTF_8);
        if (!body.contains("DHDiscover.search")) {
            return Optional.empty();
        }
        String json = "{\"mac\":\"" + mac + "\",\"method\":\"client.notifyDevInfo\",\"params\":"
                + "{\"deviceInfo\":" + deviceInfoJson + "}}\n";
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(32 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x20).put("DHIP".getBytes(StandardCharsets.US_ASCII)).putInt(0).putInt(0);
        b.putInt(payload.length).putInt(0).putInt(payload.length).putInt(0).put(payload);
        return Optional.of(b.array());
    }

    /** A DVRIP 1531 reply carrying NetWork.NetCommon, when the request is a 1530 search. */
    public static Optional<byte[]> dvrip(byte[] request, String netCommonJson) {
        if (request.length < 20 || (request[0] & 0xff) != 0xff) {
            return Optional.empty();
        }
        int message = ByteBuffer.wrap(request, 14, 2).order(ByteOrder.LITTLE_ENDIAN).getShort()
                & 0xffff;
        if (message != 1530) {
            return Optional.empty(); // never answer (or act on) anything else
        }
        byte[] json = ("{ \"NetWork.NetCommon\" : " + netCommonJson + ", \"Ret\" : 100,"
                + " \"SessionID\" : \"0x00000000\" }\n\0").getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(20 + json.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0xff).put((byte) 0x01).putShort((short) 0).putInt(0).putInt(0);
        b.putShort((short) 0).putShort((short) 1531).putInt(json.length).put(json);
        return Optional.of(b.array());
    }

    /** An SSDP search response when the request is an M-SEARCH. */
    public static Optional<byte[]> ssdp(byte[] request, String server, String location,
            String usn) {
        String text = new String(request, StandardCharsets.ISO_8859_1);
        if (!text.startsWith("M-SEARCH")) {
            return Optional.empty();
        }
        String reply = "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nDATE: " + Http.date()
                + "\r\nEXT:\r\nLOCATION: " + location + "\r\nSERVER: " + server
                + "\r\nST: upnp:rootdevice\r\nUSN: " + usn + "::upnp:rootdevice\r\n\r\n";
        return Optional.of(reply.getBytes(StandardCharsets.ISO_8859_1));
    }
}
