package org.camaudit.rules.findings;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.camaudit.model.Finding;

/**
 * One ban or restriction (a file in {@code knowledge/policies/} or the operator's own): which
 * vendors or countries it covers, for which device types, with its legal citation and dates.
 * It is in force from its first effective date; an entry of it from its own {@code since} date
 * when later.
 *
 * @param id what operators select ({@code --policy ndaa889})
 * @param findingId the stable id of the findings it produces ({@code ndaa-889})
 * @param groups the jurisdiction groups it belongs to, also selectable
 *     ({@code --policy us-federal,texas})
 * @param covers the coverage rules; a device is covered when any one matches
 */
public record Policy(String id, String findingId, String title, String jurisdiction,
        List<String> groups, String citation, Finding.Severity severity,
        Finding.Remediation remediation, List<Effective> effective, String source,
        List<Cover> covers) {

    public Policy {
        if (id == null || id.isBlank() || findingId == null || findingId.isBlank()) {
            throw new IllegalArgumentException("a policy needs an id and a finding_id");
        }
        if (effective.isEmpty()) {
            throw new IllegalArgumentException("policy " + id + " needs an effective date");
        }
        groups = List.copyOf(groups);
        effective = List.copyOf(effective);
        covers = List.copyOf(covers);
    }

    /** A date from which the policy (or a part of it) applies. */
    public record Effective(LocalDate date, String what, String source) {
    }

    /**
     * One coverage rule. Vendors are canonical names; their subsidiaries and affiliates (from
     * vendors.yaml) are covered too. Countries select every vendor of that country;
     * countriesExcept every vendor not of those countries. Empty types means any device type.
     *
     * @param entry the list's own name for the entity, as its source gives it
     */
    public record Cover(List<String> vendors, List<String> countries, List<String> countriesExcept,
            List<String> types, Optional<LocalDate> since, Optional<String> citation,
            Optional<String> entry, String note) {
        public Cover {
            vendors = List.copyOf(vendors);
            countries = List.copyOf(countries);
            countriesExcept = List.copyOf(countriesExcept);
            types = List.copyOf(types);
        }
    }

    /** The earliest effective date: the policy is in force from then. */
    public LocalDate firstEffective() {
        return effective.stream().map(Effective::date).min(LocalDate::compareTo).orElseThrow();
    }

    /** Whether a selection ({@code --policy} word) names this policy or one of its groups. */
    public boolean selectedBy(String word) {
        return id.equalsIgnoreCase(word) || findingId.equalsIgnoreCase(word) || groups.stream()
                .anyMatch(word::equalsIgnoreCase);
    }

    /** The date a cover applies from: its own date or the policy's, whichever is later. */
    public LocalDate inForce(Cover c) {
        LocalDate first = firstEffective();
        return c.since().filter(s -> s.isAfter(first)).orElse(first);
    }
}
