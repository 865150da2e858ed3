package org.camaudit.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.camaudit.model.Evidence;
import org.camaudit.model.Fields;
import org.camaudit.model.Identification;
import org.camaudit.model.Observation;

/**
 * Collects the rule hits of a stream of observations, device by device, and combines them into one
 * identification per device when {@link #finish()} is called. Observations are matched as they
 * arrive and not kept, so memory grows with devices and distinct hits, not with observations. Not
 * thread-safe: one session per thread or per batch.
 *
 * <p>
 * Devices are grouped by address, then address groups that share a MAC are merged (key: MAC when
 * known, else address).
 *
 * <p>
 * How evidence combines:
 * <ul>
 * <li>In each pack file the first rule that matches a value is the evidence (recog order), but every
 * rule is tried so that one value claiming two unrelated makers ({@code App-webs} and
 * {@code uc-httpd} in one Server header, a page stuffed with every vendor's keywords) is seen:
 * such a device is identified as nothing, with the contradiction listed.</li>
 * <li>The platform maker is the vendor group (EZVIZ counts as Hikvision) with the strongest
 * combined evidence; a second group with real evidence is listed as a conflict and halves the
 * confidence; strong tells from three unrelated groups mean the device lies, and it is identified as
 * nothing.</li>
 * <li>The brand is the label the device states (OEMInfo, DHDiscover Vendor, ONVIF manufacturer, page
 * branding), preferring a label other than the platform maker's own; without one, the platform
 * maker's name.</li>
 * <li>The MAC's OUI only adds: it never overrides or clears what the protocols say; a registrant
 * that disagrees is listed.</li>
 * </ul>
 */
public final class IdentificationSession {
    /** A tell at or above this confidence counts as strong when judging contradictions. */
    static final double STRONG = 0.7;
    /** Tells at or above this are compared within one value for contradictions. */
    static final double CLAIM = 0.6;
    static final String OUI_RULE = "oui";
    /** Confidence of a maker named by the MAC alone: a vendor of the closed list, or another. */
    static final double BY_MAC_LISTED = 0.5;
    static final double BY_MAC_UNLISTED = 0.3;
    static final String OEM_RULE = "oem";
    /** How much of a unit tell's confidence carries over to the platform it names. */
    static final double TELL_WEIGHT = 0.8;

    private final IdentificationEngine engine;
    private final RulePacks packs;
    private final Map<String, Device> byAddress = new LinkedHashMap<>();
    /**
     * Responders on port 53 of another host's flow: forwarding resolvers ask for their clients'
     * names, so the cloud names they ask by DNS say nothing of their own maker (bounded).
     */
    private final Set<String> resolvers = new java.util.HashSet<>();
    static final int MAX_RESOLVERS = 4096;
    private long observations;
    /**
     * The device of the previous observation: a scan reports a host's observations together, so
     * most observations skip the lookup by address.
     */
    private Device last;
    /** The device whose observation {@link #accept} is matching, for {@link #onField}. */
    private Device current;
    /** {@link #onField} made once, so iterating an observation's fields allocates nothing. */
    private final BiConsumer<String, String> onField = this::onField;
    /** Scratch bit set of one value's candidate rules (reused: a session is single-threaded). */
    private long[] candidates = new long[4];

    /** One rule that fired on one field. */
    record Hit(String ruleId, String field, String value, Yield yield, String said,
            double confidence,
            boolean fromOui) {
    }

    private static final class Device {
        final String address;
        String mac;
        final Map<String, Hit> hits = new LinkedHashMap<>();
        /** Made on the first conflict: most devices have none. */
        Set<String> conflicts;
        boolean contradictory;

        Device(String address) {
            this.address = address;
        }

        void conflict(String description) {
            if (conflicts == null) {
                conflicts = new LinkedHashSet<>();
            }
            conflicts.add(description);
        }

        List<String> conflicts() {
            return conflicts == null ? new ArrayList<>() : new ArrayList<>(conflicts);
        }

        void merge(Device other) {
            other.hits.forEach(hits::putIfAbsent);
            if (other.conflicts != null) {
                other.conflicts.forEach(this::conflict);
            }
            contradictory |= other.contradictory;
        }
    }

    IdentificationSession(IdentificationEngine engine) {
        this.engine = engine;
        this.packs = engine.packs;
    }

    /** Matches one observation's fields and files the hits under its device. */
    public void accept(Observation o) {
        observations++;
        Device d = last;
        if (d == null || !d.address.equals(o.address())) {
            d = byAddress.get(o.address());
            if (d == null) {
                d = new Device(o.address());
                byAddress.put(o.address(), d);
            }
            last = d;
        }
        if (d.mac == null && o.mac().isPresent()) {
            d.mac = o.mac().get();
        }
        noteResolver(o);
        current = d;
        o.fields().forEach(onField);
        current = null;
    }

    /** Matches one field of the observation being accepted against its key's rules. */
    private void onField(String key, String value) {
        FieldMatcher rules = engine.index.matcherFor(key);
        if (rules.rules.length > 0) {
            matchValue(current, key, value, rules);
        }
    }

    private void noteResolver(Observation o) {
        String dst = o.fields().get(Fields.FLOW_DST);
        if (dst == null || !o.field(Fields.FLOW_DPORT).map(String::strip).orElse("").equals(
                "53") || resolvers.size() >= MAX_RESOLVERS) {
            return;
        }
        String responder = dst.strip().toLowerCase(Locale.ROOT);
        if (!responder.equals(o.field(Fields.FLOW_SRC).orElse(o.address()).strip().toLowerCase(
                Locale.ROOT))) {
            resolvers.add(responder);
        }
    }

    /** How many observations were accepted. */
    public long observations() {
        return observations;
    }

    /**
     * Runs the candidate rules of one value in pack order (the compiled matcher skips only rules
     * that cannot match; with {@link IdentificationEngine#plainLoop} every rule is tried).
     */
    private void matchValue(Device d, String key, String value, FieldMatcher matcher) {
        if (candidates.length < matcher.words) {
            candidates = new long[Math.max(matcher.words, candidates.length * 2)];
        }
        if (engine.plainLoop) {
            matcher.all(candidates);
        } else {
            matcher.candidates(value, candidates);
        }
        Rule[] rules = matcher.rules;
        String lower = null;
        long firstInFile = 0;
        String claimPlatform = null;
        String claimPlatformRule = null;
        String claimBrand = null;
        String claimBrandRule = null;
        for (int w = 0; w < matcher.words; w++) {
            for (long bits = candidates[w]; bits != 0;) {
                int p = (w << 6) + Long.numberOfTrailingZeros(bits);
                Rule rule = rules[p];
                bits &= bits - 1;
                Yield y;
                if (!engine.plainLoop && matcher.knownLiteral(p)) {
                    y = rule.matchKnownLiteral(value);
                } else {
                    if (lower == null && rule.needsLower()) {
                        lower = value.toLowerCase(Locale.ROOT);
                    }
                    y = rule.match(value, lower);
                }
                if (y == null) {
                    continue;
                }
                long bit = 1L << rule.fileIndex;
                boolean first = (firstInFile & bit) == 0;
                if (first) {
                    firstInFile |= bit;
                    String hitKey = matcher.hitKeys[p];
                    if (!d.hits.containsKey(hitKey)) {
                        d.hits.put(hitKey, new Hit(rule.id, key, value, y, y == rule.fixed
                                ? rule.fixedDescription
                                : y.describe(), rule.confidence, false));
                    }
                }
                // A claim: the rule its file chose for this value, or a marker found anywhere in it.
                // (Later anchored rules of the same file are broader patterns, resolved by order.)
                if (rule.confidence < CLAIM || rule.kind == Rule.Kind.PRESENT || !(first
                        || rule.marker)) {
                    continue;
                }
                if (y.platform().isPresent()) {
                    String g = packs.group(y.platform().get());
                    if (claimPlatform == null) {
                        claimPlatform = g;
                        claimPlatformRule = rule.id;
                    } else if (!claimPlatform.equals(g)) {
                        d.contradictory = true;
                        d.conflict("one " + key + " value claims two makers: " + claimPlatform
                                + " (" + claimPlatformRule + ") and " + g + " (" + rule.id + ")");
                    }
                } else if (y.brand().isPresent()) {
                    String g = packs.group(y.brand().get());
                    if (claimBrand == null) {
                        claimBrand = g;
                        claimBrandRule = rule.id;
                    } else if (!claimBrand.equals(g)) {
                        d.contradictory = true;
                        d.conflict("one " + key + " value claims two brands: " + claimBrand
                                + " (" + claimBrandRule + ") and " + g + " (" + rule.id + ")");
                    }
                }
            }
        }
    }

    /** One identification per device, in the order devices were first seen. */
    public List<Identification> finish() {
        Map<String, Device> byKey = new LinkedHashMap<>();
        for (Device d : byAddress.values()) {
            String key = d.mac != null ? d.mac : d.address;
            Device into = byKey.get(key);
            if (into == null) {
                byKey.put(key, d);
            } else {
                into.merge(d);
            }
        }
        List<Identification> out = new ArrayList<>(byKey.size());
        for (Device d : byKey.values()) {
            out.add(decide(d));
        }
        return out;
    }

    private static final class Group {
        final String name;
        double score;
        double max;
        String bestName;
        double bestConfidence = -1;
        final List<String> rules = new ArrayList<>();

        Group(String name) {
            this.name = name;
        }

        void add(Hit h, String platform) {
            score = 1 - (1 - score) * (1 - h.confidence());
            max = Math.max(max, h.confidence());
            if (h.confidence() > bestConfidence) {
                bestConfidence = h.confidence();
                bestName = platform;
            }
            rules.add(h.ruleId());
        }
    }

    private Identification decide(Device d) {
        List<Hit> hits = new ArrayList<>(d.hits.values());
        if (!resolvers.isEmpty() && resolvers.contains(d.address.toLowerCase(Locale.ROOT))) {
            hits.removeIf(h -> CloudNameRules.isDnsName(h.ruleId(), h.field()));
        }
        List<String> conflicts = d.conflicts();
        Optional<String> mac = Optional.ofNullable(d.mac);
        Optional<OuiTable.Entry> oui = mac.flatMap(m -> packs.oui().lookup(m));
        Optional<String> ouiVendor = oui.flatMap(OuiTable.Entry::vendor);

        Map<String, Group> groups = new LinkedHashMap<>();
        for (Hit h : hits) {
            h.yield().platform().ifPresent(p -> groups.computeIfAbsent(packs.group(p),
                    Group::new).add(h, p));
        }
        List<Group> ranked = new ArrayList<>(groups.values());
        ranked.sort(Comparator.comparingDouble((Group g) -> g.score).reversed());
        long strong = 0;
        for (Group g : ranked) {
            strong += g.max >= STRONG ? 1 : 0;
        }
        if (d.contradictory || strong >= 3) {
            if (strong >= 3) {
                conflicts.add("strong tells from " + strong + " unrelated makers: " + ranked
                        .stream().filter(g -> g.max >= STRONG).map(g -> g.name + " " + g.rules)
                        .toList() + "; a device that answers everything is not identified");
            }
            return new Identification(d.address, mac, Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), 0, false, evidence(
                            hits, oui),
                    conflicts);
        }

        Optional<String> platform = Optional.empty();
        String platformGroup = null;
        double confidence = 0;
        if (!ranked.isEmpty()) {
            Group top = ranked.get(0);
            platform = Optional.of(top.bestName);
            platformGroup = top.name;
            confidence = top.score;
            for (Group other : ranked.subList(1, ranked.size())) {
                if (other.max >= CLAIM) {
                    conflicts.add("platform evidence disagrees: " + top.name + " " + top.rules
                            + " vs " + other.name + " " + other.rules);
                    confidence *= 0.5;
                }
            }
        }

        // Brand: the label the device states, preferring one that is not the platform's own.
        Hit brandHit = null;
        for (Hit h : hits) {
            if (h.yield().brand().isEmpty()) {
                continue;
            }
            boolean foreign = platformGroup != null && !packs.group(h.yield().brand().get())
                    .equals(platformGroup);
            boolean bestForeign = brandHit != null && platformGroup != null && !packs.group(
                    brandHit.yield().brand().get()).equals(platformGroup);
            if (brandHit == null || (foreign && !bestForeign) || (foreign == bestForeign && h
                    .confidence() > brandHit.confidence())) {
                brandHit = h;
            }
        }
        Optional<String> brand = brandHit == null
                ? Optional.empty()
                : brandHit.yield().brand();
        if (brandHit != null) {
            Set<String> labels = new TreeSet<>();
            String brandGroup = packs.group(brand.get());
            String ownGroup = platformGroup == null ? "" : platformGroup;
            for (Hit h : hits) {
                if (h.yield().brand().isPresent() && h.confidence() >= STRONG) {
                    String g = packs.group(h.yield().brand().get());
                    if (!g.equals(brandGroup) && !g.equals(ownGroup)) {
                        labels.add(g);
                    }
                }
            }
            if (!labels.isEmpty()) {
                conflicts.add("the device also states brand " + String.join(", ", labels)
                        + " besides " + brand.get());
            }
        }

        // A unit of a brand sold on several makers' platforms: a per-unit tell of an OEM link
        // (oem.yaml) says which maker built this one.
        Evidence unitTell = null;
        List<OemLink> brandLinks = brand.isPresent()
                ? engine.oemLinksByBrand.getOrDefault(brand.get(), List.of())
                : List.of();
        if (!brandLinks.isEmpty()) {
            String b = brand.get();
            Map<String, Hit> byRule = new LinkedHashMap<>();
            hits.forEach(h -> byRule.putIfAbsent(h.ruleId(), h));
            List<OemLink> told = new ArrayList<>();
            Hit tellHit = null;
            for (OemLink l : brandLinks) {
                for (String t : l.tells()) {
                    if (byRule.containsKey(t)) {
                        told.add(l);
                        tellHit = tellHit == null ? byRule.get(t) : tellHit;
                        break;
                    }
                }
            }
            Set<String> toldGroups = new TreeSet<>();
            told.forEach(l -> toldGroups.add(packs.group(l.platform())));
            if (toldGroups.size() > 1) {
                conflicts.add("tells of several makers of " + b + " fired: " + toldGroups);
            } else if (toldGroups.size() == 1) {
                OemLink l = told.get(0);
                String g = toldGroups.iterator().next();
                if (platform.isEmpty()) {
                    platform = Optional.of(l.platform());
                    platformGroup = g;
                    confidence = tellHit.confidence() * TELL_WEIGHT;
                } else if (g.equals(platformGroup)) {
                    confidence = 1 - (1 - confidence) * TELL_WEIGHT;
                } else if (groups.containsKey(g)) {
                    conflicts.add("the " + b + " tell " + tellHit.ruleId() + " says " + l
                            .platform() + " built it, not " + platform.get());
                    platform = Optional.of(groups.get(g).bestName);
                    platformGroup = g;
                    confidence = groups.get(g).score * 0.5;
                } else {
                    conflicts.add("the " + b + " tell " + tellHit.ruleId() + " says " + l
                            .platform() + "; the protocols say " + platform.get());
                }
                if (g.equals(platformGroup)) {
                    unitTell = new Evidence(OEM_RULE + ":" + b + "/" + l.platform(), tellHit
                            .field(), tellHit.value(),
                            "platform=" + l.platform() + " (unit tell "
                                    + tellHit.ruleId() + ", link " + l.strength().name()
                                            .toLowerCase(Locale.ROOT)
                                    + ")",
                            tellHit.confidence());
                }
            }
        }

        // The MAC registrant adds, never overrides; alone, it names the maker "by MAC".
        Optional<String> macMaker = oui.map(packs::makerOf);
        boolean byMac = false;
        if (macMaker.isPresent()) {
            String v = macMaker.get();
            boolean listed = packs.vendor(v).isPresent();
            String g = packs.group(v);
            boolean maker = packs.vendor(v).map(Vendor::platformMaker).orElse(false);
            if (platform.isEmpty() && brand.isEmpty()) {
                if (maker) {
                    platform = Optional.of(v);
                    platformGroup = g;
                }
                brand = Optional.of(v);
                confidence = listed ? BY_MAC_LISTED : BY_MAC_UNLISTED;
                byMac = true;
            } else if (!listed) {
                // a module maker's MAC under a camera maker's firmware is common: no conflict
            } else if (g.equals(platformGroup)) {
                confidence = 1 - (1 - confidence) * 0.7;
            } else if (brand.isPresent() && g.equals(packs.group(brand.get()))) {
                confidence = Math.max(confidence, 0.3);
            } else if (platform.isPresent()) {
                conflicts.add("MAC " + oui.get().prefix() + " is registered to " + oui.get()
                        .organization() + " (" + v + "), the protocols say " + platform.get()
                        + "; the protocols decide");
            }
        }

        // No platform tell: a brand may still name its maker through the OEM links.
        if (platform.isEmpty() && brand.isPresent()) {
            String b = brand.get();
            List<OemLink> links = new ArrayList<>();
            for (OemLink l : engine.oemLinksByBrand.getOrDefault(b, List.of())) {
                if (l.strength() != OemLink.Strength.WEAK) {
                    links.add(l);
                }
            }
            double base = brandHit == null ? confidence : brandHit.confidence();
            if (links.size() == 1) {
                platform = Optional.of(links.get(0).platform());
                platformGroup = packs.group(links.get(0).platform());
                confidence = base * (links.get(0).strength() == OemLink.Strength.STRONG
                        ? 0.8
                        : 0.6);
            } else if (links.size() > 1) {
                conflicts.add("brand " + b + " is built by several makers (" + links.stream().map(
                        OemLink::platform).toList() + "); no protocol tell says which");
                confidence = base * 0.5;
            } else if (packs.vendor(b).isEmpty()) {
                // the MAC alone, or a name outside the closed list: confidence stays as it is
            } else if (packs.vendor(b).map(Vendor::platformMaker).orElse(false)) {
                platform = Optional.of(b);
                platformGroup = packs.group(b);
                confidence = base * 0.8;
            } else {
                confidence = base * 0.5;
            }
        }
        if (brand.isEmpty() && platform.isPresent()) {
            brand = platform;
        }

        // Model, firmware, type: the strongest hit consistent with the platform.
        final String pg = platformGroup;
        List<Hit> consistent = new ArrayList<>();
        for (Hit h : hits) {
            if (h.yield().platform().isEmpty() || packs.group(h.yield().platform().get()).equals(
                    pg)) {
                consistent.add(h);
            }
        }
        consistent.sort(BY_CONFIDENCE_DESCENDING);
        Optional<String> model = first(consistent, Yield::model);
        Optional<String> firmware = first(consistent, Yield::firmware);
        Optional<String> type = chooseType(consistent, conflicts);

        boolean rebrand = brand.isPresent() && platform.isPresent() && !packs.group(brand.get())
                .equals(packs.group(platform.get()));
        confidence = Math.min(0.99, Math.round(confidence * 100) / 100.0);
        return new Identification(d.address, mac, brand, platform, model, firmware, type,
                confidence, rebrand, evidence(hits, oui, macMaker, byMac, brand, platform,
                        unitTell),
                conflicts);
    }

    private static Optional<String> first(List<Hit> hits,
            java.util.function.Function<Yield, Optional<String>> part) {
        for (Hit h : hits) {
            Optional<String> v = part.apply(h.yield());
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    /** The most specific strong type; "recorder" and "video-device" give way to specific ones. */
    private static Optional<String> chooseType(List<Hit> hits, List<String> conflicts) {
        Set<String> specific = new LinkedHashSet<>();
        Optional<String> generic = Optional.empty();
        for (Hit h : hits) {
            Optional<String> t = h.yield().type();
            if (t.isEmpty()) {
                continue;
            }
            if (t.get().equals("recorder") || t.get().equals("video-device")) {
                generic = generic.or(() -> t);
            } else if (specific.isEmpty() || h.confidence() >= STRONG) {
                specific.add(t.get());
            }
        }
        if (specific.size() > 1) {
            conflicts.add("device type evidence disagrees: " + specific);
        }
        return specific.isEmpty() ? generic : Optional.of(specific.iterator().next());
    }

    /** The hits as evidence, strongest first (in the order seen among equals), into {@code out}. */
    private static void hitEvidence(List<Hit> hits, List<Evidence> out) {
        List<Hit> sorted = new ArrayList<>(hits);
        sorted.sort(BY_CONFIDENCE_DESCENDING);
        for (Hit h : sorted) {
            out.add(new Evidence(h.ruleId(), h.field(), h.value(), h.said(), h
                    .confidence()));
        }
    }

    private static final Comparator<Hit> BY_CONFIDENCE_DESCENDING = Comparator.comparingDouble(
            Hit::confidence).reversed();

    private static List<Evidence> evidence(List<Hit> hits, Optional<OuiTable.Entry> oui) {
        List<Evidence> out = new ArrayList<>(hits.size() + 1);
        hitEvidence(hits, out);
        oui.ifPresent(e -> out.add(new Evidence(OUI_RULE + ":" + e.registry(), Fields.MAC, e
                .prefix() + " " + e.organization(), "registrant (not used: the device"
                        + " contradicts itself)",
                0.0)));
        return out;
    }

    private List<Evidence> evidence(List<Hit> hits, Optional<OuiTable.Entry> oui,
            Optional<String> macMaker, boolean byMac, Optional<String> brand,
            Optional<String> platform, Evidence unitTell) {
        List<Evidence> out = new ArrayList<>(hits.size() + 2);
        if (unitTell != null) {
            out.add(unitTell);
        }
        hitEvidence(hits, out);
        if (oui.isEmpty()) {
            return out;
        }
        OuiTable.Entry e = oui.get();
        String maker = macMaker.orElseGet(() -> packs.makerOf(e));
        boolean listed = packs.vendor(maker).isPresent();
        String said;
        double confidence;
        if (byMac) {
            said = brand.map(b -> "brand=" + b + " ").orElse("") + platform.map(p -> "platform="
                    + p + " ").orElse("") + (listed ? "" : "(not in the vendor list) ")
                    + Identification.BY_MAC;
            confidence = listed ? BY_MAC_LISTED : BY_MAC_UNLISTED;
        } else {
            said = "registrant=" + maker + (listed ? "" : " (not in the vendor list)");
            confidence = listed ? BY_MAC_LISTED : 0.0;
        }
        out.add(new Evidence(OUI_RULE + ":" + e.registry(), Fields.MAC, e.prefix() + " " + e
                .organization(), said, confidence));
        return out;
    }
}
