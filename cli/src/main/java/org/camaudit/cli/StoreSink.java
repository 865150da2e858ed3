package org.camaudit.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.camaudit.model.Observation;
import org.camaudit.store.ObservationLog;

/** Collects observations from the scanner's threads and appends them to the log in batches. */
final class StoreSink implements Consumer<Observation> {
    private static final int BATCH = 1000;
    private final ObservationLog log;
    private final long scanId;
    private final List<Observation> pending = new ArrayList<>();
    private long written;

    StoreSink(ObservationLog log, long scanId) {
        this.log = log;
        this.scanId = scanId;
    }

    @Override
    public synchronized void accept(Observation o) {
        pending.add(o);
        if (pending.size() >= BATCH) {
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

    synchronized long written() {
        return written;
    }
}
