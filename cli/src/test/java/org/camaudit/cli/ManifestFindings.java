package org.camaudit.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camaudit.model.Finding;
import org.camaudit.model.Finding.Kind;
import org.camaudit.model.Finding.Remediation;
import org.camaudit.model.Finding.Severity;
import org.camaudit.testbed.Manifest;

/**
 * Test stand-in for evaluation: the findings the demo's manifest expects, as {@link Finding}
 * values, so reports of a demo scan have findings before the store keeps them.
 */
final class ManifestFindings implements FindingSource {
    private final List<Finding> findings;

    ManifestFindings(Path manifest) throws IOException {
        List<Finding> out = new ArrayList<>();
        for (Map<String, Object> device : Manifest.read(manifest)) {
            String address = (String) device.get("address");
            @SuppressWarnings("unchecked")
            List<String> expected = (List<String>) device.get("findings");
            for (String e : expected) {
                finding(address, e).ifPresent(out::add);
            }
        }
        this.findings = List.copyOf(out);
    }

    @Override
    public List<Finding> findings(org.camaudit.store.ObservationLog log, long scanId) {
        return findings;
    }

    List<Finding> all() {
        return findings;
    }

    private static Optional<Finding> finding(String address, String expected) {
        if (expected.startsWith("covered-vendor:")) {
            String vendor = expected.substring(expected.indexOf(':') + 1);
            return Optional.of(new Finding("ndaa-889", Kind.POLICY, Severity.CRITICAL, address,
                    address, "Covered by NDAA FY2019 \u00a7889: " + vendor, List.of(
                            "platform=" + vendor),
                    Optional.of(
                            "Pub. L. 115-232, \u00a7889(f)(3)(A)"),
                    Remediation.REPLACE,
                    Map.of()));
        }
        if (expected.startsWith("CVE-")) {
            return Optional.of(new Finding(expected, Kind.VULNERABILITY, Severity.CRITICAL,
                    address, address, expected + " affects this firmware", List.of(
                            "firmware in the affected range"),
                    Optional.of("CISA KEV"),
                    Remediation.PATCH, Map.of()));
        }
        if (expected.startsWith("vendor-cloud:")) {
            return Optional.of(new Finding("vendor-cloud-" + expected.substring(expected.indexOf(
                    ':') + 1), Kind.BEHAVIOUR, Severity.HIGH, address, address,
                    "Vendor cloud link enabled", List.of(expected), Optional.empty(),
                    Remediation.ISOLATE, Map.of()));
        }
        if (expected.startsWith("oem-rebrand:")) {
            return Optional.empty(); // part of the identification, not a finding
        }
        return Optional.of(new Finding(expected.replace(':', '-'), Kind.EXPOSURE, Severity.MEDIUM,
                address, address, expected, List.of(expected), Optional.empty(),
                Remediation.DISABLE_SERVICE, Map.of()));
    }
}
