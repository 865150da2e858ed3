package org.camaudit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.model.ScanSummary;
import org.camaudit.model.SiteRanges;
import org.camaudit.rules.findings.FindingEngine;
import org.camaudit.rules.geo.CountryDatabase;
import org.camaudit.rules.geo.DestinationCountries;
import org.camaudit.store.ObservationLog;

/**
 * One scan of kind 'passive' in the store, shared by {@code analyze} and {@code collect}: started
 * with what it reads, filled through its {@link StoreSink}, finished with a status, then
 * identified and evaluated like an active scan.
 */
final class PassiveScan {
    /** Devices shown in the destinations-by-country table; the findings hold them all. */
    static final int MAX_COUNTRY_DEVICES = 50;
    private final ObservationLog log;
    private final long started = System.nanoTime();
    final long id;
    final StoreSink sink;

    private PassiveScan(ObservationLog log, long id, StoreSink sink) {
        this.log = log;
        this.id = id;
        this.sink = sink;
    }

    /**
     * @param sources what is read (files, a collector address), recorded as the scan's scope
     */
    static PassiveScan start(ObservationLog log, String authorizedBy, List<String> sources) {
        return start(log, authorizedBy, sources, Optional.empty(), SiteRanges.builtIn());
    }

    /**
     * As {@link #start(ObservationLog, String, List)}, the files' identity and the site's ranges
     * kept in the scope ({@code inputs}; {@code local}: the operator's ranges besides the private
     * ones).
     */
    static PassiveScan start(ObservationLog log, String authorizedBy, List<String> sources,
            Optional<AnalyzedFiles> inputs, SiteRanges site) {
        long id = startScan(log, authorizedBy, sources, site, scope -> inputs.ifPresent(
                i -> scope.put("inputs", i.key())));
        return new PassiveScan(log, id, new StoreSink(log, id));
    }

    /**
     * A live collector's new scan: {@code more} adds what it needs to be taken up again to the
     * scope; its sink stores each period whole on {@link StoreSink#flush()}.
     */
    static PassiveScan collecting(ObservationLog log, String authorizedBy, List<String> sources,
            SiteRanges site, Consumer<ObjectNode> more) {
        long id = startScan(log, authorizedBy, sources, site, more);
        return new PassiveScan(log, id, StoreSink.flushedWhole(log, id, 0));
    }

    /**
     * Takes over scan {@code id}, a collector's scan cut short (killed or stopped): what it
     * stored stays, and what comes now is added after it (a live stream is not read again).
     */
    static PassiveScan resumeCollecting(ObservationLog log, long id) {
        log.resumeScan(id);
        return new PassiveScan(log, id, StoreSink.flushedWhole(log, id, log.countObservations(
                id)));
    }

    private static long startScan(ObservationLog log, String authorizedBy, List<String> sources,
            SiteRanges site, Consumer<ObjectNode> more) {
        ObjectNode scope = new ObjectMapper().createObjectNode();
        ArrayNode names = scope.putArray("passive");
        sources.forEach(f -> names.add(f.replace("\\", "/")));
        ArrayNode local = scope.putArray("local");
        site.describe().forEach(local::add);
        more.accept(scope);
        return log.startScan("passive", authorizedBy, scope.toString(), Instant.now());
    }

    /**
     * The site's ranges a passive scan kept in its scope ({@code local}, as {@link #start} wrote
     * them), the built-in ones for a scope without them or one that is not a passive scan's.
     */
    static SiteRanges site(String scopeJson) {
        try {
            List<String> local = new ArrayList<>();
            new ObjectMapper().readTree(scopeJson).path("local").forEach(r -> local.add(r
                    .asText()));
            return local.isEmpty()
                    ? SiteRanges.builtIn()
                    : SiteRanges.parse(String.join(",",
                            local));
        } catch (IOException | RuntimeException unreadable) {
            return SiteRanges.builtIn();
        }
    }

    /** A finished scan, to be identified and evaluated again. */
    static PassiveScan stored(ObservationLog log, long id) {
        return new PassiveScan(log, id, new StoreSink(log, id, log.countObservations(id)));
    }

    /**
     * Takes over scan {@code id}, an analysis of the same input cut short: the input is read
     * again from its start and what that run stored (a prefix, batch by batch) is passed over.
     */
    static PassiveScan resume(ObservationLog log, long id) {
        log.resumeScan(id);
        return new PassiveScan(log, id, new StoreSink(log, id, log.countObservations(id)));
    }

    /**
     * Stores what is pending, records the scan as {@code status} and prints one line about it.
     *
     * @param flows flow observations among those stored
     * @param flowsDropped flows not kept because the device-and-peer table was full
     */
    void finish(String status, long flows, long flowsDropped, PrintWriter out) {
        sink.flush();
        ScanSummary summary = new ScanSummary(0, 0, 0, sink.written(),
                (System.nanoTime() - started) / 1_000_000);
        log.finishScan(id, status, summary, Instant.now());
        out.printf("scan %d (passive%s): %,d observations stored, %,d of them flows%s%n", id,
                status.equals("complete") || status.equals("partial") ? "" : ", " + status,
                sink.written(), flows, flowsDropped > 0
                        ? " (" + flowsDropped + " flows dropped: pair table full)"
                        : "");
    }

    /**
     * Identifies the scan's devices and stores its findings, behaviour included, and destinations
     * by country when a country database is given (then prints them).
     */
    void evaluate(FindingEngine engine, Optional<DestinationCountries> countries, PrintWriter out,
            PrintWriter err) {
        try {
            List<Identification> identified = IdentifyCommand.identifyStored(log, id);
            SiteRanges site = Evaluation.site(log, id);
            Optional<DestinationCountries.Session> session = countries.map(c -> c.newSession(
                    site));
            List<Finding> findings = Evaluation.evaluateStored(log, id, identified, engine,
                    session);
            if (session.isPresent()) {
                printCountries(out, countries.get().database().info(), session.get().finish(),
                        id);
            }
            long behaviour = findings.stream().filter(f -> f.kind() == Finding.Kind.BEHAVIOUR)
                    .count();
            long devices = findings.stream().map(Finding::deviceKey).distinct().count();
            out.printf("findings: %,d on %,d devices (%,d behaviour); 'camaudit findings --scan %d'"
                    + " lists them%n", findings.size(), devices, behaviour, id);
        } catch (RuntimeException e) {
            // the evidence is stored; 'camaudit findings --scan ID --evaluate' can redo this step
            err.println("camaudit: identification or evaluation failed (" + e.getMessage()
                    + "); run 'camaudit findings --scan " + id + " --evaluate'");
        }
    }

    /** The database line, then one row per device and country (devices with non-local peers). */
    static void printCountries(PrintWriter out, CountryDatabase.Info info,
            DestinationCountries.Report report, long scanId) {
        out.printf("countries: %s%n", info.summary());
        List<DestinationCountries.DeviceCountries> devices = report.devices().stream().filter(
                d -> !d.byCountry().keySet().stream().allMatch(DestinationCountries.LOCAL::equals))
                .toList();
        int localOnly = report.devices().size() - devices.size();
        if (devices.isEmpty()) {
            out.printf("  no destinations outside local addresses (devices with flows: %,d)%n",
                    localOnly);
            return;
        }
        out.printf("  %-39s %-8s %10s %15s%n", "DEVICE", "COUNTRY", "FLOWS", "BYTES");
        int shown = 0;
        for (DestinationCountries.DeviceCountries d : devices) {
            if (shown++ == MAX_COUNTRY_DEVICES) {
                out.printf("  ... and %,d more devices ('camaudit findings --scan %d')%n", devices
                        .size() - MAX_COUNTRY_DEVICES, scanId);
                break;
            }
            String device = d.address();
            for (Map.Entry<String, DestinationCountries.Totals> e : d.byCountry().entrySet()) {
                out.printf("  %-39s %-8s %,10d %,15d%n", device, e.getKey(), e.getValue().flows(),
                        e.getValue().bytes());
                device = "";
            }
        }
        if (localOnly > 0) {
            out.printf("  (%,d more devices talk to local addresses only)%n", localOnly);
        }
    }
}
