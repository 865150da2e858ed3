package org.camaudit.testbed;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One simulated device: where it lives, what it is, and what an auditor should report about it.
 *
 * @param address its own loopback address
 * @param mac its MAC, as its discovery replies give it
 * @param personality the personality id that plays it
 * @param brand the brand on the box (what the web UI and labels say)
 * @param platform the platform maker beneath (who built firmware and hardware); "" for none
 * @param type camera, nvr, dvr, intercom, host, printer, honeypot or misbehaving
 * @param attributes personality-specific values (OEMInfo, cloud switch, debug ports, ...)
 * @param findings what an auditor should report: covered vendor, CVEs, open doors, cloud
 */
public record DeviceSpec(String address, String mac, String personality, String brand,
        String platform, String model, String firmware, String type, String serial,
        Map<String, String> attributes, List<String> findings) {

    public DeviceSpec {
        if (!address.startsWith("127.")) {
            throw new IllegalArgumentException("testbed devices live on 127.0.0.0/8 only: "
                    + address);
        }
        attributes = java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
        findings = List.copyOf(findings);
    }

    public String attribute(String key, String fallback) {
        return attributes.getOrDefault(key, fallback);
    }

    /** The MAC with dashes and upper case, as Hikvision SADP writes it. */
    public String macDashes() {
        return mac.toUpperCase(java.util.Locale.ROOT).replace(':', '-');
    }
}
