package org.camaudit.rules.bom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.rules.findings.BrandResolver;
import org.camaudit.rules.findings.FindingEngine;
import org.camaudit.rules.findings.Vulnerability;

/**
 * Judges each line of a BOM with a finding engine: the vendor behind the brand (vendors and OEM
 * packs), its platform makers, the policies that would ban it (one finding per policy) and the
 * known vulnerabilities of that model line.
 */
public final class BomCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FindingEngine engine;
    private final BrandResolver brands;

    public BomCheck(FindingEngine engine) {
        this.engine = engine;
        this.brands = new BrandResolver(engine.packs().rules());
    }

    /**
     * One line's verdict.
     *
     * @param bans by policy id, the finding that policy would raise
     * @param vulnerabilities the ids of known vulnerabilities of the model line
     */
    public record Verdict(BomFile.Line line, Optional<String> vendor, List<String> platforms,
            Map<String, Finding> bans, List<String> vulnerabilities) {
        public Verdict {
            platforms = List.copyOf(platforms);
            bans = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(bans));
            vulnerabilities = List.copyOf(vulnerabilities);
        }

        public boolean banned() {
            return !bans.isEmpty();
        }

        /** The verdict as one JSON object (the shape of {@code check-bom --format json}). */
        public ObjectNode json() {
            ObjectNode n = JSON.createObjectNode();
            n.put("line", line.number());
            n.put("brand", line.brand());
            n.put("model", line.model());
            n.put("quantity", line.quantity());
            n.put("supplier", line.supplier());
            if (vendor.isPresent()) {
                n.put("vendor", vendor.get());
            } else {
                n.putNull("vendor");
            }
            if (platforms.isEmpty()) {
                n.putNull("platform");
            } else {
                n.put("platform", String.join(", ", platforms));
            }
            n.putPOJO("policies", new ArrayList<>(bans.keySet()));
            ArrayNode why = n.putArray("bans");
            for (Map.Entry<String, Finding> b : bans.entrySet()) {
                ObjectNode o = why.addObject();
                Map<String, String> d = b.getValue().details();
                o.put("policy", b.getKey());
                o.put("finding", b.getValue().id());
                o.put("list", d.getOrDefault("list", b.getValue().title()));
                o.put("entry", d.getOrDefault("entry", ""));
                o.put("since", d.getOrDefault("since", ""));
                o.put("citation", b.getValue().citation().orElse(""));
            }
            n.putPOJO("vulns", new ArrayList<>(vulnerabilities));
            return n;
        }
    }

    public FindingEngine engine() {
        return engine;
    }

    /** Every line's verdict, in the BOM's order. */
    public List<Verdict> check(BomFile bom) {
        List<Verdict> out = new ArrayList<>();
        for (BomFile.Line line : bom.lines()) {
            out.add(check(line));
        }
        return out;
    }

    /** One line's verdict. */
    public Verdict check(BomFile.Line line) {
        Optional<String> vendor = brands.vendor(line.brand());
        List<String> platforms = vendor.map(brands::platforms).orElse(List.of());
        Map<String, Finding> bans = new LinkedHashMap<>();
        Set<String> vendors = new LinkedHashSet<>();
        vendor.ifPresent(vendors::add);
        vendors.addAll(platforms);
        List<String> tries = platforms.isEmpty() ? List.of("") : platforms;
        for (String platform : tries) {
            Identification id = new Identification("bom-line-" + line.number(), Optional.empty(),
                    vendor, BomFile.nonEmpty(platform), BomFile.nonEmpty(line.model()), Optional
                            .empty(),
                    Optional.empty(), 1, vendor.isPresent() && !platform
                            .isEmpty() && !platform.equals(vendor.get()),
                    List.of(),
                    List.of());
            if (id.isUnknown()) {
                continue;
            }
            for (Finding p : engine.policyFindings(id)) {
                bans.putIfAbsent(p.details().getOrDefault("policy", p.id()), p);
            }
        }
        Set<String> vulnIds = new LinkedHashSet<>();
        for (Vulnerability v : engine.vulnerabilitiesOf(vendors, BomFile.nonEmpty(line
                .model()))) {
            vulnIds.add(v.id());
        }
        return new Verdict(line, vendor, platforms, bans, new ArrayList<>(vulnIds));
    }
}
