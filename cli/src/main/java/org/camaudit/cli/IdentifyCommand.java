package org.camaudit.cli;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.camaudit.cli.imports.ImportException;
import org.camaudit.cli.imports.NmapXmlImport;
import org.camaudit.model.Evidence;
import org.camaudit.model.Identification;
import org.camaudit.report.DeviceJson;
import org.camaudit.rules.IdentificationEngine;
import org.camaudit.rules.IdentificationSession;
import org.camaudit.store.ObservationJson;
import org.camaudit.store.ObservationLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code camaudit identify}: who made each device, from a stored scan or from a file. */
@Command(name = "identify", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
        "Says who made each device: the brand on the box, the platform maker beneath (a Hikvision"
                + " camera sold as Annke is brand Annke, platform Hikvision, OEM rebrand), model,"
                + " firmware, type, confidence and the rules that fired. Sends no traffic.",
        "--scan re-identifies a stored scan with the current rules and stores the result;"
                + " --input reads observation JSONL or Nmap XML and writes one JSON line per"
                + " device."}, footer = {"", "Examples:", "  camaudit identify --scan 3",
                        "  camaudit identify --input scan3.jsonl --out devices.jsonl",
                        "  camaudit identify --input site-a.xml --format nmap"})
final class IdentifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--scan", paramLabel = "ID", description = "A stored scan to re-identify.")
    Long scanId;

    @Option(names = "--input", paramLabel = "FILE", description = "Observation JSONL (as 'camaudit observations' writes) or Nmap XML.")
    Path input;

    @Option(names = "--format", paramLabel = "jsonl|nmap", description = "Format of --input (default: from the file's first character).")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "With --input: write the JSON lines here instead of stdout.")
    Path outFile;

    @Mixin
    DataDirOption data;

    @Override
    public Integer call() throws IOException {
        if ((scanId == null) == (input == null)) {
            throw new UsageException("say what to identify: --scan ID or --input FILE");
        }
        if (scanId != null && (format != null || outFile != null)) {
            throw new UsageException("--format and --out go with --input");
        }
        return scanId != null ? identifyScan(scanId) : identifyFile();
    }

    private int identifyScan(long id) {
        PrintWriter out = spec.commandLine().getOut();
        try (ObservationLog log = data.open()) {
            if (log.scan(id).isEmpty()) {
                throw new UsageException("no scan " + id + " in " + data.resolve()
                        + " (see 'camaudit scans')");
            }
            List<Identification> found = identifyStored(log, id);
            out.printf("scan %d: %,d devices identified with rules %s%n", id, found.size(),
                    IdentificationEngine.shipped().packs().version());
            printTable(out, found);
            out.flush();
            return ExitCode.OK;
        }
    }

    /** Identifies a stored scan's observations and stores the result; used by scan too. */
    static List<Identification> identifyStored(ObservationLog log, long scanId) {
        IdentificationEngine engine = IdentificationEngine.shipped();
        IdentificationSession session = engine.newSession();
        log.forEachObservation(scanId, session::accept);
        List<Identification> found = new ArrayList<>(session.finish());
        found.sort((a, b) -> ScanReport.compareAddresses(a.address(), b.address()));
        log.replaceIdentifications(scanId, found, engine.packs().version());
        return found;
    }

    private int identifyFile() throws IOException {
        InputStream in;
        try {
            in = new BufferedInputStream(Files.newInputStream(input));
        } catch (NoSuchFileException e) {
            throw new UsageException("no such file: " + input);
        } catch (IOException e) {
            throw new UsageException("cannot read " + input + ": " + e.getMessage());
        }
        IdentificationSession session = IdentificationEngine.shipped().newSession();
        try (in) {
            String kind = format != null ? format.toLowerCase(Locale.ROOT) : sniff(in);
            switch (kind) {
                case "jsonl" -> readJsonl(in, session);
                case "nmap" -> {
                    try {
                        NmapXmlImport.read(in, session::accept);
                    } catch (ImportException e) {
                        throw new UsageException(input + ": " + e.getMessage());
                    }
                }
                default -> throw new UsageException("unknown --format " + format
                        + ": use jsonl or nmap");
            }
        }
        List<Identification> found = session.finish();
        if (outFile == null) {
            PrintWriter out = spec.commandLine().getOut();
            for (Identification i : found) {
                out.println(jsonLine(i));
            }
            out.flush();
        } else {
            try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(
                    outFile), StandardCharsets.UTF_8))) {
                for (Identification i : found) {
                    w.write(jsonLine(i));
                    w.write('\n');
                }
            } catch (IOException e) {
                throw new UsageException("cannot write " + outFile + ": " + e.getMessage());
            }
            spec.commandLine().getErr().printf("identified %,d devices from %,d observations;"
                    + " wrote %s%n", found.size(), session.observations(), outFile);
        }
        return ExitCode.OK;
    }

    private static String sniff(InputStream in) throws IOException {
        in.mark(4096);
        int c;
        int read = 0;
        do {
            c = in.read();
            read++;
        } while (c != -1 && Character.isWhitespace(c) && read < 4096);
        in.reset();
        if (c == '<') {
            return "nmap";
        }
        return "jsonl";
    }

    private void readJsonl(InputStream in, IdentificationSession session) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int number = 0;
        while ((line = r.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            try {
                session.accept(ObservationJson.fromLine(line));
            } catch (IllegalArgumentException e) {
                throw new UsageException(input + ":" + number + ": " + e.getMessage());
            }
        }
    }

    /** One device as a JSON object on one line; unknown parts are null. */
    static String jsonLine(Identification i) {
        return DeviceJson.identificationLine(i);
    }

    static void printTable(PrintWriter out, List<Identification> found) {
        if (found.isEmpty()) {
            return;
        }
        out.printf("%-16s %-17s %-12s %-12s %-18s %-22s %-11s %-5s %-7s %s%n", "ADDRESS", "MAC",
                "BRAND", "PLATFORM", "MODEL", "FIRMWARE", "TYPE", "CONF", "REBRAND",
                "TOP EVIDENCE");
        for (Identification i : found) {
            List<String> top = i.evidence().stream().filter(e -> e.confidence() > 0).map(
                    Evidence::ruleId).distinct().limit(3).toList();
            out.printf("%-16s %-17s %-12s %-12s %-18s %-22s %-11s %-5.2f %-7s %s%s%n",
                    ScanReport.clip(i.address(), 16), i.mac().orElse("-"), ScanReport.clip(i
                            .brand().map(b -> i.makerByMac() ? b + "~" : b).orElse("-"), 12),
                    ScanReport.clip(i.platform().orElse("-"),
                            12),
                    ScanReport.clip(i.model().orElse("-"), 18), ScanReport
                            .clip(i.firmware().orElse("-"), 22),
                    i.type().orElse(
                            "-"),
                    i.confidence(), i.oemRebrand()
                            ? "yes"
                            : "no",
                    String.join(",", top), i
                            .conflicts().isEmpty()
                                    ? ""
                                    : " (" + i.conflicts()
                                            .size()
                                            + " conflicts)");
        }
        if (found.stream().anyMatch(Identification::makerByMac)) {
            out.println("~ maker named by MAC only (the registrant of its prefix), low confidence");
        }
    }
}
