package org.camaudit.model;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Something a security officer must act on about one device: a ban that applies, a known
 * vulnerability, an open door, or a behaviour seen in its traffic.
 *
 * @param id stable id: {@code ndaa-889}, {@code CVE-2021-36260}, {@code xiongmai-debug-port-9530},
 *     {@code vendor-cloud-hik-connect}, ...
 * @param deviceKey the device's key (MAC when known, else address), as in {@link Identification}
 * @param title one line a person reads
 * @param evidence what it rests on: rule ids and observation facts ({@code field=value})
 * @param citation the legal or advisory citation (statute, rule, advisory, KEV entry), if any
 * @param details extra facts (effective date, KEV due date, affected range, port)
 */
public record Finding(String id, Kind kind, Severity severity, String deviceKey, String address,
        String title, List<String> evidence, Optional<String> citation, Remediation remediation,
        Map<String, String> details) {

    /** What kind of finding. */
    public enum Kind {
        POLICY, VULNERABILITY, EXPOSURE, BEHAVIOUR;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One scale for every finding. CRITICAL: act now (a banned device, a vulnerability exploited
     * in the wild, a backdoor port open); HIGH: act this week (a severe vulnerability, telnet or a
     * vendor cloud link); MEDIUM: plan it (weaker exposures); LOW: note it; INFO: for the record.
     */
    public enum Severity {
        CRITICAL, HIGH, MEDIUM, LOW, INFO;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What to do, strongest first. */
    public enum Remediation {
        REPLACE, ISOLATE, PATCH, DISABLE_SERVICE, MONITOR;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public Finding {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a finding needs a stable id");
        }
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(remediation, "remediation");
        Objects.requireNonNull(citation, "citation");
        if (deviceKey == null || deviceKey.isBlank() || address == null || address.isBlank()) {
            throw new IllegalArgumentException("a finding needs a device");
        }
        title = title == null ? id : title;
        evidence = List.copyOf(evidence);
        details = java.util.Collections.unmodifiableMap(new TreeMap<>(details));
    }

    /**
     * This finding, corroborated by another of the same id on the same device (from another
     * source or scan): its evidence followed by the other's new lines, the higher severity and
     * the stronger remediation of the two, the other's citation where this has none, and both
     * details (this one's win).
     */
    public Finding corroboratedBy(Finding other) {
        List<String> lines = new java.util.ArrayList<>(evidence);
        other.evidence.stream().filter(e -> !lines.contains(e)).forEach(lines::add);
        Map<String, String> both = new TreeMap<>(other.details);
        both.putAll(details);
        return new Finding(id, kind, severity.compareTo(other.severity) <= 0
                ? severity
                : other.severity, deviceKey, address, title, lines, citation.or(other::citation),
                remediation.compareTo(other.remediation) <= 0 ? remediation : other.remediation,
                both);
    }

    /** The same finding keyed to another device key (a MAC learnt from another source). */
    public Finding withDeviceKey(String key) {
        return key.equals(deviceKey)
                ? this
                : new Finding(id, kind, severity, key, address, title,
                        evidence, citation, remediation, details);
    }
}
