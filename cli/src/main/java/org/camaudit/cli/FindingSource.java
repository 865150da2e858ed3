package org.camaudit.cli;

import java.util.List;
import org.camaudit.model.Finding;
import org.camaudit.store.ObservationLog;

/**
 * Where a report gets a scan's findings. Evaluation (policies, vulnerabilities, exposures) stores
 * them with the scan; until the store can return them, {@link #STORED} has none to give, and the
 * reports show identifications without findings.
 */
@FunctionalInterface
interface FindingSource {
    List<Finding> findings(ObservationLog log, long scanId);

    /**
     * The findings stored with the scan. The observation log has no findings table on this branch
     * yet; once it has {@code List<Finding> findings(long scanId)} this body becomes
     * {@code log.findings(scanId)}.
     */
    FindingSource STORED = (log, scanId) -> List.of();
}
