package org.camaudit.rules;

import java.util.ArrayList;
import java.util.List;
import org.camaudit.model.Observation;
import org.camaudit.model.Source;
import org.camaudit.model.Transport;

/** Builds observations the way the probes and importers shape them. */
final class Devices {
    private final String address;
    private final List<Observation> out = new ArrayList<>();

    private Devices(String address) {
        this.address = address;
    }

    static Devices at(String address) {
        return new Devices(address);
    }

    /** Key-value pairs; an odd count means the first argument is the MAC. */
    Devices obs(String protocol, int port, String... args) {
        int from = args.length % 2;
        Observation.Builder b = Observation.builder(Source.ACTIVE, address).protocol(protocol)
                .port(port).transport(port == 0 ? Transport.NONE : Transport.TCP).mac(from == 1
                        ? args[0]
                        : null);
        for (int i = from; i < args.length; i += 2) {
            b.field(args[i], args[i + 1]);
        }
        out.add(b.build());
        return this;
    }

    List<Observation> list() {
        return out;
    }
}
