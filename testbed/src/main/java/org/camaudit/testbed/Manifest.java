package org.camaudit.testbed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ground truth of a fleet, one JSON object per device: address, mac, personality, brand,
 * platform, model, firmware, type, serial, tcp and udp ports, attributes, the findings an active
 * audit should report, the behaviours the device was told to have and the behaviour findings a
 * passive audit of its traffic should report ({@code traffic_findings}).
 */
public final class Manifest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Manifest() {
    }

    public static String line(DeviceSpec d, Personality p) {
        ObjectNode n = JSON.createObjectNode();
        n.put("address", d.address());
        n.put("mac", d.mac());
        n.put("personality", d.personality());
        n.put("brand", d.brand());
        n.put("platform", d.platform().isEmpty() ? null : d.platform());
        n.put("model", d.model());
        n.put("firmware", d.firmware());
        n.put("type", d.type());
        n.put("serial", d.serial());
        n.putPOJO("tcp_ports", p.tcpPorts(d));
        n.putPOJO("udp_ports", p.udpPorts(d));
        n.putPOJO("attributes", d.attributes());
        n.putPOJO("findings", d.findings());
        n.putPOJO("behaviours", Behaviour.of(d).stream().map(Behaviour::label).toList());
        n.putPOJO("traffic_findings", Behaviour.expectedFindings(d));
        return n.toString();
    }

    public static void write(Path file, List<DeviceSpec> devices, Personalities catalog)
            throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (DeviceSpec d : devices) {
                w.write(line(d, catalog.get(d.personality())));
                w.write('\n');
            }
        }
    }

    /** Reads a manifest back as plain maps (for tests and tools comparing against it). */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> read(Path file) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(JSON.readValue(line, Map.class));
            }
        }
        return out;
    }
}
