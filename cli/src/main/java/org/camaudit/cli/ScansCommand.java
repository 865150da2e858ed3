package org.camaudit.cli;

import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import org.camaudit.model.Scan;
import org.camaudit.store.ObservationLog;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code camaudit scans}: the scans in the observation log. */
@Command(name = "scans", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = "Lists the scans in the observation log, newest first, with their scope,"
        + " authorisation and closing numbers.", footer = {"", "Examples:", "  camaudit scans",
                "  camaudit scans --json | jq '.[0].id'"})
final class ScansCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print a JSON array instead of a table.")
    boolean json;

    @Mixin
    DataDirOption data;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (ObservationLog log = data.open()) {
            List<Scan> scans = log.scans();
            if (json) {
                out.println(toJson(scans));
                return ExitCode.OK;
            }
            if (scans.isEmpty()) {
                out.println("no scans yet in " + data.resolve()
                        + " (run 'camaudit scan --help' to start one)");
                return ExitCode.OK;
            }
            out.printf("%5s  %-19s  %-12s  %-11s  %9s  %7s  %6s  %8s  %s%n", "ID", "STARTED (UTC)",
                    "KIND", "STATUS", "ADDRESSES", "HOSTS", "PORTS", "OBSERVED", "AUTHORIZED BY");
            for (Scan s : scans) {
                out.printf("%5d  %-19s  %-12s  %-11s  %,9d  %,7d  %,6d  %,8d  %s%n", s.id(), TIME
                        .format(s.started()), s.kind(), s.status(), s.summary().addressesProbed(),
                        s
                                .summary().hostsUp(),
                        s.summary().openPorts(), s.summary().observations(),
                        ScanReport.clip(s.authorizedBy(), 48));
            }
            return ExitCode.OK;
        }
    }

    static String toJson(List<Scan> scans) {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode array = mapper.createArrayNode();
        for (Scan s : scans) {
            ObjectNode n = array.addObject();
            n.put("id", s.id());
            n.put("kind", s.kind());
            n.put("status", s.status());
            n.put("started", s.started().toString());
            n.put("finished", s.finished().map(Object::toString).orElse(null));
            n.put("authorized_by", s.authorizedBy());
            try {
                n.set("scope", mapper.readTree(s.scope()));
            } catch (java.io.IOException e) {
                n.put("scope", s.scope());
            }
            n.put("addresses_probed", s.summary().addressesProbed());
            n.put("hosts_up", s.summary().hostsUp());
            n.put("open_ports", s.summary().openPorts());
            n.put("observations", s.summary().observations());
            n.put("millis", s.summary().millis());
        }
        return array.toPrettyString();
    }
}
