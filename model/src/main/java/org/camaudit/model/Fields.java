package org.camaudit.model;

/**
 * Canonical observation field keys (ARCHITECTURE.md), shared by probes, traffic decoders,
 * importers and rules. One spelling per meaning; prefixed families ({@code sadp.<Field>},
 * {@code dhdiscover.<Field>}, {@code dvrip.<Field>}, {@code flow.*}) keep the device's own names.
 */
public final class Fields {
    private Fields() {
    }

    public static final String ERROR = "error";
    /** connect outcome of the sweep: open. */
    public static final String STATE = "state";
    /** round-trip time of the TCP handshake in microseconds. */
    public static final String RTT_MICROS = "rtt_us";

    public static final String MAC = "mac";
    public static final String HTTP_STATUS = "http.status";
    public static final String HTTP_SERVER = "http.server";
    public static final String HTTP_TITLE = "http.title";
    public static final String HTTP_WWW_AUTHENTICATE = "http.www_authenticate";
    public static final String HTTP_REALM = "http.realm";
    public static final String HTTP_BODY = "http.body";
    public static final String HTTP_LOCATION = "http.location";
    public static final String HTTP_CONTENT_TYPE = "http.content_type";
    public static final String HTTP_FAVICON_MMH3 = "http.favicon_mmh3";
    public static final String HTTP_FAVICON_MD5 = "http.favicon_md5";
    public static final String HTTP_PATH = "http.path";
    public static final String HTTP_SCHEME = "http.scheme";
    public static final String RTSP_STATUS = "rtsp.status";
    public static final String RTSP_SERVER = "rtsp.server";
    public static final String RTSP_WWW_AUTHENTICATE = "rtsp.www_authenticate";
    public static final String RTSP_PUBLIC = "rtsp.public";
    public static final String RTSP_SDP = "rtsp.sdp";
    /** the RTSP request a reply answered: OPTIONS, DESCRIBE. */
    public static final String RTSP_METHOD = "rtsp.method";
    public static final String TLS_SUBJECT = "tls.subject";
    public static final String TLS_ISSUER = "tls.issuer";
    public static final String TLS_VERSION = "tls.version";
    public static final String TELNET_BANNER = "telnet.banner";
    public static final String FTP_BANNER = "ftp.banner";
    public static final String SSH_BANNER = "ssh.banner";
    public static final String SNMP_SYSDESCR = "snmp.sysdescr";
    public static final String SNMP_SYSOBJECTID = "snmp.sysobjectid";
    public static final String UPNP_SERVER = "upnp.server";
    public static final String UPNP_LOCATION = "upnp.location";
    public static final String UPNP_ST = "upnp.st";
    public static final String UPNP_USN = "upnp.usn";
    public static final String UPNP_MANUFACTURER = "upnp.manufacturer";
    public static final String UPNP_MODEL_NAME = "upnp.model_name";
    public static final String UPNP_FRIENDLY_NAME = "upnp.friendly_name";
    public static final String MDNS_SERVICE = "mdns.service";
    public static final String MDNS_INSTANCE = "mdns.instance";
    public static final String MDNS_HOSTNAME = "mdns.hostname";
    public static final String DHCP_VENDOR_CLASS = "dhcp.vendor_class";
    public static final String DHCP_HOSTNAME = "dhcp.hostname";
    /** DHCP option 55, the parameter request list: decimal codes in the client's order, "1,3,6". */
    public static final String DHCP_PARAMETER_LIST = "dhcp.parameter_list";
    public static final String ONVIF_SCOPES = "onvif.scopes";
    /** URL-decoded value(s) of the {@code onvif://www.onvif.org/name/...} scope(s). */
    public static final String ONVIF_SCOPE_NAME = "onvif.scope.name";
    /** URL-decoded value(s) of the {@code onvif://www.onvif.org/hardware/...} scope(s). */
    public static final String ONVIF_SCOPE_HARDWARE = "onvif.scope.hardware";
    public static final String ONVIF_XADDRS = "onvif.xaddrs";
    public static final String ONVIF_TYPES = "onvif.types";
    public static final String ONVIF_ENDPOINT = "onvif.endpoint";
    public static final String ONVIF_MANUFACTURER = "onvif.manufacturer";
    public static final String ONVIF_MODEL = "onvif.model";
    public static final String ONVIF_FIRMWARE = "onvif.firmware";
    public static final String ONVIF_SERIAL = "onvif.serial";
    public static final String ONVIF_HARDWARE_ID = "onvif.hardware_id";
    public static final String ONVIF_DATETIME = "onvif.datetime";
    public static final String ONVIF_CAPABILITIES = "onvif.capabilities";
    public static final String ONVIF_OPERATION = "onvif.operation";
    /** "absent" when the ONVIF path answered, but not with XML (a plain web server). */
    public static final String ONVIF_SERVICE = "onvif.service";
    /** a SOAP fault answered to an ONVIF call: code, subcode and reason text. */
    public static final String ONVIF_FAULT = "onvif.fault";
    public static final String SADP_PREFIX = "sadp.";
    public static final String DHDISCOVER_PREFIX = "dhdiscover.";
    public static final String DVRIP_PREFIX = "dvrip.";
    public static final String SDK_BANNER_HEX = "sdk.banner_hex";
    public static final String DNS_QUERY = "dns.query";
    /** answers of a DNS reply, as {@code name type value} joined by ", ". */
    public static final String DNS_ANSWER = "dns.answer";
    public static final String HTTP_METHOD = "http.method";
    public static final String HTTP_HOST = "http.host";
    public static final String HTTP_USER_AGENT = "http.user_agent";
    public static final String RTSP_URL = "rtsp.url";
    public static final String RTSP_USER_AGENT = "rtsp.user_agent";
    public static final String FLOW_SRC = "flow.src";
    public static final String FLOW_DST = "flow.dst";
    public static final String FLOW_DPORT = "flow.dport";
    /** tcp, udp or the IP protocol number. */
    public static final String FLOW_PROTO = "flow.proto";
    public static final String FLOW_BYTES = "flow.bytes";
    public static final String FLOW_PACKETS = "flow.packets";
    /** how many flows (5-tuples) were folded into one device-and-peer observation. */
    public static final String FLOW_COUNT = "flow.flows";
    public static final String FLOW_FIRST = "flow.first";
    public static final String FLOW_LAST = "flow.last";
    /** where flow records came from: capture, netflow-v5, netflow-v9, ipfix, zeek. */
    public static final String FLOW_ORIGIN = "flow.origin";
    /** "true" on a TCP flow whose opening (SYN or SYN-ACK) the capture did not hold. */
    public static final String FLOW_MIDSTREAM = "flow.midstream";
    public static final String TLS_SNI = "tls.sni";
    public static final String NMAP_SERVICE = "nmap.service";
    public static final String NMAP_PRODUCT = "nmap.product";
    public static final String NMAP_VERSION = "nmap.version";
    public static final String NMAP_EXTRAINFO = "nmap.extrainfo";
    public static final String NMAP_DEVICETYPE = "nmap.devicetype";
    public static final String NMAP_CPE = "nmap.cpe";
    public static final String NMAP_VENDOR = "nmap.mac_vendor";
}
