package org.camaudit.rules;

import java.util.List;

/**
 * A brand whose devices are built (at least in part) by a platform maker.
 *
 * @param tells ids of fingerprint rules whose firing on a unit of this brand shows that this
 *            maker built that unit (the per-unit tells of a brand sold on several platforms)
 */
public record OemLink(String brand, String platform, Strength strength, String source,
        List<String> tells) {
    public OemLink {
        tells = List.copyOf(tells);
    }

    /** How well the link is established. */
    public enum Strength {
        /** ownership, or a technical tell in primary sources */
        STRONG,
        /** secondary sources for a product line */
        MEDIUM,
        /** lists naming the brand among many */
        WEAK
    }
}
