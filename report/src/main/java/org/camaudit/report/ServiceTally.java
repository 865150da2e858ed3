package org.camaudit.report;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.camaudit.model.Fields;
import org.camaudit.model.Observation;
import org.camaudit.model.Transport;

/**
 * Gathers what each address had open from a scan's observations: open TCP ports and the
 * protocols that answered (errors count for nothing). Fed one observation at a time, by whichever
 * store holds the scan.
 */
public final class ServiceTally implements Consumer<Observation> {
    private final Map<String, Set<Integer>> ports = new HashMap<>();
    private final Map<String, Set<String>> protocols = new HashMap<>();

    @Override
    public void accept(Observation o) {
        if (o.isError()) {
            return;
        }
        if (o.transport() == Transport.TCP && o.port() > 0 && o.field(Fields.STATE).map(
                "open"::equals).orElse(false)) {
            ports.computeIfAbsent(o.address(), k -> new TreeSet<>()).add(o.port());
        }
        if (!o.protocol().equals("tcp")) {
            protocols.computeIfAbsent(o.address(), k -> new TreeSet<>()).add(o.protocol());
        }
    }

    /** Each address seen with a port or protocol, and what it had. */
    public Map<String, DeviceServices> services() {
        Map<String, DeviceServices> out = new HashMap<>();
        Set<String> addresses = new TreeSet<>(ports.keySet());
        addresses.addAll(protocols.keySet());
        for (String a : addresses) {
            out.put(a, new DeviceServices(List.copyOf(ports.getOrDefault(a, Set.of())), List
                    .copyOf(protocols.getOrDefault(a, Set.of()))));
        }
        return out;
    }
}
