package org.camaudit.server.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.camaudit.model.Observation;
import org.camaudit.model.Scan;
import org.camaudit.server.agent.AgentState.Sent;
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
 *
 * <p>
 * Up to {@link #IN_FLIGHT} observation batches of a scan are on their way at once (the server
 * stores them in parallel); the last batch goes only when all of them are confirmed, since the
 * server closes the scan with it. When the last batch's content differs from what was confirmed
 * or recorded as sent before (identify or findings ran again), it goes as the next {@link
 * Batch#revision()}, and the server replaces the scan's identifications and findings.
 */
public final class ScanPusher {
    /** Observations per batch. */
    public static final int BATCH = 2_000;
    /** Observation batches of one scan sent before the first answer is awaited. */
    public static final int IN_FLIGHT = 4;

    /** What one push did. */
    public record Pushed(int scans, int batchesSent, int batchesSkipped, long observationsSent,
            int scansStillRunning) {
    }

    private final ObservationLog log;
    private final AgentClient client;
    private final String credential;
    private final AgentState state;
    private final int inFlight;

    public ScanPusher(ObservationLog log, AgentClient client, String credential,
            AgentState state) {
        this(log, client, credential, state, IN_FLIGHT);
    }

    /** @param inFlight observation batches on their way at once (1 sends one at a time) */
    public ScanPusher(ObservationLog log, AgentClient client, String credential, AgentState state,
            int inFlight) {
        if (inFlight < 1) {
            throw new IllegalArgumentException("at least one batch is in flight, got "
                    + inFlight);
        }
        this.log = log;
        this.client = client;
        this.credential = credential;
        this.state = state;
        this.inFlight = inFlight;
    }

    /** Pushes these scans (oldest first); a scan still running is left for a later push. */
    public Pushed push(List<Scan> scans) throws IOException, InterruptedException {
        Tally tally = new Tally();
        int done = 0;
        int running = 0;
        for (Scan scan : scans) {
            if (scan.status().equals("running")) {
                running++;
                continue;
            }
            pushScan(scan, tally);
            done++;
        }
        return new Pushed(done, tally.sent, tally.skipped, tally.observations, running);
    }

    private void pushScan(Scan scan, Tally tally) throws IOException, InterruptedException {
        ScanHeader h = ScanHeader.of(scan);
        Window window = new Window(tally);
        List<Observation> chunk = new ArrayList<>(BATCH);
        int[] seq = {0};
        try {
            log.forEachObservation(scan.id(), o -> {
                chunk.add(o);
                if (chunk.size() == BATCH) {
                    window.send(new Batch(h, seq[0]++, chunk, false, List.of(), List.of()));
                    chunk.clear();
                }
            });
            if (!chunk.isEmpty()) {
                window.send(new Batch(h, seq[0]++, chunk, false, List.of(), List.of()));
            }
        } catch (UncheckedIOException e) {
            window.drainQuietly();
            throw e.getCause();
        } catch (Interrupted e) {
            window.drainQuietly();
            throw e.cause;
        } catch (RuntimeException e) {
            window.drainQuietly();
            throw e;
        }
        window.drain();
        sendLast(new Batch(h, seq[0], List.of(), true, log.identifications(scan.id()), log
                .findings(scan.id())), tally);
    }

    /**
     * Sends the last batch: skipped when its content was confirmed, resent byte for byte when it
     * was recorded as sent, else sent as a revision never used before.
     */
    private void sendLast(Batch b, Tally tally) throws IOException, InterruptedException {
        long scan = b.scan().agentScan();
        Optional<Sent> confirmed = state.confirmed(scan, b.seq());
        if (confirmed.isPresent() && matches(b, confirmed.get())) {
            tally.skipped++;
            return;
        }
        Optional<Sent> sending = state.sending(scan, b.seq());
        int revision;
        if (sending.isPresent() && matches(b, sending.get())) {
            revision = sending.get().revision();
        } else {
            revision = state.highestRevision(scan, b.seq()).map(r -> r + 1).orElse(0);
        }
        Batch out = b.withRevision(revision);
        byte[] body = BatchJson.write(out);
        byte[] sha = Secrets.sha256(body);
        state.sending(scan, b.seq(), sha, revision);
        client.push(credential, out, body);
        state.confirm(scan, b.seq(), sha, revision);
        tally.sent++;
    }

    private static boolean matches(Batch b, Sent sent) {
        byte[] body = BatchJson.write(b.withRevision(sent.revision()));
        return HexFormat.of().formatHex(Secrets.sha256(body)).equals(sent.sha256());
    }

    /** Counts of one push. */
    private static final class Tally {
        int sent;
        int skipped;
        long observations;
    }

    /** A batch on its way, with what is recorded once the server confirms it. */
    private record InFlight(Batch batch, byte[] sha, CompletableFuture<Boolean> answer) {
    }

    /**
     * Observation batches on their way: at most {@link #inFlight}, confirmed in the order they
     * were sent. When one fails, the others still on their way are awaited and those the server
     * stored are confirmed before the failure is thrown, so nothing stored goes unrecorded.
     */
    private final class Window {
        private final Tally tally;
        private final Deque<InFlight> queue = new ArrayDeque<>();

        Window(Tally tally) {
            this.tally = tally;
        }

        /** Sends one batch unless confirmed before; waits for the oldest when the window is full. */
        void send(Batch b) {
            byte[] body = BatchJson.write(b);
            byte[] sha = Secrets.sha256(body);
            String hex = HexFormat.of().formatHex(sha);
            if (state.confirmed(b.scan().agentScan(), b.seq()).filter(c -> c.sha256().equals(hex))
                    .isPresent()) {
                tally.skipped++;
                return;
            }
            queue.add(new InFlight(b, sha, client.pushAsync(credential, b, body)));
            while (queue.size() >= inFlight) {
                confirmOldest();
            }
        }

        /** Waits for every batch still on its way; throws the first failure. */
        void drain() {
            while (!queue.isEmpty()) {
                confirmOldest();
            }
        }

        /** Waits for every batch still on its way, confirming those stored, throwing nothing. */
        void drainQuietly() {
            while (!queue.isEmpty()) {
                InFlight f = queue.poll();
                try {
                    f.answer().join();
                    confirm(f);
                } catch (CompletionException | CancellationException e) {
                    // the first failure is what the caller is throwing already
                }
            }
        }

        private void confirmOldest() {
            InFlight f = queue.poll();
            try {
                f.answer().get();
            } catch (InterruptedException e) {
                queue.addFirst(f);
                drainQuietly();
                throw new Interrupted(e);
            } catch (ExecutionException e) {
                drainQuietly();
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    throw new UncheckedIOException(io);
                }
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException("pushing batch " + f.batch().seq() + " failed",
                        cause);
            }
            confirm(f);
        }

        private void confirm(InFlight f) {
            state.confirm(f.batch().scan().agentScan(), f.batch().seq(), f.sha(), 0);
            tally.sent++;
            tally.observations += f.batch().observations().size();
        }
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
