package org.camaudit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.camaudit.probes.Scanner;
import org.camaudit.store.ObservationLog;

/**
 * The units an active scan completes, kept in the log: a unit's observations and the mark that
 * it is done go into one transaction, so a scan killed at any moment (kill -9 included) has each
 * unit stored and marked, or neither, and {@code scan --resume} redoes exactly the unmarked ones.
 * Flushed when {@link #BATCH} observations are pending, and at least every {@link #FLUSH_MILLIS}
 * ms while any are (a timer of its own, so a slow last host does not hold finished ones back).
 *
 * <p>A scan stopped midway (Ctrl-C, SIGTERM) also keeps what its unfinished targets gathered, and
 * {@code --resume} probes those targets again. So that their evidence is not stored twice, the
 * checkpoint that commits such partial evidence lists it by {@link #evidenceKey content}, per
 * address; when the resumed scan finishes the address, observations equal to one listed are
 * dropped (once each) and the address leaves the list.
 *
 * <p>The checkpoint is JSON: {@code {"settings": {...}, "done": [[from, to], ...], "udp": bool,
 * "partial": {address: [key, ...]}}}, {@code done} the target indices finished, as half-open
 * ranges.
 */
final class ScanLedger implements Scanner.Units, AutoCloseable {
    static final int BATCH = 1000;
    static final long FLUSH_MILLIS = 250;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObservationLog log;
    private final long scanId;
    private final ObjectNode settings;
    /** Finished target indices: range start to range end (exclusive), merged. */
    private final TreeMap<Long, Long> done = new TreeMap<>();
    private final List<Observation> pending = new ArrayList<>();
    /** Per address, the evidence keys of what an interrupted run stored for it unfinished. */
    private final TreeMap<String, List<String>> partial = new TreeMap<>();
    private boolean udp;
    private boolean dirty;
    private long written;
    private long lastFlush = System.nanoTime();
    /** The scan's own thread, stopped when the log refuses a write (a full disk). */
    private final Thread working = Thread.currentThread();
    private RuntimeException failure;
    private final java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("camaudit-ledger")
                    .factory());

    private ScanLedger(ObservationLog log, long scanId, ObjectNode settings) {
        this.log = log;
        this.scanId = scanId;
        this.settings = settings;
        timer.scheduleWithFixedDelay(this::flushIfDueFromTimer, FLUSH_MILLIS, FLUSH_MILLIS,
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private synchronized void flushIfDueFromTimer() {
        if (!pending.isEmpty() || dirty) {
            flushIfDue();
        }
    }

    /** Stops the timer; what is still pending stays for a last {@link #flush()}. */
    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** A new scan's ledger; its settings are recorded with its first flush. */
    static ScanLedger start(ObservationLog log, long scanId, ScanRun.Settings s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("udp", s.udp());
        n.put("sweep_only", s.sweepOnly());
        n.put("retries", s.retries());
        n.put("timeout_seconds", s.timeoutSeconds());
        ScanLedger ledger = new ScanLedger(log, scanId, n);
        ledger.dirty = true;
        ledger.flush();
        return ledger;
    }

    /** The ledger of an interrupted scan, as its last committed checkpoint left it. */
    static ScanLedger resume(ObservationLog log, long scanId) {
        String json = log.checkpoint(scanId).orElseThrow(() -> new UsageException("scan "
                + scanId + " has no checkpoint (written by an older camaudit): it cannot be"
                + " resumed; start a new scan"));
        try {
            JsonNode n = JSON.readTree(json);
            ScanLedger ledger = new ScanLedger(log, scanId, (ObjectNode) n.path("settings"));
            for (JsonNode range : n.path("done")) {
                ledger.done.put(range.get(0).asLong(), range.get(1).asLong());
            }
            ledger.udp = n.path("udp").asBoolean(false);
            n.path("partial").properties().forEach(e -> {
                List<String> keys = new ArrayList<>();
                e.getValue().forEach(k -> keys.add(k.asText()));
                ledger.partial.put(e.getKey(), keys);
            });
            ledger.written = log.countObservations(scanId);
            return ledger;
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalStateException("the checkpoint of scan " + scanId
                    + " is unreadable: " + e.getMessage(), e);
        }
    }

    /** The settings the scan was started with. */
    ScanRun.Settings settings(boolean quiet) {
        return new ScanRun.Settings(settings.path("udp").asBoolean(true), settings.path(
                "sweep_only").asBoolean(false), settings.path("retries").asInt(1), settings
                        .path(
                                "timeout_seconds")
                        .asInt(10),
                quiet);
    }

    /** What earlier runs finished (a snapshot, for the scanner to skip). */
    synchronized Scanner.Done done() {
        TreeMap<Long, Long> copy = new TreeMap<>(done);
        return new Scanner.Done(i -> {
            Map.Entry<Long, Long> e = copy.floorEntry(i);
            return e != null && i < e.getValue();
        }, udp);
    }

    /** Targets finished so far, by this run and earlier ones. */
    synchronized long addressesDone() {
        long n = 0;
        for (Map.Entry<Long, Long> e : done.entrySet()) {
            n += e.getValue() - e.getKey();
        }
        return n;
    }

    @Override
    public synchronized void addressDone(long index, List<Observation> observed) {
        pending.addAll(withoutStored(observed, true));
        mark(index);
        dirty = true;
        flushIfDue();
    }

    @Override
    public synchronized void discoveryDone(List<Observation> replies) {
        pending.addAll(withoutStored(replies, false));
        udp = true;
        dirty = true;
        flushFromScanner(); // one transaction: the replies and the mark
    }

    @Override
    public synchronized void unfinished(List<Observation> observed) {
        List<Observation> fresh = withoutStored(observed, false);
        for (Observation o : fresh) {
            partial.computeIfAbsent(o.address(), a -> new ArrayList<>()).add(evidenceKey(o));
        }
        pending.addAll(fresh);
        dirty |= !fresh.isEmpty(); // the keys go in the same transaction as the evidence
        flushIfDue();
    }

    /**
     * {@code observed} without what an earlier, interrupted run already stored for the same
     * addresses (each stored observation cancels one equal to it); with {@code finished}, those
     * addresses are done and leave the list.
     */
    private List<Observation> withoutStored(List<Observation> observed, boolean finished) {
        if (partial.isEmpty()) {
            return observed;
        }
        List<Observation> fresh = new ArrayList<>(observed.size());
        Map<String, List<String>> left = new java.util.HashMap<>();
        for (Observation o : observed) {
            List<String> stored = left.computeIfAbsent(o.address(), a -> partial.containsKey(a)
                    ? new ArrayList<>(partial.get(a))
                    : List.of());
            if (stored.isEmpty() || !stored.remove(evidenceKey(o))) {
                fresh.add(o);
            }
        }
        if (finished && partial.keySet().removeAll(left.keySet())) {
            dirty = true;
        }
        return fresh;
    }

    /**
     * What an observation says, without when it was made or how long the reply took: source,
     * address, MAC, port, transport, protocol, the fields but {@link Fields#RTT_MICROS}, and the
     * raw excerpt, as a SHA-256 prefix (16 hex digits).
     */
    static String evidenceKey(Observation o) {
        StringBuilder sb = new StringBuilder();
        sb.append(o.source()).append('\0').append(o.address()).append('\0').append(o.mac().orElse(
                "")).append('\0').append(o.port()).append('\0').append(o.transport()).append('\0')
                .append(o.protocol());
        o.fields().forEach((k, v) -> {
            if (!k.equals(Fields.RTT_MICROS)) {
                sb.append('\0').append(k).append('=').append(v);
            }
        });
        sb.append('\0').append(o.raw());
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(sb.toString()
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JDK", e);
        }
    }

    private void mark(long index) {
        long from = index;
        long to = index + 1;
        Map.Entry<Long, Long> before = done.floorEntry(index);
        if (before != null && before.getValue() >= index) {
            if (before.getValue() > index) {
                return; // already marked
            }
            from = before.getKey();
        }
        Long after = done.get(to);
        if (after != null) {
            done.remove(to);
            to = after;
        }
        done.put(from, to);
    }

    private void flushIfDue() {
        if (pending.size() >= BATCH || System.nanoTime() - lastFlush >= FLUSH_MILLIS * 1_000_000) {
            flushFromScanner();
        }
    }

    /**
     * On a scanner thread a failed write must not vanish into a thread pool: it is kept, the scan
     * is stopped, and the scan's own thread gets it at its last {@link #flush()}.
     */
    private void flushFromScanner() {
        if (failure != null) {
            return;
        }
        try {
            flush();
        } catch (RuntimeException e) {
            failure = e;
            working.interrupt();
        }
    }

    /** Commits what is pending and the checkpoint in one transaction. */
    synchronized void flush() {
        if (failure != null) {
            throw failure;
        }
        if (pending.isEmpty() && !dirty) {
            return;
        }
        log.append(scanId, List.copyOf(pending), dirty ? checkpoint() : null);
        written += pending.size();
        pending.clear();
        dirty = false;
        lastFlush = System.nanoTime();
    }

    /** Observations committed to the log for this scan (earlier runs included). */
    synchronized long written() {
        return written;
    }

    private String checkpoint() {
        ObjectNode n = JSON.createObjectNode();
        n.set("settings", settings);
        ArrayNode ranges = n.putArray("done");
        done.forEach((from, to) -> ranges.addArray().add(from).add(to));
        n.put("udp", udp);
        if (!partial.isEmpty()) {
            ObjectNode p = n.putObject("partial");
            partial.forEach((address, keys) -> {
                if (!keys.isEmpty()) {
                    ArrayNode a = p.putArray(address);
                    keys.forEach(a::add);
                }
            });
        }
        return n.toString();
    }
}
