package org.camaudit.rules;

import java.util.List;
import java.util.Optional;

/**
 * One entry of the closed vendor list.
 *
 * @param parent the company that owns it now
 * @param platformMaker builds its own firmware/hardware, not only a label on others' devices
 */
public record Vendor(String name, String legalName, String country, Optional<String> parent,
        List<String> subsidiaries, List<String> affiliates, boolean platformMaker, String source) {
    public Vendor {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a vendor needs a name");
        }
        subsidiaries = List.copyOf(subsidiaries);
        affiliates = List.copyOf(affiliates);
    }
}
