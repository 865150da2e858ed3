package org.camaudit.probes;

import java.util.Set;
import org.camaudit.model.SafetyClass;

/** What a probe may use: the guarded network, its bounds and the enabled safety classes. */
public record ProbeContext(Network network, ProbeLimits limits, Set<SafetyClass> enabled) {
    public ProbeContext {
        enabled = Set.copyOf(enabled);
    }

    public boolean allows(SafetyClass safetyClass) {
        return enabled.contains(safetyClass);
    }
}
