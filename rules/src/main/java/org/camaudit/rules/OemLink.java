package org.camaudit.rules;

/** A brand whose devices are built (at least in part) by a platform maker. */
public record OemLink(String brand, String platform, Strength strength, String source) {
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
