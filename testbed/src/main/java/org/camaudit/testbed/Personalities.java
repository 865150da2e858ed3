package org.camaudit.testbed;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every personality the testbed can play, by id. */
public final class Personalities {
    private final Map<String, Personality> byId = new LinkedHashMap<>();

    private Personalities(List<Personality> all) {
        for (Personality p : all) {
            if (byId.put(p.id(), p) != null) {
                throw new IllegalStateException("duplicate personality id " + p.id());
            }
        }
    }

    public static Personalities standard() {
        List<Personality> all = new java.util.ArrayList<>(List.of(new Hikvision(
                Hikvision.Kind.CAMERA), new Hikvision(Hikvision.Kind.NVR),
                new Hikvision(
                        Hikvision.Kind.OEM_CAMERA),
                new Dahua(Dahua.Kind.CAMERA), new Dahua(
                        Dahua.Kind.RECORDER),
                new Dahua(Dahua.Kind.AMCREST), new Dahua(
                        Dahua.Kind.LOREX),
                new Xiongmai(false), new Xiongmai(true),
                new Axis()));
        // other camera makers, ordinary hosts, the honeypot and the misbehaving devices
        all.addAll(List.of(new Uniview(), new Hanwha(), new Bosch(), new Reolink(), new TpLink(),
                new Milesight()));
        for (OrdinaryHost.Kind kind : OrdinaryHost.Kind.values()) {
            all.add(new OrdinaryHost(kind));
        }
        all.add(new AnswersEverything());
        for (Misbehaving.Kind kind : Misbehaving.Kind.values()) {
            all.add(new Misbehaving(kind));
        }
        return new Personalities(all);
    }

    public Personality get(String id) {
        Personality p = byId.get(id);
        if (p == null) {
            throw new IllegalArgumentException("unknown personality '" + id + "' (known: "
                    + String.join(", ", byId.keySet()) + ")");
        }
        return p;
    }

    public Set<String> ids() {
        return byId.keySet();
    }
}
