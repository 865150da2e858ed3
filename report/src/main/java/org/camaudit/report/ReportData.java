package org.camaudit.report;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.model.Scan;

/**
 * Everything a report shows about one scan, gathered by the caller (the report module never reads
 * the store).
 *
 * @param scan the scan reported on
 * @param identifications one per device, in the order the report lists them
 * @param findings the scan's findings; each belongs to a device by {@link Finding#deviceKey()}
 *     (or, failing that, by address)
 * @param services what each address had open, keyed by address; addresses absent here had none
 *     recorded
 * @param generated when the report was made
 * @param toolVersion the camaudit version that made it
 */
public record ReportData(Scan scan, List<Identification> identifications, List<Finding> findings,
        Map<String, DeviceServices> services, Instant generated, String toolVersion) {

    public ReportData {
        Objects.requireNonNull(scan, "scan");
        Objects.requireNonNull(generated, "generated");
        identifications = List.copyOf(identifications);
        findings = List.copyOf(findings);
        services = Collections.unmodifiableMap(new TreeMap<>(services));
        toolVersion = toolVersion == null || toolVersion.isBlank() ? "unknown" : toolVersion;
    }
}
