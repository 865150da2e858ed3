package org.camaudit.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.camaudit.cli.imports.ImportException;
import org.camaudit.cli.imports.NmapXmlImport;
import org.camaudit.model.ScanSummary;
import org.camaudit.store.ObservationLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code camaudit import}: an existing Nmap scan becomes a scan in the observation log. */
@Command(name = "import", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
        "Turns an Nmap XML file (best with -sV service data) into observations of a"
                + " new scan, so existing scans feed the same engine. Sends no traffic."}, footer = {
                        "", "Examples:",
                        "  nmap -sV -oX site-a.xml 10.20.0.0/22 && camaudit import site-a.xml",
                        "  camaudit import site-a.xml --authorized-by \"nmap run by J. Smith, 2026-11-20\""})
final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "An Nmap XML file (nmap -oX).")
    Path file;

    @Option(names = "--authorized-by", paramLabel = "WHO, WHEN", description = "Who authorised the original scan; stored with the import"
            + " (default: \"imported from FILE\").")
    String authorizedBy;

    @Mixin
    DataDirOption data;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        InputStream in;
        try {
            in = new BufferedInputStream(Files.newInputStream(file));
        } catch (NoSuchFileException e) {
            throw new UsageException("no such file: " + file);
        }
        long started = System.nanoTime();
        try (in; ObservationLog log = data.open()) {
            String who = authorizedBy != null
                    ? authorizedBy
                    : "imported from " + file
                            .getFileName();
            long scanId = log.startScan("import:nmap", who, "{\"import\":\"" + file.getFileName()
                    .toString().replace("\"", "'") + "\"}", Instant.now());
            StoreSink sink = new StoreSink(log, scanId);
            try {
                NmapXmlImport.Result r = NmapXmlImport.read(in, sink);
                sink.flush();
                ScanSummary s = new ScanSummary(r.hosts(), r.hosts(), 0, sink.written(),
                        (System.nanoTime() - started) / 1_000_000);
                log.finishScan(scanId, "complete", s, Instant.now());
                out.printf("scan %d: imported %,d hosts, %,d observations from %s%s%n", scanId, r
                        .hosts(), sink.written(), file,
                        r.nmapArgs().isEmpty()
                                ? ""
                                : " (" + r
                                        .nmapArgs() + ")");
                return ExitCode.OK;
            } catch (ImportException e) {
                sink.flush();
                log.finishScan(scanId, "failed", new ScanSummary(0, 0, 0, sink.written(), 0),
                        Instant.now());
                throw new UsageException(file + ": " + e.getMessage() + " (kept " + sink.written()
                        + " observations read before it in scan " + scanId + ")");
            }
        }
    }
}
