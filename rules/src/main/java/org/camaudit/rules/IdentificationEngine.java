package org.camaudit.rules;

import java.util.Collection;
import java.util.List;
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

    final RulePacks packs;
    final RuleIndex index;

    public IdentificationEngine(RulePacks packs) {
        this.packs = packs;
        this.index = new RuleIndex(packs.rules());
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
