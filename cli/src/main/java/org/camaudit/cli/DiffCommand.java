package org.camaudit.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.store.ObservationLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code camaudit diff A B}: what changed between two stored scans. */
@Command(name = "diff", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
        "Compares two stored scans: devices added, removed and changed (firmware, brand, platform,"
                + " model, type), and findings new and fixed. Devices are matched by MAC when"
                + " known, else by address. Sends no traffic."}, footer = {"", "Examples:",
                        "  camaudit diff 3 7", "  camaudit diff 3 7 --json"})
final class DiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "The earlier scan id.")
    long a;

    @Parameters(index = "1", paramLabel = "B", description = "The later scan id.")
    long b;

    @Option(names = "--json", description = "One JSON document.")
    boolean json;

    @Mixin
    DataDirOption data;

    /** One device that changed: the fields before and after. */
    record Change(String device, String address, Map<String, String[]> fields) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (ObservationLog log = data.open()) {
            for (long id : new long[]{a, b}) {
                if (log.scan(id).isEmpty()) {
                    throw new UsageException("no scan " + id + " in " + data.resolve()
                            + " (see 'camaudit scans')");
                }
            }
            Map<String, Identification> before = devices(log, a);
            Map<String, Identification> after = devices(log, b);
            List<Identification> added = new ArrayList<>();
            List<Identification> removed = new ArrayList<>();
            List<Change> changed = new ArrayList<>();
            after.forEach((k, i) -> {
                if (!before.containsKey(k)) {
                    added.add(i);
                }
            });
            before.forEach((k, i) -> {
                Identification n = after.get(k);
                if (n == null) {
                    removed.add(i);
                    return;
                }
                Map<String, String[]> fields = new LinkedHashMap<>();
                compare(fields, "firmware", i.firmware(), n.firmware());
                compare(fields, "brand", i.brand(), n.brand());
                compare(fields, "platform", i.platform(), n.platform());
                compare(fields, "model", i.model(), n.model());
                compare(fields, "type", i.type(), n.type());
                compare(fields, "address", Optional.of(i.address()), Optional.of(n.address()));
                if (!fields.isEmpty()) {
                    changed.add(new Change(k, n.address(), fields));
                }
            });
            Map<String, Finding> fBefore = findings(log, a);
            Map<String, Finding> fAfter = findings(log, b);
            List<Finding> fresh = fAfter.entrySet().stream().filter(e -> !fBefore.containsKey(e
                    .getKey())).map(Map.Entry::getValue).toList();
            List<Finding> fixed = fBefore.entrySet().stream().filter(e -> !fAfter.containsKey(e
                    .getKey())).map(Map.Entry::getValue).toList();
            if (json) {
                ObjectNode root = FindingsJson.JSON.createObjectNode();
                root.put("from", a);
                root.put("to", b);
                ArrayNode ad = root.putArray("devices_added");
                added.forEach(i -> ad.addRawValue(new com.fasterxml.jackson.databind.util.RawValue(
                        IdentifyCommand.jsonLine(i))));
                ArrayNode re = root.putArray("devices_removed");
                removed.forEach(
                        i -> re.addRawValue(new com.fasterxml.jackson.databind.util.RawValue(
                                IdentifyCommand.jsonLine(i))));
                ArrayNode ch = root.putArray("devices_changed");
                for (Change c : changed) {
                    ObjectNode n = ch.addObject();
                    n.put("device", c.device());
                    n.put("address", c.address());
                    ObjectNode f = n.putObject("changes");
                    c.fields().forEach((k, v) -> {
                        ObjectNode x = f.putObject(k);
                        x.put("before", v[0]);
                        x.put("after", v[1]);
                    });
                }
                ArrayNode nf = root.putArray("findings_new");
                fresh.forEach(f -> nf.add(FindingsJson.of(f)));
                ArrayNode ff = root.putArray("findings_fixed");
                fixed.forEach(f -> ff.add(FindingsJson.of(f)));
                out.println(root.toString());
            } else {
                out.printf("scan %d → scan %d: %d devices added, %d removed, %d changed; %d"
                        + " findings new, %d fixed%n", a, b, added.size(), removed.size(),
                        changed
                                .size(),
                        fresh.size(), fixed.size());
                added.forEach(i -> out.printf("  + %-16s %s%n", i.address(), label(i)));
                removed.forEach(i -> out.printf("  - %-16s %s%n", i.address(), label(i)));
                for (Change c : changed) {
                    List<String> parts = new ArrayList<>();
                    c.fields().forEach((k, v) -> parts.add(k + " " + v[0] + " → " + v[1]));
                    out.printf("  ~ %-16s %s%n", c.address(), String.join("; ", parts));
                }
                fresh.forEach(f -> out.printf("  new   %-16s %-9s %s%n", f.address(), f.severity()
                        .label(), f.id()));
                fixed.forEach(f -> out.printf("  fixed %-16s %-9s %s%n", f.address(), f.severity()
                        .label(), f.id()));
            }
            out.flush();
            return ExitCode.OK;
        }
    }

    private static String label(Identification i) {
        return i.brand().orElse("?") + i.platform().filter(p -> !p.equals(i.brand().orElse("")))
                .map(p -> " (" + p + ")").orElse("") + " " + i.model().orElse("") + " "
                + i
                        .firmware().orElse("");
    }

    private static void compare(Map<String, String[]> out, String name, Optional<String> x,
            Optional<String> y) {
        if (!Objects.equals(x, y)) {
            out.put(name, new String[]{x.orElse(""), y.orElse("")});
        }
    }

    private static Map<String, Identification> devices(ObservationLog log, long scan) {
        Map<String, Identification> out = new LinkedHashMap<>();
        for (Identification i : log.identifications(scan)) {
            if (!i.isUnknown()) {
                out.putIfAbsent(i.deviceKey(), i);
            }
        }
        return out;
    }

    private static Map<String, Finding> findings(ObservationLog log, long scan) {
        Map<String, Finding> out = new LinkedHashMap<>();
        for (Finding f : log.findings(scan)) {
            out.putIfAbsent(f.deviceKey() + " " + f.id(), f);
        }
        return out;
    }
}
