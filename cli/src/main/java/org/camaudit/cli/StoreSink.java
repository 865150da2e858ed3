package org.camaudit.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.camaudit.model.Observation;
import org.camaudit.store.ObservationLog;

/**
 * Collects observations and appends them to the log in batches (each batch one transaction, so
 * what a killed run left is a prefix of what it was given). Resuming, it passes over the first
 * {@code skip} it is given: the prefix an earlier run of the same input already stored.
 */
final class StoreSink implements Consumer<Observation> {
    private static final int BATCH = 1000;
    private final ObservationLog log;
    private final long scanId;
    private final List<Observation> pending = new ArrayList<>();
    private final int batch;
    private long written;
    private long skip;

    StoreSink(ObservationLog log, long scanId) {
        this(log, scanId, 0);
    }

    /** @param skip observations already stored by an earlier run of the same input */
    StoreSink(ObservationLog log, long scanId, long skip) {
        this(log, scanId, skip, skip, BATCH);
    }

    private StoreSink(ObservationLog log, long scanId, long skip, long written, int batch) {
        this.log = log;
        this.scanId = scanId;
        this.skip = skip;
        this.written = written;
        this.batch = batch;
    }

    /**
     * A sink that stores only on {@link #flush()}, all that is pending in one transaction (a
     * collector's period: stored whole or not at all), after {@code stored} observations earlier
     * runs left; nothing is passed over.
     */
    static StoreSink flushedWhole(ObservationLog log, long scanId, long stored) {
        return new StoreSink(log, scanId, 0, stored, Integer.MAX_VALUE);
    }

    @Override
    public synchronized void accept(Observation o) {
        if (skip > 0) {
            skip--;
            return;
        }
        pending.add(o);
        if (pending.size() >= batch) {
            flush();
        }
    }

    synchronized void flush() {
        if (!pending.isEmpty()) {
            log.append(scanId, List.copyOf(pending));
            written += pending.size();
            pending.clear();
        }
    }

    /** Observations of this scan in the log, earlier runs' included. */
    synchronized long written() {
        return written;
    }
}
