package org.camaudit.rules.findings;

import static org.camaudit.rules.PackFields.optional;
import static org.camaudit.rules.PackFields.strings;
import static org.camaudit.rules.PackFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.camaudit.knowledge.KnowledgePacks;
import org.camaudit.model.Finding;
import org.camaudit.rules.RulePackException;
import org.camaudit.rules.RulePacks;

/**
 * The evaluation packs, loaded and checked against the closed vendor and type lists: policies,
 * vulnerabilities (KEV entries merged with the hand-written ranges), exposures, clouds. Every
 * entry needs a source. Immutable; {@link #withPolicyFile} and {@link #withKev} return new packs.
 */
public final class FindingPacks {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static volatile FindingPacks shipped;

    private final RulePacks rules;
    private final Map<String, Policy> policies;
    private final Map<String, Vulnerability> vulns;
    private final List<ExposureRule> exposures;
    private final List<TlsDefault> tlsDefaults;
    private final CloudEndpoints clouds;
    private final String kevVersion;

    /** A vendor default certificate subject. */
    public record TlsDefault(String contains, String vendor, String source) {
    }

    private FindingPacks(RulePacks rules, Map<String, Policy> policies,
            Map<String, Vulnerability> vulns, List<ExposureRule> exposures,
            List<TlsDefault> tlsDefaults, CloudEndpoints clouds, String kevVersion) {
        this.rules = rules;
        this.policies = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(policies));
        this.vulns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(vulns));
        this.exposures = List.copyOf(exposures);
        this.tlsDefaults = List.copyOf(tlsDefaults);
        this.clouds = clouds;
        this.kevVersion = kevVersion;
    }

    /** The packs shipped in the knowledge module. */
    public static FindingPacks shipped() {
        FindingPacks p = shipped;
        if (p == null) {
            synchronized (FindingPacks.class) {
                p = shipped;
                if (p == null) {
                    p = load(RulePacks.shipped());
                    shipped = p;
                }
            }
        }
        return p;
    }

    static FindingPacks load(RulePacks rules) {
        Map<String, JsonNode> nodes = new LinkedHashMap<>();
        for (String file : KnowledgePacks.POLICIES) {
            nodes.put(file, read(file));
        }
        // packs that take their covers from another come after the others
        Map<String, Policy> loaded = new LinkedHashMap<>();
        for (boolean borrowing : new boolean[]{false, true}) {
            for (Map.Entry<String, JsonNode> e : nodes.entrySet()) {
                if (e.getValue().has("covers_from") == borrowing) {
                    Policy p = policy(e.getValue(), e.getKey(), rules, loaded);
                    if (loaded.put(p.id(), p) != null) {
                        throw new RulePackException(e.getKey() + ": duplicate policy id " + p
                                .id());
                    }
                }
            }
        }
        Map<String, Policy> policies = new LinkedHashMap<>();
        for (String file : KnowledgePacks.POLICIES) {
            String id = nodes.get(file).path("id").asText();
            policies.put(id, loaded.get(id));
        }
        JsonNode kevRoot = read(KnowledgePacks.VULNS_KEV);
        Map<String, Vulnerability> vulns = vulns(kevRoot, read(KnowledgePacks.VULNS), rules);
        JsonNode ex = read(KnowledgePacks.EXPOSURES);
        return new FindingPacks(rules, policies, vulns, exposures(ex), tlsDefaults(ex, rules),
                clouds(read(KnowledgePacks.CLOUDS), rules), kevRoot.path("catalog_version")
                        .asText("unknown"));
    }

    public Map<String, Policy> policies() {
        return policies;
    }

    public Map<String, Vulnerability> vulnerabilities() {
        return vulns;
    }

    public List<ExposureRule> exposures() {
        return exposures;
    }

    public List<TlsDefault> tlsDefaults() {
        return tlsDefaults;
    }

    public CloudEndpoints clouds() {
        return clouds;
    }

    public RulePacks rules() {
        return rules;
    }

    /** The KEV catalog version the vulnerabilities' KEV status comes from. */
    public String kevVersion() {
        return kevVersion;
    }

    /**
     * These packs plus an operator's policy file (same format as the shipped ones). A policy with
     * the id of a shipped one replaces it.
     *
     * @throws RulePackException when the file is unreadable or invalid, saying where
     */
    public FindingPacks withPolicyFile(Path file) {
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = YAML.readTree(in);
        } catch (IOException e) {
            throw new RulePackException(file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new RulePackException(
                    file + ": not a policy (a YAML mapping with id, covers...)");
        }
        Policy p = policy(root, file.toString(), rules, policies);
        Map<String, Policy> all = new LinkedHashMap<>(policies);
        all.put(p.id(), p);
        return new FindingPacks(rules, all, vulns, exposures, tlsDefaults, clouds, kevVersion);
    }

    /**
     * These packs with KEV status taken from a newer catalog: camera entries it adds become
     * vulnerabilities (decided "unknown" unless the hand pack has ranges), and KEV dates of known
     * entries are updated.
     */
    public FindingPacks withKev(KevCatalog catalog) {
        Map<String, Vulnerability> all = new LinkedHashMap<>(vulns);
        for (KevCatalog.Entry e : catalog.cameraEntries()) {
            Vulnerability.Kev kev = new Vulnerability.Kev(e.dateAdded(), e.dueDate(), e
                    .ransomware(), "CISA KEV " + catalog.version());
            Vulnerability old = all.get(e.cve());
            if (old != null) {
                all.put(e.cve(), new Vulnerability(old.id(), old.title(), old.vendorLabel(),
                        Optional.of(kev), old.cvss(), old.citation(), old.decision(), old
                                .remediation(),
                        old.source(), old.affected(), old.observation()));
            } else {
                all.put(e.cve(), fromKev(e.cve(), e.vendorProject(), e.product(), e.name(), e
                        .vendor(), kev));
            }
        }
        return new FindingPacks(rules, policies, all, exposures, tlsDefaults, clouds, catalog
                .version());
    }

    // ---- loading ----

    private static JsonNode read(String name) {
        try (InputStream in = KnowledgePacks.open(name).orElseThrow(
                () -> new RulePackException(name + " is missing from the knowledge module"))) {
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new RulePackException(name + ": " + e.getMessage(), e);
        }
    }

    /**
     * One policy. {@code covers_from: ID} takes the covers of an earlier policy (a restriction
     * that applies to another list's entries, such as NDAA FY2024 §805 to the §1260H list), in
     * addition to its own.
     */
    static Policy policy(JsonNode n, String where, RulePacks rules, Map<String, Policy> known) {
        List<Policy.Effective> effective = new ArrayList<>();
        for (JsonNode e : n.path("effective")) {
            effective.add(new Policy.Effective(date(e, "date", where).orElseThrow(
                    () -> new RulePackException(where + ": effective entry needs a date")),
                    text(
                            e, "what", where),
                    text(e, "source", where)));
        }
        if (effective.isEmpty()) {
            throw new RulePackException(where + ": a policy needs effective dates");
        }
        List<Policy.Cover> covers = new ArrayList<>();
        Optional<String> from = optional(n, "covers_from");
        if (from.isPresent()) {
            Policy other = known.get(from.get());
            if (other == null) {
                throw new RulePackException(where + ": covers_from " + from.get()
                        + " is not a known policy");
            }
            covers.addAll(other.covers());
        }
        for (JsonNode c : n.path("covers")) {
            List<String> vendors = strings(c.path("vendors"));
            for (String v : vendors) {
                if (rules.vendor(v).isEmpty()) {
                    throw new RulePackException(where + ": " + v
                            + " is not in the closed vendor list (vendors.yaml)");
                }
            }
            List<String> types = strings(c.path("types"));
            for (String t : types) {
                if (!rules.types().contains(t)) {
                    throw new RulePackException(where + ": type " + t + " is not in types.yaml");
                }
            }
            List<String> countries = strings(c.path("countries"));
            List<String> except = strings(c.path("countries_except"));
            if (vendors.isEmpty() && countries.isEmpty() && except.isEmpty()) {
                throw new RulePackException(where
                        + ": a cover needs vendors, countries or countries_except");
            }
            covers.add(new Policy.Cover(vendors, countries, except, types, date(c, "since",
                    where), optional(c, "citation"), optional(c, "entry"),
                    c.path("note").asText(
                            "")));
        }
        if (covers.isEmpty()) {
            throw new RulePackException(where + ": a policy needs covers");
        }
        return new Policy(text(n, "id", where), text(n, "finding_id", where), text(n, "title",
                where), n.path("jurisdiction").asText(""), strings(n.path("groups")),
                text(n,
                        "citation", where),
                severity(
                        text(n, "severity", where), where),
                remediation(text(n, "remediation", where), where), effective, text(n, "source",
                        where),
                covers);
    }

    private static Map<String, Vulnerability> vulns(JsonNode kevRoot, JsonNode hand,
            RulePacks rules) {
        Map<String, Vulnerability> out = new LinkedHashMap<>();
        String kevSource = "CISA KEV " + kevRoot.path("catalog_version").asText();
        Map<String, JsonNode> kevById = new LinkedHashMap<>();
        for (JsonNode k : kevRoot.path("kev")) {
            kevById.put(text(k, "cve", KnowledgePacks.VULNS_KEV), k);
        }
        Set<String> seen = new HashSet<>();
        for (JsonNode n : hand.path("vulns")) {
            String id = text(n, "id", KnowledgePacks.VULNS);
            String where = KnowledgePacks.VULNS + " " + id;
            if (!seen.add(id)) {
                throw new RulePackException(where + ": duplicate");
            }
            Optional<Vulnerability.Kev> kev = Optional.empty();
            JsonNode k = kevById.get(id);
            if (k != null) {
                kev = Optional.of(new Vulnerability.Kev(date(k, "date_added", where).orElseThrow(),
                        date(k, "due_date", where).orElseThrow(), k.path("ransomware").asText(
                                "Unknown"),
                        kevSource));
            } else if (n.has("kev")) {
                JsonNode h = n.get("kev");
                kev = Optional.of(new Vulnerability.Kev(date(h, "date_added", where).orElseThrow(),
                        date(h, "due_date", where).orElseThrow(), "Unknown", text(h, "source",
                                where)));
            }
            Vulnerability.Decision decision;
            try {
                decision = Vulnerability.Decision.valueOf(text(n, "exposure", where).toUpperCase(
                        Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new RulePackException(where + ": exposure must be version, observation or"
                        + " unknown");
            }
            List<Vulnerability.Affected> affected = new ArrayList<>();
            for (JsonNode a : n.path("affected")) {
                String vendor = text(a, "platform", where);
                if (rules.vendor(vendor).isEmpty()) {
                    throw new RulePackException(where + ": " + vendor
                            + " is not in the closed vendor list (vendors.yaml)");
                }
                Optional<Pattern> model = optional(a, "model").map(m -> pattern(m, where));
                Optional<FirmwareRange> fw = Optional.empty();
                if (a.has("firmware")) {
                    JsonNode f = a.get("firmware");
                    fw = Optional.of(new FirmwareRange(optional(f, "from"), optional(f, "to"),
                            optional(f, "fixed"), date(f, "build_before", where), optional(f,
                                    "regex").map(r -> pattern(r, where))));
                }
                if (decision == Vulnerability.Decision.VERSION && fw.isEmpty()) {
                    throw new RulePackException(where + ": exposure version needs a firmware"
                            + " range for " + vendor);
                }
                affected.add(new Vulnerability.Affected(vendor, model, fw));
            }
            if (affected.isEmpty()) {
                throw new RulePackException(where + ": needs affected devices");
            }
            Optional<Vulnerability.ObservationCheck> check = Optional.empty();
            if (n.has("observation")) {
                JsonNode o = n.get("observation");
                check = Optional.of(new Vulnerability.ObservationCheck(text(o, "protocol", where),
                        text(o, "field", where), text(o, "equals", where), o.path("status")
                                .asText(""),
                        o.path("body_contains").asText("")));
            }
            if (decision == Vulnerability.Decision.OBSERVATION && check.isEmpty()) {
                throw new RulePackException(where + ": exposure observation needs observation");
            }
            Optional<Double> cvss = n.has("cvss")
                    ? Optional.of(n.get("cvss").asDouble())
                    : Optional.empty();
            out.put(id, new Vulnerability(id, text(n, "title", where), affected.get(0).vendor(),
                    kev, cvss, text(n, "citation", where), decision, remediation(text(n,
                            "remediation", where), where),
                    text(n, "source", where), affected, check));
        }
        for (JsonNode k : kevById.values()) {
            String id = k.path("cve").asText();
            if (out.containsKey(id)) {
                continue;
            }
            String where = KnowledgePacks.VULNS_KEV + " " + id;
            Optional<String> vendor = optional(k, "vendor");
            vendor.ifPresent(v -> {
                if (rules.vendor(v).isEmpty()) {
                    throw new RulePackException(where + ": " + v + " is not in vendors.yaml");
                }
            });
            out.put(id, fromKev(id, text(k, "vendor_project", where), text(k, "product", where),
                    k.path("name").asText(""), vendor, new Vulnerability.Kev(date(k,
                            "date_added", where).orElseThrow(), date(k, "due_date", where)
                                    .orElseThrow(),
                            k.path("ransomware").asText("Unknown"), kevSource)));
        }
        return out;
    }

    static Vulnerability fromKev(String cve, String vendorProject, String product, String name,
            Optional<String> vendor, Vulnerability.Kev kev) {
        List<Vulnerability.Affected> affected = vendor.map(v -> List.of(
                new Vulnerability.Affected(v, Optional.empty(), Optional.empty()))).orElse(List
                        .of());
        return new Vulnerability(cve, name.isBlank() ? vendorProject + " " + product : name,
                vendorProject + " " + product, Optional.of(kev), Optional.empty(), "CISA KEV "
                        + cve + " (added " + kev.dateAdded() + ", due " + kev.dueDate() + ")",
                Vulnerability.Decision.UNKNOWN, Finding.Remediation.PATCH, kev.source(),
                affected, Optional.empty());
    }

    private static List<ExposureRule> exposures(JsonNode root) {
        List<ExposureRule> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        List<JsonNode> all = new ArrayList<>();
        root.path("exposures").forEach(all::add);
        root.path("exposures_opt_in").forEach(all::add);
        for (JsonNode n : all) {
            String id = text(n, "id", KnowledgePacks.EXPOSURES);
            String where = KnowledgePacks.EXPOSURES + " " + id;
            if (!ids.add(id)) {
                throw new RulePackException(where + ": duplicate");
            }
            JsonNode w = n.path("when");
            ExposureRule.When when;
            int port = 0;
            String field = "";
            String equals = "";
            if (w.has("port_open")) {
                when = ExposureRule.When.PORT_OPEN;
                port = w.get("port_open").asInt();
            } else if (w.has("field")) {
                when = ExposureRule.When.FIELD;
                field = w.get("field").asText();
                equals = text(w, "equals", where);
            } else if (w.has("onvif_anonymous")) {
                when = ExposureRule.When.ONVIF_ANONYMOUS;
            } else if (w.has("tls_subject")) {
                when = ExposureRule.When.TLS_SUBJECT;
            } else if (w.has("plain_http_login")) {
                when = ExposureRule.When.PLAIN_HTTP_LOGIN;
            } else {
                throw new RulePackException(where + ": unknown when " + w);
            }
            out.add(new ExposureRule(id, text(n, "title", where), severity(text(n, "severity",
                    where), where), remediation(text(n, "remediation", where), where), optional(n,
                            "citation"),
                    text(n, "source", where), when, port, field, equals));
        }
        return out;
    }

    private static List<TlsDefault> tlsDefaults(JsonNode root, RulePacks rules) {
        List<TlsDefault> out = new ArrayList<>();
        for (JsonNode n : root.path("tls_default_subjects")) {
            String where = KnowledgePacks.EXPOSURES + " tls_default_subjects";
            String vendor = text(n, "vendor", where);
            if (rules.vendor(vendor).isEmpty()) {
                throw new RulePackException(where + ": " + vendor + " is not in vendors.yaml");
            }
            out.add(new TlsDefault(text(n, "contains", where), vendor, text(n, "source", where)));
        }
        return out;
    }

    /**
     * The clouds pack: each needs domains; {@code ports} entries are {@code {port: udp/8800,
     * source: "..."}} (the transport only where the facts give it).
     */
    static CloudEndpoints clouds(JsonNode root, RulePacks rules) {
        List<CloudEndpoints.Cloud> out = new ArrayList<>();
        for (JsonNode n : root.path("clouds")) {
            String id = text(n, "id", KnowledgePacks.CLOUDS);
            String where = KnowledgePacks.CLOUDS + " " + id;
            String platform = text(n, "platform", where);
            if (rules.vendor(platform).isEmpty()) {
                throw new RulePackException(where + ": " + platform + " is not in vendors.yaml");
            }
            List<CloudEndpoints.CloudPort> ports = new ArrayList<>();
            for (JsonNode p : n.path("ports")) {
                try {
                    ports.add(CloudEndpoints.CloudPort.parse(text(p, "port", where + " ports"),
                            text(p, "source", where + " ports")));
                } catch (IllegalArgumentException e) {
                    throw new RulePackException(where + " ports: " + e.getMessage());
                }
            }
            List<String> domains = strings(n.path("domains"));
            if (domains.isEmpty()) {
                throw new RulePackException(where + ": needs domains");
            }
            out.add(new CloudEndpoints.Cloud(id, text(n, "title", where), platform, domains,
                    ports, text(n, "source", where)));
        }
        return new CloudEndpoints(out);
    }

    static Finding.Severity severity(String s, String where) {
        try {
            return Finding.Severity.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RulePackException(where + ": severity must be critical, high, medium, low"
                    + " or info");
        }
    }

    static Finding.Remediation remediation(String s, String where) {
        try {
            return Finding.Remediation.valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new RulePackException(where + ": remediation must be replace, isolate, patch,"
                    + " disable-service or monitor");
        }
    }

    private static Pattern pattern(String regex, String where) {
        try {
            return Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            throw new RulePackException(where + ": bad regex " + regex);
        }
    }

    private static Optional<LocalDate> date(JsonNode n, String key, String where) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(v.asText()));
        } catch (DateTimeParseException e) {
            throw new RulePackException(where + ": " + key + " is not a date (YYYY-MM-DD): " + v
                    .asText());
        }
    }

}
