package org.camaudit.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.model.Observation;
import org.camaudit.model.Scan;
import org.camaudit.model.ScanSummary;

/**
 * Where every scan and its evidence are kept. Observations are append-only: once stored they are
 * never changed or removed, so any later stage can be re-run from the log alone. Calls from several
 * threads are serialised.
 */
public interface ObservationLog extends AutoCloseable {

    /**
     * Opens (creating if needed) {@code dataDir/camaudit.db}, applies pending migrations, and
     * marks {@code interrupted} every scan left {@code running} by a process that no longer lives
     * (killed, or the machine stopped).
     */
    static ObservationLog openSqlite(Path dataDir) {
        return SqliteObservationLog.open(dataDir);
    }

    /**
     * Records the start of a scan with status {@code running}, owned by this process until it is
     * finished; returns its id.
     */
    long startScan(String kind, String authorizedBy, String scopeJson, Instant started);

    /** Append-only: observations are never updated or deleted. Batched in one transaction. */
    void append(long scanId, List<Observation> batch);

    /**
     * Appends a batch and records the scan's checkpoint (what its run has finished, as JSON the
     * caller defines) in the same transaction: after a crash both are there or neither.
     */
    void append(long scanId, List<Observation> batch, String checkpointJson);

    /** The checkpoint last recorded with {@link #append(long, List, String)}, if any. */
    Optional<String> checkpoint(long scanId);

    /**
     * Takes up an {@code interrupted} or {@code failed} scan again (killed, stopped, or a write
     * refused by a full disk): its status becomes {@code running} under this process. Refuses a
     * scan that is complete, partial, or still running in a live process.
     */
    void resumeScan(long scanId);

    /** Records how a scan ended and its closing numbers. */
    void finishScan(long scanId, String status, ScanSummary summary, Instant finished);

    /** Every scan, newest first. */
    List<Scan> scans();

    Optional<Scan> scan(long id);

    long countObservations(long scanId);

    /** Streams a scan's observations in insertion order without loading them all. */
    void forEachObservation(long scanId, Consumer<Observation> consumer);

    /**
     * Replaces a scan's identifications with these (derived data: re-identifying a scan with newer
     * rules replaces the previous answer; observations are untouched). One transaction.
     *
     * @param rulesVersion the rule-pack version that produced them
     */
    void replaceIdentifications(long scanId, List<Identification> identifications,
            String rulesVersion);

    /** A scan's identifications in the order they were stored; empty if never identified. */
    List<Identification> identifications(long scanId);

    /** The rule-pack version of a scan's stored identifications, if any. */
    Optional<String> identificationRulesVersion(long scanId);

    /**
     * Replaces a scan's findings with these (derived data, like identifications). A finding id
     * repeated for one device is stored once. One transaction.
     */
    void replaceFindings(long scanId, List<Finding> findings);

    /** A scan's findings in the order they were stored; empty if never evaluated. */
    List<Finding> findings(long scanId);

    /** The highest migration applied to the database. */
    int schemaVersion();

    @Override
    void close();
}
