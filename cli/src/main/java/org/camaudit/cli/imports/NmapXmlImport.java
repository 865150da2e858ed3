package org.camaudit.cli.imports;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;

/**
 * Reads Nmap's XML output ({@code nmap -oX}) as observations, one host at a time, so files of any
 * size stream through.
 *
 * <p>
 * For each host whose status is {@code up}: one {@code nmap-host} observation (transport none, port
 * 0) with the MAC and {@code nmap.mac_vendor}, then one observation per open port whose protocol is
 * Nmap's service name ({@code https} for http over SSL; the transport when Nmap names none). Port
 * observations carry {@code nmap.service}, {@code nmap.product}, {@code nmap.version},
 * {@code nmap.extrainfo}, {@code nmap.devicetype}, {@code nmap.cpe} (space-joined), and script output
 * mapped to canonical keys only where the meaning is the same:
 * <ul>
 * <li>{@code http-title} → {@code http.title} (not Nmap's "Site doesn't have a title" note)</li>
 * <li>{@code http-server-header} → {@code http.server}; Nmap's product guess never sets it</li>
 * <li>{@code rtsp-methods} → {@code rtsp.public}</li>
 * <li>{@code ssl-cert} → {@code tls.subject}, {@code tls.issuer} as {@code CN=.., O=..}</li>
 * <li>{@code banner} → {@code ssh.banner} when it is an SSH identification line, else
 * {@code ftp.banner} or {@code telnet.banner} when the service name or port says FTP or Telnet</li>
 * </ul>
 * Every script's output is kept in the raw excerpt as {@code id: output} lines. Every observation of
 * a host carries the host's MAC. Time is the host's end time, else the scan's start.
 *
 * <p>
 * The parser accepts Nmap's {@code <!DOCTYPE nmaprun>} but never reads a DTD, never resolves an
 * external entity and never expands a declared one: such a file stops with an
 * {@link ImportException}.
 */
public final class NmapXmlImport {

    /**
     * @param nmapArgs the command line Nmap recorded, empty if none
     * @param started when the Nmap run began
     * @param hosts hosts up, each passed to the sink
     * @param observations observations passed to the sink
     */
    public record Result(String nmapArgs, Optional<Instant> started, long hosts,
            long observations) {
        public Result {
            Objects.requireNonNull(nmapArgs, "nmapArgs");
            Objects.requireNonNull(started, "started");
        }
    }

    static final String HOST_PROTOCOL = "nmap-host";
    private static final Set<Integer> FTP_PORTS = Set.of(21, 2121);
    private static final Set<Integer> TELNET_PORTS = Set.of(23, 2323);
    private static final Pattern PARSE_ERROR = Pattern.compile("(?s).*?Message: (.*)");
    private static final Map<String, String> DN_NAMES = Map.of(
            "commonName", "CN", "organizationName", "O", "organizationalUnitName", "OU",
            "countryName", "C", "stateOrProvinceName", "ST", "localityName", "L",
            "emailAddress", "emailAddress", "serialNumber", "serialNumber");

    private NmapXmlImport() {
    }

    /**
     * Streams the file; calls sink for each observation. Throws {@link ImportException} (clear
     * message with line/column) on malformed XML, keeping what was already passed to the sink.
     */
    public static Result read(InputStream in, Consumer<Observation> sink) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(sink, "sink");
        return new Reader(sink).run(in);
    }

    static XMLInputFactory secureFactory() {
        // The JDK's own StAX, whatever else is on the class path.
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        factory.setXMLResolver((publicId, systemId, base, ns) -> {
            throw new XMLStreamException("external entity refused: " + systemId);
        });
        return factory;
    }

    /** One pass over one file. */
    private static final class Reader {
        private final Consumer<Observation> sink;
        private String args = "";
        private Optional<Instant> started = Optional.empty();
        private long hosts;
        private long observations;
        private XMLStreamReader xml;

        Reader(Consumer<Observation> sink) {
            this.sink = sink;
        }

        Result run(InputStream in) {
            try {
                xml = secureFactory().createXMLStreamReader(in);
                try {
                    readDocument();
                } finally {
                    xml.close();
                }
            } catch (XMLStreamException e) {
                Location at = e.getLocation() != null ? e.getLocation() : location();
                throw fault("malformed Nmap XML", messageOf(e), at, e);
            }
            return result();
        }

        private void readDocument() throws XMLStreamException {
            boolean root = true;
            HostRecord host = null;
            PortRecord port = null;
            ScriptRecord script = null;
            Deque<String> tables = new ArrayDeque<>();
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.ENTITY_REFERENCE) {
                    throw new XMLStreamException("entity reference &" + xml.getLocalName()
                            + "; refused: Nmap XML has no entities", xml.getLocation());
                }
                if (event == XMLStreamConstants.END_ELEMENT) {
                    switch (xml.getLocalName()) {
                        case "host" -> {
                            if (host != null) {
                                emit(host);
                            }
                            host = null;
                        }
                        case "port" -> {
                            if (host != null && port != null) {
                                host.ports.add(port);
                            }
                            port = null;
                        }
                        case "script" -> {
                            if (port != null && script != null) {
                                port.scripts.add(script);
                            }
                            script = null;
                        }
                        case "table" -> {
                            if (!tables.isEmpty()) {
                                tables.pop();
                            }
                        }
                        default -> {
                        }
                    }
                    continue;
                }
                if (event != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                String name = xml.getLocalName();
                if (root) {
                    if (!name.equals("nmaprun")) {
                        throw new XMLStreamException("not Nmap XML: the root element is <" + name
                                + ">, expected <nmaprun>", xml.getLocation());
                    }
                    args = attr("args").orElse("");
                    started = epochSeconds("start");
                    root = false;
                    continue;
                }
                if (name.equals("host")) {
                    Optional<Instant> ended = epochSeconds("endtime");
                    host = new HostRecord(ended.isPresent() ? ended : epochSeconds("starttime"));
                    port = null;
                    script = null;
                    continue;
                }
                if (host == null) {
                    continue; // scaninfo, hosthint, runstats...
                }
                if (script != null) {
                    switch (name) {
                        case "table" -> tables.push(attr("key").orElse(""));
                        case "elem" -> {
                            String key = attr("key").orElse("");
                            String path = String.join(".", tables.reversed())
                                    + (tables.isEmpty() ? "" : ".")
                                    + key;
                            String text = xml.getElementText();
                            script.elems.putIfAbsent(path, text);
                        }
                        default -> {
                        }
                    }
                    continue;
                }
                switch (name) {
                    case "status" -> host.up = attr("state").map("up"::equals).orElse(true);
                    case "address" -> {
                        String type = attr("addrtype").orElse("");
                        String addr = attr("addr").orElse("");
                        if (type.equals("mac")) {
                            host.mac = addr;
                            host.macVendor = attr("vendor").orElse("");
                        } else if (host.address.isEmpty() && !addr.isBlank()) {
                            host.address = addr;
                        }
                    }
                    case "port" -> port = new PortRecord(attr("protocol").orElse(""), portNumber());
                    case "state" -> {
                        if (port != null) {
                            port.open = attr("state").map("open"::equals).orElse(false);
                        }
                    }
                    case "service" -> {
                        if (port != null) {
                            port.service = attr("name").orElse("");
                            port.tunnel = attr("tunnel").orElse("");
                            port.product = attr("product").orElse("");
                            port.version = attr("version").orElse("");
                            port.extrainfo = attr("extrainfo").orElse("");
                            port.devicetype = attr("devicetype").orElse("");
                        }
                    }
                    case "cpe" -> {
                        if (port != null) {
                            port.cpes.add(xml.getElementText().strip());
                        }
                    }
                    case "script" -> {
                        if (port != null) {
                            script = new ScriptRecord(attr("id").orElse(""),
                                    attr("output").orElse(""));
                            tables.clear();
                        }
                    }
                    default -> {
                    }
                }
            }
        }

        private void emit(HostRecord host) {
            if (!host.up || host.address.isEmpty()) {
                return;
            }
            Instant time = host.time.or(() -> started).orElseGet(Instant::now);
            hosts++;
            send(Observation.builder(Source.IMPORT, host.address)
                    .time(time)
                    .mac(host.mac)
                    .port(0)
                    .transport(Transport.NONE)
                    .protocol(HOST_PROTOCOL)
                    .field(Fields.NMAP_VENDOR, host.macVendor)
                    .build());
            for (PortRecord port : host.ports) {
                Optional<Transport> transport = transportOf(port.protocol);
                if (!port.open || transport.isEmpty()) {
                    continue;
                }
                send(portObservation(host, port, transport.get(), time));
            }
        }

        private void send(Observation observation) {
            sink.accept(observation);
            observations++;
        }

        private Optional<String> attr(String name) {
            return Optional.ofNullable(xml.getAttributeValue(null, name));
        }

        private Optional<Instant> epochSeconds(String name) throws XMLStreamException {
            Optional<String> text = attr(name);
            if (text.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(Instant.ofEpochSecond(Long.parseLong(text.get().strip())));
            } catch (NumberFormatException e) {
                throw new XMLStreamException(
                        name + "=\"" + text.get() + "\" is not a time in seconds",
                        xml.getLocation());
            }
        }

        private int portNumber() throws XMLStreamException {
            String text = attr("portid").orElse("");
            try {
                int port = Integer.parseInt(text.strip());
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new XMLStreamException("portid=\"" + text + "\" is not a port number",
                    xml.getLocation());
        }

        private Location location() {
            return xml == null ? null : xml.getLocation();
        }

        private Result result() {
            return new Result(args, started, hosts, observations);
        }

        private ImportException fault(String what, String detail, Location at, Throwable cause) {
            int line = at == null ? -1 : at.getLineNumber();
            int column = at == null ? -1 : at.getColumnNumber();
            String where = line > 0 ? " at line " + line + ", column " + column : "";
            return new ImportException(
                    what + where + ": " + detail + " (" + hosts + " hosts, " + observations
                            + " observations read before it)",
                    line, column, result(), cause);
        }
    }

    static Observation portObservation(HostRecord host, PortRecord port, Transport transport,
            Instant time) {
        Observation.Builder b = Observation.builder(Source.IMPORT, host.address)
                .time(time)
                .mac(host.mac)
                .port(port.port)
                .transport(transport)
                .protocol(protocolOf(port, transport))
                .field(Fields.NMAP_SERVICE, port.service)
                .field(Fields.NMAP_PRODUCT, port.product)
                .field(Fields.NMAP_VERSION, port.version)
                .field(Fields.NMAP_EXTRAINFO, port.extrainfo)
                .field(Fields.NMAP_DEVICETYPE, port.devicetype)
                .field(Fields.NMAP_CPE, String.join(" ", port.cpes));
        StringBuilder raw = new StringBuilder();
        for (ScriptRecord script : port.scripts) {
            mapScript(b, port, script);
            raw.append(script.id).append(": ").append(script.output.strip()).append('\n');
        }
        return b.raw(raw.toString()).build();
    }

    private static void mapScript(Observation.Builder b, PortRecord port, ScriptRecord script) {
        switch (script.id) {
            case "http-title" -> {
                String title = script.elems.get("title");
                if (title == null && !script.output.startsWith("Site doesn't have a title")) {
                    title = firstLine(script.output);
                }
                b.field(Fields.HTTP_TITLE, title);
            }
            case "http-server-header" -> b.field(Fields.HTTP_SERVER,
                    Optional.ofNullable(script.elems.get(""))
                            .orElseGet(() -> firstLine(script.output)));
            case "rtsp-methods" -> b.field(Fields.RTSP_PUBLIC, firstLine(script.output));
            case "ssl-cert" -> {
                b.field(Fields.TLS_SUBJECT, distinguishedName(script, "subject", "Subject:"));
                b.field(Fields.TLS_ISSUER, distinguishedName(script, "issuer", "Issuer:"));
            }
            case "banner" -> {
                String banner = script.output.strip();
                String service = port.service.toLowerCase(Locale.ROOT);
                if (banner.startsWith("SSH-")) {
                    b.field(Fields.SSH_BANNER, firstLine(banner));
                } else if (service.contains("ftp") || FTP_PORTS.contains(port.port)) {
                    b.field(Fields.FTP_BANNER, banner);
                } else if (service.contains("telnet") || TELNET_PORTS.contains(port.port)) {
                    b.field(Fields.TELNET_BANNER, banner);
                }
            }
            default -> {
            }
        }
    }

    /** {@code CN=.., O=..} from the script's table, else from its {@code Subject:} output line. */
    private static String distinguishedName(ScriptRecord script, String table, String label) {
        List<String> parts = new ArrayList<>();
        String prefix = table + ".";
        script.elems.forEach((key, value) -> {
            if (key.startsWith(prefix) && key.indexOf('.', prefix.length()) < 0) {
                String attribute = key.substring(prefix.length());
                parts.add(DN_NAMES.getOrDefault(attribute, attribute) + "=" + value);
            }
        });
        if (!parts.isEmpty()) {
            return String.join(", ", parts);
        }
        for (String line : script.output.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith(label)) {
                List<String> fromText = new ArrayList<>();
                for (String pair : trimmed.substring(label.length()).strip().split("/")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        String attribute = pair.substring(0, eq);
                        fromText.add(DN_NAMES.getOrDefault(attribute, attribute) + "="
                                + pair.substring(eq + 1));
                    }
                }
                return String.join(", ", fromText);
            }
        }
        return "";
    }

    private static String protocolOf(PortRecord port, Transport transport) {
        String service = port.service.strip();
        if (service.isEmpty() || service.equals("unknown")) {
            return transport.label();
        }
        if (service.equals("http") && port.tunnel.equals("ssl")) {
            return "https";
        }
        return service;
    }

    private static Optional<Transport> transportOf(String protocol) {
        return switch (protocol) {
            case "tcp" -> Optional.of(Transport.TCP);
            case "udp" -> Optional.of(Transport.UDP);
            default -> Optional.empty(); // sctp, ip: no transport camaudit records
        };
    }

    private static String firstLine(String text) {
        String stripped = text.strip();
        int nl = stripped.indexOf('\n');
        return (nl < 0 ? stripped : stripped.substring(0, nl)).strip();
    }

    private static String messageOf(XMLStreamException e) {
        String message = Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
        Matcher m = PARSE_ERROR.matcher(message);
        String detail = (m.matches() ? m.group(1) : message).strip();
        if (detail.contains("referenced, but not declared")) {
            detail += " Entities are refused: camaudit reads no DTD declarations.";
        }
        return detail;
    }

    /** A host as read so far; emitted at its end tag. */
    static final class HostRecord {
        final Optional<Instant> time;
        boolean up = true;
        String address = "";
        String mac = "";
        String macVendor = "";
        final List<PortRecord> ports = new ArrayList<>();

        HostRecord(Optional<Instant> time) {
            this.time = time;
        }
    }

    static final class PortRecord {
        final String protocol;
        final int port;
        boolean open;
        String service = "";
        String tunnel = "";
        String product = "";
        String version = "";
        String extrainfo = "";
        String devicetype = "";
        final List<String> cpes = new ArrayList<>();
        final List<ScriptRecord> scripts = new ArrayList<>();

        PortRecord(String protocol, int port) {
            this.protocol = protocol;
            this.port = port;
        }
    }

    static final class ScriptRecord {
        final String id;
        final String output;
        /** elem values by table path: {@code title}, {@code subject.commonName}, {@code ""} for unkeyed. */
        final Map<String, String> elems = new LinkedHashMap<>();

        ScriptRecord(String id, String output) {
            this.id = id;
            this.output = output;
        }
    }
}
