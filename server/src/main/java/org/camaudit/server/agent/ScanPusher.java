package org.camaudit.server.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.camaudit.model.Observation;
import org.camaudit.model.Scan;
import org.camaudit.server.db.Secrets;
import org.camaudit.server.wire.Batch;
import org.camaudit.server.wire.BatchJson;
import org.camaudit.server.wire.ScanHeader;
import org.camaudit.store.ObservationLog;

/**
 * Sends finished scans of the local log as batches: the observations in insertion order, {@link
 * #BATCH} at a time, then a last batch with the scan's identifications and findings. A batch the
 * server confirmed before (recorded in {@link AgentState}) is not sent again; one that was sent
 * but not confirmed is sent again byte for byte, and the server stores it once.
 */
public final class ScanPusher {
    /** Observations per batch. */
    public static final int BATCH = 2_000;

    /** What one push did. */
    public record Pushed(int scans, int batchesSent, int batchesSkipped, long observationsSent,
            int scansStillRunning) {
    }

    private final ObservationLog log;
    private final AgentClient client;
    private final String credential;
    private final AgentState state;

    public ScanPusher(ObservationLog log, AgentClient client, String credential,
            AgentState state) {
        this.log = log;
        this.client = client;
        this.credential = credential;
        this.state = state;
    }

    /** Pushes these scans (oldest first); a scan still running is left for a later push. */
    public Pushed push(List<Scan> scans) throws IOException, InterruptedException {
        int[] sent = {0};
        int[] skipped = {0};
        long[] observations = {0};
        int done = 0;
        int running = 0;
        for (Scan scan : scans) {
            if (scan.status().equals("running")) {
                running++;
                continue;
            }
            ScanHeader h = ScanHeader.of(scan);
            List<Observation> chunk = new ArrayList<>(BATCH);
            int[] seq = {0};
            try {
                log.forEachObservation(scan.id(), o -> {
                    chunk.add(o);
                    if (chunk.size() == BATCH) {
                        observations[0] += send(new Batch(h, seq[0]++, chunk, false, List.of(),
                                List.of()), sent, skipped);
                        chunk.clear();
                    }
                });
                if (!chunk.isEmpty()) {
                    observations[0] += send(new Batch(h, seq[0]++, chunk, false, List.of(), List
                            .of()), sent, skipped);
                }
                send(new Batch(h, seq[0], List.of(), true, log.identifications(scan.id()), log
                        .findings(scan.id())), sent, skipped);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } catch (Interrupted e) {
                throw e.cause;
            }
            done++;
        }
        return new Pushed(done, sent[0], skipped[0], observations[0], running);
    }

    /** Sends one batch unless confirmed before; returns the observations sent. */
    private int send(Batch b, int[] sent, int[] skipped) {
        byte[] body = BatchJson.write(b);
        byte[] sha = Secrets.sha256(body);
        String hex = HexFormat.of().formatHex(sha);
        if (state.confirmed(b.scan().agentScan(), b.seq()).filter(hex::equals).isPresent()) {
            skipped[0]++;
            return 0;
        }
        try {
            client.push(credential, b, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new Interrupted(e);
        }
        state.confirm(b.scan().agentScan(), b.seq(), sha);
        sent[0]++;
        return b.observations().size();
    }

    /** Carries an interrupt out of the log's callback. */
    private static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient InterruptedException cause;

        Interrupted(InterruptedException cause) {
            super(cause);
            this.cause = cause;
        }
    }
}
