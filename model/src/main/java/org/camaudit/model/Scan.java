package org.camaudit.model;

import java.time.Instant;
import java.util.Optional;

/**
 * One audit run as recorded in the observation log.
 *
 * @param kind how its observations were gathered: {@code active}, {@code import:nmap}, ...
 * @param scope the scope as given (JSON), stored with the scan for the record
 * @param status {@code running}, {@code complete}, {@code interrupted} or {@code failed}
 */
public record Scan(long id, Instant started, Optional<Instant> finished, String kind,
        String authorizedBy, String scope, String status, ScanSummary summary) {
}
