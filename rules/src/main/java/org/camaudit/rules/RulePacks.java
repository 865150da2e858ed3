package org.camaudit.rules;

import static org.camaudit.rules.PackFields.optional;
import static org.camaudit.rules.PackFields.strings;
import static org.camaudit.rules.PackFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.PatternSyntaxException;
import org.camaudit.knowledge.KnowledgePacks;

/**
 * The rule packs of the knowledge module, loaded and checked: every vendor and type a rule names
 * is in the closed lists, every entry has a source, every regex compiles and captures only
 * {@code model} and {@code firmware}. Immutable once loaded; safe to share between threads.
 */
public final class RulePacks {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> YIELD_KEYS = Set.of("brand", "platform", "model", "firmware",
            "type");
    private static volatile RulePacks shipped;

    private final Map<String, Vendor> vendors;
    private final Map<String, String> groups;
    private final Set<String> types;
    private final List<OemLink> oemLinks;
    private final List<Rule> rules;
    private final OuiTable oui;

    private RulePacks(Map<String, Vendor> vendors, Map<String, String> groups, Set<String> types,
            List<OemLink> oemLinks, List<Rule> rules, OuiTable oui) {
        this.vendors = Collections.unmodifiableMap(vendors);
        this.groups = Collections.unmodifiableMap(groups);
        this.types = Collections.unmodifiableSet(types);
        this.oemLinks = List.copyOf(oemLinks);
        this.rules = List.copyOf(rules);
        this.oui = oui;
    }

    /** Each vendor to the top of its ownership chain (EZVIZ → Hikvision). */
    private static Map<String, String> groupsOf(Map<String, Vendor> vendors) {
        Map<String, String> g = new LinkedHashMap<>();
        for (String name : vendors.keySet()) {
            String root = name;
            Set<String> seen = new HashSet<>();
            while (vendors.get(root).parent().isPresent() && seen.add(root)) {
                root = vendors.get(root).parent().get();
            }
            g.put(name, root);
        }
        return g;
    }

    /** The packs shipped in the knowledge module (loaded once, then shared). */
    public static RulePacks shipped() {
        RulePacks p = shipped;
        if (p == null) {
            synchronized (RulePacks.class) {
                p = shipped;
                if (p == null) {
                    p = load();
                    shipped = p;
                }
            }
        }
        return p;
    }

    static RulePacks load() {
        Map<String, Vendor> vendors = loadVendors();
        Map<String, String> groups = groupsOf(vendors);
        Set<String> types = loadTypes();
        List<OemLink> links = loadOem(vendors);
        List<Rule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int fileIndex = 0;
        for (String file : KnowledgePacks.FINGERPRINTS) {
            addFile(file, read(file), fileIndex++, rules, ids, vendors, types);
        }
        for (Rule r : CloudNameRules.of(read(KnowledgePacks.CLOUDS), rules.size(), fileIndex,
                vendors)) {
            if (!ids.add(r.id)) {
                throw new RulePackException(KnowledgePacks.CLOUDS + ": duplicate rule id " + r.id);
            }
            rules.add(r);
        }
        checkTells(links, rules, groups);
        return new RulePacks(vendors, groups, types, links, rules, OuiTable.load());
    }

    /** Reads the rules of one fingerprint file into {@code rules}, after those already there. */
    private static void addFile(String file, JsonNode root, int fileIndex, List<Rule> rules,
            Set<String> ids, Map<String, Vendor> vendors, Set<String> types) {
        JsonNode list = root.path("rules");
        if (!list.isArray() || list.isEmpty()) {
            throw new RulePackException(file + ": no rules");
        }
        if (fileIndex >= Long.SIZE) {
            throw new RulePackException(file + ": at most " + Long.SIZE
                    + " fingerprint files are supported");
        }
        for (JsonNode n : list) {
            Rule r = rule(file, fileIndex, rules.size(), n, strings(root.path("default_fields")),
                    vendors, types);
            if (!ids.add(r.id)) {
                throw new RulePackException(file + ": duplicate rule id " + r.id);
            }
            rules.add(r);
        }
    }

    /**
     * These packs with one more fingerprint file after the others, read and checked like them
     * (closed lists, sources, unique ids), and each of its rules must match its examples and none
     * of its counter-examples. For a site's own rules, and for measuring the engine at a larger
     * rule count (bench/identify-throughput.sh). {@code name} names the file in errors.
     */
    public RulePacks plus(String name, String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new RulePackException(name + ": " + e.getMessage(), e);
        }
        List<Rule> all = new ArrayList<>(rules);
        Set<String> ids = new HashSet<>();
        rules.forEach(r -> ids.add(r.id));
        int fileIndex = rules.stream().mapToInt(r -> r.fileIndex).max().orElse(-1) + 1;
        addFile(name, root, fileIndex, all, ids, vendors, types);
        for (Rule r : all.subList(rules.size(), all.size())) {
            for (Rule.Example e : r.examples) {
                if (r.match(e.value(), e.value().toLowerCase(Locale.ROOT)) == null) {
                    throw new RulePackException(name + " rule " + r.id
                            + ": example does not match: " + e.value());
                }
            }
            for (String c : r.counterExamples) {
                if (r.match(c, c.toLowerCase(Locale.ROOT)) != null) {
                    throw new RulePackException(name + " rule " + r.id
                            + ": counter-example matches: " + c);
                }
            }
        }
        return new RulePacks(vendors, groups, types, oemLinks, all, oui);
    }

    /** The version of the packs, stored with every identification. */
    public String version() {
        return KnowledgePacks.VERSION;
    }

    public Map<String, Vendor> vendors() {
        return vendors;
    }

    public Set<String> types() {
        return types;
    }

    public List<OemLink> oemLinks() {
        return oemLinks;
    }

    public OuiTable oui() {
        return oui;
    }

    /**
     * The maker a MAC registrant names: the vendor of the generated table, else the registrant's own
     * company name ({@link RegistrantName}), which becomes the closed-list name when it is one
     * (case-insensitive) and may otherwise lie outside the closed list. A name outside the closed
     * list is for the inventory only; no policy or OEM link speaks of it.
     */
    public String makerOf(OuiTable.Entry registrant) {
        if (registrant.vendor().isPresent()) {
            return registrant.vendor().get();
        }
        String name = RegistrantName.of(registrant.organization());
        for (String v : vendors.keySet()) {
            if (v.equalsIgnoreCase(name)) {
                return v;
            }
        }
        return name;
    }

    public int ruleCount() {
        return rules.size();
    }

    List<Rule> rules() {
        return rules;
    }

    /** The top of a vendor's ownership chain (EZVIZ → Hikvision); the name itself if unknown. */
    public String group(String vendor) {
        return groups.getOrDefault(vendor, vendor);
    }

    public Optional<Vendor> vendor(String name) {
        return Optional.ofNullable(vendors.get(name));
    }

    private static JsonNode read(String name) {
        try (InputStream in = KnowledgePacks.open(name).orElseThrow(
                () -> new RulePackException(name + " is missing from the knowledge module"))) {
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new RulePackException(name + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Vendor> loadVendors() {
        JsonNode root = read(KnowledgePacks.VENDORS);
        Map<String, Vendor> out = new TreeMap<>();
        for (JsonNode n : root.path("vendors")) {
            String name = text(n, "name", KnowledgePacks.VENDORS);
            Vendor v = new Vendor(name, n.path("legal_name").asText(name), text(n, "country",
                    KnowledgePacks.VENDORS + " " + name), optional(n, "parent"),
                    strings(n.path(
                            "subsidiaries")),
                    strings(n.path("affiliates")), n.path(
                            "platform_maker").asBoolean(false),
                    text(n, "source",
                            KnowledgePacks.VENDORS + " " + name));
            if (out.put(name, v) != null) {
                throw new RulePackException(KnowledgePacks.VENDORS + ": duplicate vendor " + name);
            }
        }
        for (Vendor v : out.values()) {
            List<String> named = new ArrayList<>(v.subsidiaries());
            named.addAll(v.affiliates());
            v.parent().ifPresent(named::add);
            for (String other : named) {
                if (!out.containsKey(other)) {
                    throw new RulePackException(KnowledgePacks.VENDORS + ": " + v.name()
                            + " names " + other + ", which is not in the vendor list");
                }
            }
        }
        return out;
    }

    private static Set<String> loadTypes() {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode n : read(KnowledgePacks.TYPES).path("types")) {
            out.add(text(n, "name", KnowledgePacks.TYPES));
        }
        return out;
    }

    private static List<OemLink> loadOem(Map<String, Vendor> vendors) {
        List<OemLink> out = new ArrayList<>();
        for (JsonNode n : read(KnowledgePacks.OEM).path("links")) {
            String where = KnowledgePacks.OEM + " " + n.path("brand").asText();
            String brand = known(text(n, "brand", where), vendors, where);
            String platform = known(text(n, "platform", where), vendors, where);
            OemLink.Strength s;
            try {
                s = OemLink.Strength.valueOf(text(n, "strength", where).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new RulePackException(where + ": strength must be strong, medium or weak");
            }
            out.add(new OemLink(brand, platform, s, text(n, "source", where), strings(n.path(
                    "tells"))));
        }
        return out;
    }

    /** Every per-unit tell of an OEM link is a rule that names that link's maker or no maker. */
    private static void checkTells(List<OemLink> links, List<Rule> rules,
            Map<String, String> groups) {
        Map<String, Rule> byId = new LinkedHashMap<>();
        rules.forEach(r -> byId.put(r.id, r));
        for (OemLink l : links) {
            String where = KnowledgePacks.OEM + " " + l.brand() + " -> " + l.platform();
            for (String t : l.tells()) {
                Rule r = byId.get(t);
                if (r == null) {
                    throw new RulePackException(where + ": tell " + t + " is not a rule id");
                }
                Optional<String> p = r.fixed.platform();
                if (p.isPresent() && !groups.get(p.get()).equals(groups.get(l.platform()))) {
                    throw new RulePackException(where + ": tell " + t + " names " + p.get()
                            + ", another maker");
                }
            }
        }
    }

    private static Rule rule(String file, int fileIndex, int index, JsonNode n,
            List<String> defaultFields, Map<String, Vendor> vendors, Set<String> types) {
        String id = text(n, "id", file);
        String where = file + " rule " + id;
        List<String> fields = new ArrayList<>();
        if (n.has("field")) {
            fields.add(n.get("field").asText());
        }
        fields.addAll(strings(n.path("fields")));
        if (fields.isEmpty()) {
            fields.addAll(defaultFields);
        }
        if (fields.isEmpty()) {
            throw new RulePackException(where + ": needs field or fields");
        }
        Rule.Kind kind;
        try {
            kind = Rule.Kind.of(text(n, "match", where));
        } catch (IllegalArgumentException e) {
            throw new RulePackException(where + ": match must be exact, prefix, contains, regex,"
                    + " hex_prefix or present");
        }
        String value = kind == Rule.Kind.PRESENT ? "" : text(n, "value", where);
        for (String f : fields) {
            if (Rule.isWildcard(f) != (kind == Rule.Kind.PRESENT)) {
                throw new RulePackException(where + ": field " + f
                        + (kind == Rule.Kind.PRESENT
                                ? " must be a family (prefix.*) for match: present"
                                : " is a family (prefix.*): only match: present reads families"));
            }
        }
        Optional<String> brand = optional(n, "brand").map(b -> known(b, vendors, where));
        Optional<String> platform = optional(n, "platform").map(b -> known(b, vendors, where));
        Optional<String> type = optional(n, "type");
        if (type.isPresent() && !types.contains(type.get())) {
            throw new RulePackException(where + ": type " + type.get()
                    + " is not in types.yaml");
        }
        Yield fixed = new Yield(brand, platform, optional(n, "model"), optional(n, "firmware"),
                type);
        double confidence = n.path("confidence").asDouble(-1);
        if (!(confidence > 0 && confidence <= 1)) {
            throw new RulePackException(where + ": confidence must be in (0, 1]");
        }
        String source = text(n, "source", where);
        List<Rule.Example> examples = new ArrayList<>();
        for (JsonNode e : n.path("examples")) {
            Map<String, String> expect = new TreeMap<>();
            e.properties().forEach(p -> {
                if (!p.getKey().equals("value")) {
                    if (!YIELD_KEYS.contains(p.getKey())) {
                        throw new RulePackException(where + ": example key " + p.getKey()
                                + " is not one of " + YIELD_KEYS);
                    }
                    expect.put(p.getKey(), p.getValue().asText());
                }
            });
            examples.add(new Rule.Example(text(e, "value", where), expect));
        }
        if (examples.isEmpty()) {
            throw new RulePackException(where + ": needs at least one example");
        }
        Rule r;
        try {
            r = new Rule(index, id, file, fileIndex, fields, kind, value, n.path(
                    "case_sensitive").asBoolean(false), optional(n, "requires").orElse(null),
                    fixed, confidence, source, examples,
                    strings(n.path("counter_examples")));
        } catch (PatternSyntaxException e) {
            throw new RulePackException(where + ": bad regex: " + e.getDescription());
        }
        if (r.requires != null && kind != Rule.Kind.REGEX) {
            throw new RulePackException(where + ": requires is a prefilter for regex rules only");
        }
        if (kind == Rule.Kind.REGEX) {
            java.util.regex.Matcher names = java.util.regex.Pattern.compile("\\(\\?<([a-zA-Z]+)>")
                    .matcher(value);
            while (names.find()) {
                if (!names.group(1).equals("model") && !names.group(1).equals("firmware")) {
                    throw new RulePackException(where + ": named group " + names.group(1)
                            + " is not model or firmware");
                }
            }
        }
        if (fixed.brand().isEmpty() && fixed.platform().isEmpty() && !r.capturesModel
                && !r.capturesFirmware && fixed.model().isEmpty() && fixed.type().isEmpty()) {
            throw new RulePackException(where + ": yields nothing");
        }
        return r;
    }

    private static String known(String name, Map<String, Vendor> vendors, String where) {
        if (!vendors.containsKey(name)) {
            throw new RulePackException(where + ": " + name
                    + " is not in the closed vendor list (vendors.yaml)");
        }
        return name;
    }

}
