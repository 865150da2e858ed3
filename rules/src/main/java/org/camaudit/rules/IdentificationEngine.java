package org.camaudit.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camaudit.model.Identification;
import org.camaudit.model.Observation;

/**
 * Turns observations into identifications with the rule packs. Thread-safe and reusable; each
 * batch of observations goes through its own {@link IdentificationSession}.
 *
 * <pre>{@code
 * IdentificationEngine engine = IdentificationEngine.shipped();
 * IdentificationSession s = engine.newSession();
 * log.forEachObservation(scanId, s::accept);
 * List<Identification> devices = s.finish();
 * }</pre>
 */
public final class IdentificationEngine {
    private static volatile IdentificationEngine shipped;

    /** Set to true to try every rule of a key on each value, as before the compiled matcher. */
    public static final String PLAIN_LOOP_PROPERTY = "camaudit.identify.plainLoop";

    final RulePacks packs;
    final RuleIndex index;
    /** Every rule of a key is tried on each value (for comparison); else only the candidates. */
    final boolean plainLoop;
    /** The OEM links of each brand, in pack order (a session looks a device's brand up here). */
    final Map<String, List<OemLink>> oemLinksByBrand;

    /**
     * An engine over {@code packs}; the system property {@value #PLAIN_LOOP_PROPERTY} selects the
     * plain loop.
     */
    public IdentificationEngine(RulePacks packs) {
        this(packs, Boolean.getBoolean(PLAIN_LOOP_PROPERTY));
    }

    IdentificationEngine(RulePacks packs, boolean plainLoop) {
        this.packs = packs;
        this.index = new RuleIndex(packs.rules());
        this.plainLoop = plainLoop;
        Map<String, List<OemLink>> byBrand = new HashMap<>();
        for (OemLink l : packs.oemLinks()) {
            byBrand.computeIfAbsent(l.brand(), b -> new ArrayList<>()).add(l);
        }
        byBrand.replaceAll((b, links) -> List.copyOf(links));
        this.oemLinksByBrand = Map.copyOf(byBrand);
    }

    /** An engine over the packs shipped in the knowledge module. */
    public static IdentificationEngine shipped() {
        IdentificationEngine e = shipped;
        if (e == null) {
            synchronized (IdentificationEngine.class) {
                e = shipped;
                if (e == null) {
                    e = new IdentificationEngine(RulePacks.shipped());
                    shipped = e;
                }
            }
        }
        return e;
    }

    public RulePacks packs() {
        return packs;
    }

    public IdentificationSession newSession() {
        return new IdentificationSession(this);
    }

    /** Identifies a finite set of observations at once. */
    public List<Identification> identify(Collection<Observation> observations) {
        IdentificationSession s = newSession();
        observations.forEach(s::accept);
        return s.finish();
    }
}
