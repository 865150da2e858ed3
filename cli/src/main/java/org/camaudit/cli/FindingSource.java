package org.camaudit.cli;

import java.util.List;
import org.camaudit.model.Finding;
import org.camaudit.store.ObservationLog;

/**
 * Where a report gets a scan's findings: those evaluation (policies, vulnerabilities, exposures)
 * stored with the scan; tests may give others.
 */
@FunctionalInterface
interface FindingSource {
    List<Finding> findings(ObservationLog log, long scanId);

    /** The findings stored with the scan. */
    FindingSource STORED = ObservationLog::findings;
}
