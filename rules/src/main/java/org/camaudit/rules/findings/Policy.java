package org.camaudit.rules.findings;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.camaudit.model.Finding;

/**
 * One ban or restriction (a file in {@code knowledge/policies/} or the operator's own): which
 * vendors or countries it covers, for which device types, with its legal citation and dates.
 *
 * @param id what operators select ({@code --policy ndaa889})
 * @param findingId the stable id of the findings it produces ({@code ndaa-889})
 * @param covers the coverage rules; a device is covered when any one matches
 */
public record Policy(String id, String findingId, String title, String jurisdiction,
        String citation, Finding.Severity severity, Finding.Remediation remediation,
        List<Effective> effective, String source, List<Cover> covers) {

    public Policy {
        if (id == null || id.isBlank() || findingId == null || findingId.isBlank()) {
            throw new IllegalArgumentException("a policy needs an id and a finding_id");
        }
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
     */
    public record Cover(List<String> vendors, List<String> countries, List<String> countriesExcept,
            List<String> types, Optional<LocalDate> since, Optional<String> citation, String note) {
        public Cover {
            vendors = List.copyOf(vendors);
            countries = List.copyOf(countries);
            countriesExcept = List.copyOf(countriesExcept);
            types = List.copyOf(types);
        }
    }

    /** The earliest effective date, if any. */
    public Optional<LocalDate> firstEffective() {
        return effective.stream().map(Effective::date).min(LocalDate::compareTo);
    }
}
