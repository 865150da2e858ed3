package org.camaudit.testbed;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * ONVIF as devices speak it: device-service SOAP answers and WS-Discovery ProbeMatch replies
 * (ONVIF Core: GetSystemDateAndTime and GetCapabilities are PRE_AUTH; GetDeviceInformation is
 * READ_SYSTEM but many low-cost devices answer it anonymously).
 */
public final class Onvif {
    private Onvif() {
    }

    static final String ENVELOPE_OPEN = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://www.w3.org/2003/05/soap-envelope\""
            + " xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\""
            + " xmlns:tt=\"http://www.onvif.org/ver10/schema\""
            + " xmlns:ter=\"http://www.onvif.org/ver10/error\"><SOAP-ENV:Body>";
    static final String ENVELOPE_CLOSE = "</SOAP-ENV:Body></SOAP-ENV:Envelope>\n";

    /** What a device answers on its device service; empty for an unknown operation. */
    public static Http.Response deviceService(DeviceSpec d, String request, String server,
            boolean anonymousInfo, String host) {
        String base = "http://" + host;
        String body;
        String status = "HTTP/1.1 200 OK";
        if (request.contains("GetSystemDateAndTime")) {
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            body = "<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>"
                    + "<tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false"
                    + "</tt:DaylightSavings><tt:TimeZone><tt:TZ>CST-8:00:00</tt:TZ></tt:TimeZone>"
                    + "<tt:UTCDateTime><tt:Time><tt:Hour>" + now.getHour() + "</tt:Hour><tt:Minute>"
                    + now.getMinute() + "</tt:Minute><tt:Second>" + now.getSecond()
                    + "</tt:Second></tt:Time><tt:Date><tt:Year>" + now.getYear() + "</tt:Year>"
                    + "<tt:Month>" + now.getMonthValue() + "</tt:Month><tt:Day>"
                    + now.getDayOfMonth()
                    + "</tt:Day></tt:Date></tt:UTCDateTime></tds:SystemDateAndTime>"
                    + "</tds:GetSystemDateAndTimeResponse>";
        } else if (request.contains("GetCapabilities")) {
            body = "<tds:GetCapabilitiesResponse><tds:Capabilities>"
                    + "<tt:Device><tt:XAddr>" + base
                    + "/onvif/device_service</tt:XAddr></tt:Device>"
                    + "<tt:Events><tt:XAddr>" + base + "/onvif/Events</tt:XAddr></tt:Events>"
                    + "<tt:Imaging><tt:XAddr>" + base + "/onvif/Imaging</tt:XAddr></tt:Imaging>"
                    + "<tt:Media><tt:XAddr>" + base + "/onvif/Media</tt:XAddr></tt:Media>"
                    + "</tds:Capabilities></tds:GetCapabilitiesResponse>";
        } else if (request.contains("GetServices")) {
            body = "<tds:GetServicesResponse><tds:Service><tds:Namespace>"
                    + "http://www.onvif.org/ver10/device/wsdl</tds:Namespace><tds:XAddr>" + base
                    + "/onvif/device_service</tds:XAddr><tds:Version><tt:Major>2</tt:Major>"
                    + "<tt:Minor>60</tt:Minor></tds:Version></tds:Service></tds:GetServicesResponse>";
        } else if (request.contains("GetDeviceInformation") && anonymousInfo) {
            body = "<tds:GetDeviceInformationResponse><tds:Manufacturer>" + d.attribute(
                    "onvif.manufacturer", d.brand()) + "</tds:Manufacturer><tds:Model>" + d.model()
                    + "</tds:Model><tds:FirmwareVersion>" + d.firmware()
                    + "</tds:FirmwareVersion><tds:SerialNumber>" + d.serial()
                    + "</tds:SerialNumber><tds:HardwareId>" + d.attribute("onvif.hardware", "88")
                    + "</tds:HardwareId></tds:GetDeviceInformationResponse>";
        } else {
            status = request.contains("GetDeviceInformation")
                    ? "HTTP/1.1 401 Unauthorized"
                    : "HTTP/1.1 400 Bad Request";
            String subcode = request.contains("GetDeviceInformation")
                    ? "ter:NotAuthorized"
                    : "ter:ActionNotSupported";
            body = "<SOAP-ENV:Fault><SOAP-ENV:Code><SOAP-ENV:Value>SOAP-ENV:Sender</SOAP-ENV:Value>"
                    + "<SOAP-ENV:Subcode><SOAP-ENV:Value>" + subcode + "</SOAP-ENV:Value>"
                    + "</SOAP-ENV:Subcode></SOAP-ENV:Code><SOAP-ENV:Reason><SOAP-ENV:Text"
                    + " xml:lang=\"en\">" + (subcode.endsWith("NotAuthorized")
                            ? "Sender not Authorized"
                            : "Optional Action Not Implemented")
                    + "</SOAP-ENV:Text></SOAP-ENV:Reason></SOAP-ENV:Fault>";
        }
        if (server.isEmpty()) { // Dahua and others send no Server header
            return Http.reply(status, ENVELOPE_OPEN + body + ENVELOPE_CLOSE, "Content-Type",
                    "application/soap+xml; charset=utf-8", "Connection", "close");
        }
        return Http.reply(status, ENVELOPE_OPEN + body + ENVELOPE_CLOSE, "Server", server,
                "Content-Type", "application/soap+xml; charset=utf-8", "Connection", "close");
    }

    /** The WS-Discovery ProbeMatch a device sends back to a Probe, or empty if not a Probe. */
    public static Optional<byte[]> probeMatch(DeviceSpec d, byte[] request, String scopes,
            int httpPort) {
        String text = new String(request, java.nio.charset.StandardCharsets.UTF_8);
        if (!text.contains("Probe") || text.contains("ProbeMatch")) {
            return Optional.empty();
        }
        String relates = "";
        int m = text.indexOf("MessageID>");
        if (m >= 0) {
            int end = text.indexOf('<', m);
            relates = text.substring(m + "MessageID>".length(), end);
        }
        String uuid = UUID.nameUUIDFromBytes(d.serial().getBytes(
                java.nio.charset.StandardCharsets.UTF_8)).toString();
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://www.w3.org/2003/05/soap-envelope\""
                + " xmlns:wsa=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\""
                + " xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\""
                + " xmlns:dn=\"http://www.onvif.org/ver10/network/wsdl\""
                + " xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\"><SOAP-ENV:Header>"
                + "<wsa:MessageID>urn:uuid:" + UUID.randomUUID() + "</wsa:MessageID>"
                + "<wsa:RelatesTo>" + relates + "</wsa:RelatesTo>"
                + "<wsa:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>"
                + "<wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches"
                + "</wsa:Action></SOAP-ENV:Header><SOAP-ENV:Body><d:ProbeMatches><d:ProbeMatch>"
                + "<wsa:EndpointReference><wsa:Address>urn:uuid:" + uuid
                + "</wsa:Address></wsa:EndpointReference>"
                + "<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types>"
                + "<d:Scopes>" + scopes + "</d:Scopes>"
                + "<d:XAddrs>http://" + d.address() + (httpPort == 80 ? "" : ":" + httpPort)
                + "/onvif/device_service</d:XAddrs><d:MetadataVersion>10</d:MetadataVersion>"
                + "</d:ProbeMatch></d:ProbeMatches></SOAP-ENV:Body></SOAP-ENV:Envelope>";
        return Optional.of(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The scope list most firmware sends: type, location, hardware (model) and name (brand). */
    public static String scopes(String hardware, String name) {
        return "onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/Profile/Streaming"
                + " onvif://www.onvif.org/location/city/hangzhou onvif://www.onvif.org/hardware/"
                + hardware.replace(" ", "%20") + " onvif://www.onvif.org/name/" + name.replace(" ",
                        "%20");
    }
}
