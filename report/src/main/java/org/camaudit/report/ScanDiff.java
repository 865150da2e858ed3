package org.camaudit.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;

/**
 * What changed between two scans: devices added, removed and changed (firmware, brand, platform,
 * model, type, address), findings new and fixed. Devices are matched by their key (MAC when
 * known, else address); devices identified as nothing are left out; a finding is matched by
 * device and finding id. The same for the CLI's {@code diff} and the server's.
 *
 * @param from the earlier scan's id
 * @param to the later scan's id
 */
public record ScanDiff(long from, long to, List<Identification> added,
        List<Identification> removed, List<Change> changed, List<Finding> fresh,
        List<Finding> fixed) {

    /** One field of a device that changed. */
    public record FieldChange(String before, String after) {
    }

    /** One device that changed: its key, its later address and the fields that differ. */
    public record Change(String device, String address, Map<String, FieldChange> fields) {
        public Change {
            fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }
    }

    public ScanDiff {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
        fresh = List.copyOf(fresh);
        fixed = List.copyOf(fixed);
    }

    /** Compares the identifications and findings of scan {@code from} with those of {@code to}. */
    public static ScanDiff of(long from, List<Identification> idsBefore,
            List<Finding> findingsBefore, long to, List<Identification> idsAfter,
            List<Finding> findingsAfter) {
        Map<String, Identification> before = devices(idsBefore);
        Map<String, Identification> after = devices(idsAfter);
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
            Map<String, FieldChange> fields = new LinkedHashMap<>();
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
        Map<String, Finding> fBefore = findings(findingsBefore);
        Map<String, Finding> fAfter = findings(findingsAfter);
        List<Finding> fresh = fAfter.entrySet().stream().filter(e -> !fBefore.containsKey(e
                .getKey())).map(Map.Entry::getValue).toList();
        List<Finding> fixed = fBefore.entrySet().stream().filter(e -> !fAfter.containsKey(e
                .getKey())).map(Map.Entry::getValue).toList();
        return new ScanDiff(from, to, added, removed, changed, fresh, fixed);
    }

    /** The diff as one JSON document (the shape of {@code diff --json}). */
    public ObjectNode json() {
        ObjectNode root = DeviceJson.MAPPER.createObjectNode();
        root.put("from", from);
        root.put("to", to);
        ArrayNode ad = root.putArray("devices_added");
        added.forEach(i -> ad.addRawValue(new RawValue(DeviceJson.identificationLine(i))));
        ArrayNode re = root.putArray("devices_removed");
        removed.forEach(i -> re.addRawValue(new RawValue(DeviceJson.identificationLine(i))));
        ArrayNode ch = root.putArray("devices_changed");
        for (Change c : changed) {
            ObjectNode n = ch.addObject();
            n.put("device", c.device());
            n.put("address", c.address());
            ObjectNode f = n.putObject("changes");
            c.fields().forEach((k, v) -> f.putObject(k).put("before", v.before()).put("after", v
                    .after()));
        }
        ArrayNode nf = root.putArray("findings_new");
        fresh.forEach(f -> nf.add(DeviceJson.finding(f)));
        ArrayNode ff = root.putArray("findings_fixed");
        fixed.forEach(f -> ff.add(DeviceJson.finding(f)));
        return root;
    }

    private static void compare(Map<String, FieldChange> out, String name, Optional<String> x,
            Optional<String> y) {
        if (!Objects.equals(x, y)) {
            out.put(name, new FieldChange(x.orElse(""), y.orElse("")));
        }
    }

    private static Map<String, Identification> devices(List<Identification> ids) {
        Map<String, Identification> out = new LinkedHashMap<>();
        for (Identification i : ids) {
            if (!i.isUnknown()) {
                out.putIfAbsent(i.deviceKey(), i);
            }
        }
        return out;
    }

    private static Map<String, Finding> findings(List<Finding> list) {
        Map<String, Finding> out = new LinkedHashMap<>();
        for (Finding f : list) {
            out.putIfAbsent(f.deviceKey() + " " + f.id(), f);
        }
        return out;
    }
}
