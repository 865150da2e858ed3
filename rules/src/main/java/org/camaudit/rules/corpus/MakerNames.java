package org.camaudit.rules.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.camaudit.knowledge.KnowledgePacks;
import org.camaudit.model.Identification;
import org.camaudit.rules.OemLink;
import org.camaudit.rules.RulePacks;
import org.camaudit.rules.Vendor;
import org.camaudit.rules.findings.BrandResolver;
import org.camaudit.rules.findings.FindingEngine;

/**
 * How the scorer compares a label with an identification, and which labels the policy checks
 * concern.
 *
 * <ul>
 * <li>A name is made canonical through vendors.yaml: the name, legal name and any {@code aliases}
 * of a vendor give that vendor; else the {@link BrandResolver} (legal-form words dropped, longest
 * known prefix: "Dahua Technology" is Dahua); else the name's {@link BrandResolver#key key}, so
 * two spellings of a company outside the closed list ("D-Link", "D-Link Corporation") still
 * compare equal.</li>
 * <li>Two names match when they are the same canonical vendor or in the same ownership group
 * (vendors.yaml parents: EZVIZ and Hikvision). OEM links do not make names match: a label "Annke"
 * is matched by an identification naming Annke, or by one naming Hikvision only when the record
 * also says platform Hikvision.</li>
 * <li>An identification is correct when its brand or platform matches the record's maker or
 * platform.</li>
 * </ul>
 */
public final class MakerNames {
    /** The ownership groups of the covered-family figure. */
    public static final List<String> COVERED_FAMILIES = List.of("Hikvision", "Dahua", "Xiongmai");

    private final RulePacks packs;
    private final BrandResolver resolver;
    private final FindingEngine policies;
    private final Map<String, String> byKey = new HashMap<>();

    public MakerNames(RulePacks packs, FindingEngine policies) {
        this(packs, policies, Map.of());
    }

    /**
     * @param corpusAliases the corpus's own aliases (alias to name, {@link Corpus#aliases}): names
     *     of one company that the vendor list does not know, e.g. a MAC registrant's legal name
     */
    public MakerNames(RulePacks packs, FindingEngine policies, Map<String, String> corpusAliases) {
        this.packs = packs;
        this.resolver = new BrandResolver(packs);
        this.policies = policies;
        for (Vendor v : packs.vendors().values()) {
            byKey.putIfAbsent(BrandResolver.key(v.name()), v.name());
            byKey.putIfAbsent(BrandResolver.key(v.legalName()), v.name());
        }
        aliases().forEach((alias, vendor) -> byKey.putIfAbsent(BrandResolver.key(alias), vendor));
        corpusAliases.forEach((alias, name) -> {
            String c = canonical(name);
            byKey.putIfAbsent(BrandResolver.key(alias), c.startsWith("key:") ? name : c);
        });
    }

    /** {@code aliases:} lists of vendors.yaml entries, when the pack has them. */
    private Map<String, String> aliases() {
        Map<String, String> out = new HashMap<>();
        try (InputStream in = KnowledgePacks.open(KnowledgePacks.VENDORS).orElseThrow()) {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
            for (JsonNode v : root.path("vendors")) {
                String name = v.path("name").asText();
                if (packs.vendor(name).isPresent()) {
                    v.path("aliases").forEach(a -> out.putIfAbsent(a.asText(), name));
                }
            }
        } catch (IOException e) {
            throw new CorpusException(KnowledgePacks.VENDORS + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** The canonical vendor a name means, or {@code key:<normalised name>} outside the list. */
    public String canonical(String name) {
        String k = BrandResolver.key(name);
        String exact = byKey.get(k);
        if (exact != null) {
            return packs.vendor(exact).isPresent() ? exact : "key:" + BrandResolver.key(exact);
        }
        return resolver.vendor(name).orElse("key:" + k);
    }

    /** The ownership group of a canonical name (itself outside the closed list). */
    public String group(String canonical) {
        return packs.group(canonical);
    }

    /** The canonical names a record's label stands for: its maker and, if given, platform. */
    public Set<String> label(CorpusRecord r) {
        Set<String> out = new LinkedHashSet<>();
        out.add(canonical(r.maker()));
        r.platform().ifPresent(p -> out.add(canonical(p)));
        return out;
    }

    /** The canonical names an identification gives: its brand and platform. */
    public Set<String> named(Identification id) {
        Set<String> out = new LinkedHashSet<>();
        id.brand().ifPresent(b -> out.add(canonical(b)));
        id.platform().ifPresent(p -> out.add(canonical(p)));
        return out;
    }

    /** True when the identification's brand or platform matches the label's maker or platform. */
    public boolean correct(CorpusRecord r, Identification id) {
        Set<String> label = label(r);
        for (String n : named(id)) {
            for (String l : label) {
                if (n.equals(l) || group(n).equals(group(l)) || samePrefix(n, l)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Two names outside the vendor list whose keys differ only by trailing words ("SiliconDust"
     * and the registrant "Silicondust Engineering"): one key starts the other, five letters or
     * more.
     */
    static boolean samePrefix(String a, String b) {
        if (!a.startsWith("key:") || !b.startsWith("key:")) {
            return false;
        }
        String x = a.substring(4);
        String y = b.substring(4);
        String shorter = x.length() <= y.length() ? x : y;
        String longer = shorter == x ? y : x;
        return shorter.length() >= 5 && longer.startsWith(shorter);
    }

    /**
     * True when the record belongs to the Hikvision, Dahua or Xiongmai family: its maker or
     * platform is in one of those ownership groups, or its maker is an OEM brand linked to one of
     * them by a strong or medium oem.yaml link (the links the engine itself infers from).
     */
    public boolean coveredFamily(CorpusRecord r) {
        for (String l : label(r)) {
            if (COVERED_FAMILIES.contains(group(l))) {
                return true;
            }
            for (OemLink link : packs.oemLinks()) {
                if (link.brand().equals(l) && link.strength() != OemLink.Strength.WEAK
                        && COVERED_FAMILIES.contains(group(link.platform()))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * True when no policy can concern the record's label: neither its maker, nor its platform,
     * nor any platform oem.yaml links the maker to (of any strength) is covered by a policy for
     * any device type (the real policy evaluation of an identification naming that vendor, type
     * unknown). A device of such a maker must never be called covered.
     */
    public boolean nonCoveredLabel(CorpusRecord r) {
        Set<String> candidates = new LinkedHashSet<>(label(r));
        for (String l : label(r)) {
            for (OemLink link : packs.oemLinks()) {
                if (link.brand().equals(l)) {
                    candidates.add(link.platform());
                }
            }
        }
        for (String c : candidates) {
            if (c.startsWith("key:")) {
                continue;
            }
            Identification asLabel = new Identification("label", Optional.empty(), Optional.of(c),
                    Optional.of(c), Optional.empty(), Optional.empty(), Optional.empty(), 1, false,
                    List.of(), List.of());
            if (!policies.policyFindings(asLabel).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** The policy findings the real evaluation gives an identification (ids, in policy order). */
    public List<String> policyCalls(Identification id) {
        if (id.isUnknown()) {
            return List.of();
        }
        return policies.policyFindings(id).stream().map(f -> f.id()).toList();
    }

    /** A canonical name for display: the vendor, or the label's own spelling outside the list. */
    public static String display(String canonical, String fallback) {
        return canonical.startsWith("key:") ? fallback : canonical;
    }
}
