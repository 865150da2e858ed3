package org.camaudit.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.camaudit.model.Scan;
import org.camaudit.store.ObservationJson;
import org.camaudit.store.ObservationLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code camaudit observations}: a scan's observations as JSONL. */
@Command(name = "observations", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
        "Exports a scan's observations as JSON lines, one object per line, in the"
                + " order they were recorded:",
        "  {\"time\",\"source\",\"address\",\"mac\",\"port\",\"transport\",\"protocol\","
                + "\"fields\":{canonical keys},\"raw\"}"}, footer = {"", "Examples:",
                        "  camaudit observations --scan 3 > scan3.jsonl",
                        "  camaudit observations --scan 3 --out scan3.jsonl",
                        "  camaudit observations | jq -r 'select(.fields[\"http.server\"]) | .address'"})
final class ObservationsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--scan", paramLabel = "ID", description = "The scan (default: the newest).")
    Long scanId;

    @Option(names = "--out", paramLabel = "FILE", description = "Write here instead of stdout.")
    Path outFile;

    @Mixin
    DataDirOption data;

    @Override
    public Integer call() throws IOException {
        try (ObservationLog log = data.open()) {
            long id;
            if (scanId == null) {
                id = log.scans().stream().findFirst().map(Scan::id).orElseThrow(
                        () -> new UsageException("no scans yet in " + data.resolve()));
            } else {
                id = scanId;
                if (log.scan(id).isEmpty()) {
                    throw new UsageException("no scan " + id + " in " + data.resolve()
                            + " (see 'camaudit scans')");
                }
            }
            if (outFile == null) {
                PrintWriter out = spec.commandLine().getOut();
                log.forEachObservation(id, o -> out.println(ObservationJson.toLine(o)));
                out.flush();
                return ExitCode.OK;
            }
            try (Writer w = new BufferedWriter(
                    new OutputStreamWriter(Files.newOutputStream(outFile),
                            StandardCharsets.UTF_8))) {
                log.forEachObservation(id, o -> {
                    try {
                        w.write(ObservationJson.toLine(o));
                        w.write('\n');
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
            spec.commandLine().getErr().printf("wrote %,d observations of scan %d to %s%n", log
                    .countObservations(id), id, outFile);
            return ExitCode.OK;
        }
    }
}
