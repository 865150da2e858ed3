package org.camaudit.model;

import java.util.Objects;

/**
 * One reason behind an identification: which rule fired on which observation field, the part of
 * the value it read, and what it concluded (for example {@code platform=Hikvision type=nvr}).
 *
 * @param ruleId the fingerprint, OUI or OEM rule that fired
 * @param field the canonical observation field key it read ({@code mac} for OUI evidence)
 * @param excerpt a bounded excerpt of the value read, at most {@link #MAX_EXCERPT} characters
 * @param said what the rule concluded, in {@code key=value} words
 * @param confidence the rule's own confidence, 0..1
 */
public record Evidence(String ruleId, String field, String excerpt, String said,
        double confidence) {
    /** Longest value excerpt kept with a piece of evidence. */
    public static final int MAX_EXCERPT = 120;

    public Evidence {
        if (ruleId == null || ruleId.isBlank()) {
            throw new IllegalArgumentException("evidence needs a rule id");
        }
        if (field == null || field.isBlank()) {
            throw new IllegalArgumentException("evidence needs a field key");
        }
        excerpt = Excerpt.bound(Objects.requireNonNullElse(excerpt, ""), MAX_EXCERPT);
        said = Objects.requireNonNullElse(said, "");
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence out of 0..1: " + confidence);
        }
    }
}
