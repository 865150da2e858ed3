package org.camaudit.rules.findings;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.camaudit.model.Evidence;
import org.camaudit.model.Fields;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.model.Observation;
import org.camaudit.rules.RulePacks;
import org.camaudit.rules.Vendor;

/**
 * Identifications and observations in, findings out. Thread-safe and reusable.
 *
 * <p>Severity (one scale, {@link Finding.Severity}):
 * <ul>
 * <li>policy: the policy's own severity (NDAA §889 and FCC Covered List critical, UK 2022 and
 * Australia 2023 high, Entity List medium);</li>
 * <li>vulnerability exposed (by version or by observation): critical when in CISA KEV, high when
 * CVSS is 7 or more (or unknown), else medium;</li>
 * <li>vulnerability unknown (firmware or model not visible, or no affected range in the pack):
 * medium when in KEV, else low; never reported as exposed;</li>
 * <li>exposure: the exposure rule's severity.</li>
 * </ul>
 * Only devices identified as something (a brand or a platform maker) are evaluated.
 */
public final class FindingEngine {
    private final FindingPacks packs;
    private final List<Policy> policies;
    private final LocalDate today;

    /**
     * @param policyIds the policies that apply: ids, finding ids or group names
     *     ({@code us-federal}, {@code texas}); empty means every policy of the packs
     * @param today the date policies are judged at: a policy or entry not yet in force on it
     *     gives no finding
     * @throws IllegalArgumentException naming an unknown policy id or group
     */
    public FindingEngine(FindingPacks packs, Collection<String> policyIds, LocalDate today) {
        this.packs = packs;
        this.today = today;
        this.policies = select(packs, policyIds);
    }

    /** The policies a selection names, in the order named, each once. */
    static List<Policy> select(FindingPacks packs, Collection<String> words) {
        if (words.isEmpty()) {
            return List.copyOf(packs.policies().values());
        }
        List<Policy> chosen = new ArrayList<>();
        for (String word : words) {
            String key = word.strip();
            List<Policy> named = packs.policies().values().stream().filter(x -> x.id()
                    .equalsIgnoreCase(key) || x.findingId().equalsIgnoreCase(key)).toList();
            if (named.isEmpty()) {
                named = packs.policies().values().stream().filter(x -> x.selectedBy(key))
                        .toList();
            }
            if (named.isEmpty()) {
                throw new IllegalArgumentException("unknown policy '" + key + "' (policies: "
                        + String.join(", ", packs.policies().keySet()) + "; groups: " + String
                                .join(", ", groups(packs))
                        + ")");
            }
            named.stream().filter(p -> !chosen.contains(p)).forEach(chosen::add);
        }
        return List.copyOf(chosen);
    }

    /** Every group name of the packs' policies, sorted. */
    public static List<String> groups(FindingPacks packs) {
        return packs.policies().values().stream().flatMap(p -> p.groups().stream()).distinct()
                .sorted().toList();
    }

    /** The date policies are judged at. */
    public LocalDate today() {
        return today;
    }

    /** Every shipped policy, today. */
    public static FindingEngine shipped() {
        return new FindingEngine(FindingPacks.shipped(), List.of(), LocalDate.now());
    }

    public List<Policy> policies() {
        return policies;
    }

    public FindingPacks packs() {
        return packs;
    }

    /**
     * Evaluates every identified device of a scan; observations are matched to devices by MAC,
     * else by address. Findings come out grouped by device in the identifications' order.
     */
    public List<Finding> evaluate(List<Identification> devices,
            Collection<Observation> observations) {
        Map<String, String> keyByMac = new HashMap<>();
        Map<String, String> keyByAddress = new HashMap<>();
        for (Identification i : devices) {
            i.mac().ifPresent(m -> keyByMac.put(m, i.deviceKey()));
            keyByAddress.putIfAbsent(i.address(), i.deviceKey());
        }
        Map<String, List<Observation>> byKey = new HashMap<>();
        for (Observation o : observations) {
            String key = o.mac().map(keyByMac::get).orElse(null);
            if (key == null) {
                key = keyByAddress.get(o.address());
            }
            if (key != null) {
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(o);
            }
        }
        List<Finding> out = new ArrayList<>();
        for (Identification i : devices) {
            out.addAll(evaluate(i, byKey.getOrDefault(i.deviceKey(), List.of())));
        }
        return List.copyOf(out);
    }

    /** Findings of one device: policies, then vulnerabilities, then exposures. */
    public List<Finding> evaluate(Identification device, List<Observation> observations) {
        if (device.isUnknown() || outsideTheAudit(device)) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>();
        for (Policy p : policies) {
            policyFinding(p, device).ifPresent(out::add);
        }
        for (Vulnerability v : packs.vulnerabilities().values()) {
            vulnFinding(v, device, observations).ifPresent(out::add);
        }
        for (ExposureRule r : packs.exposures()) {
            exposureFinding(r, device, observations).ifPresent(out::add);
        }
        return List.copyOf(out);
    }

    /**
     * A device named only by its MAC registrant, a company outside the closed vendor list (a
     * printer's, a laptop's maker): inventoried with that maker, but no evidence says it is
     * surveillance equipment, so it is not evaluated (as before the registrant named it).
     */
    private boolean outsideTheAudit(Identification device) {
        return device.makerByMac() && device.brand().or(device::platform).flatMap(m -> packs
                .rules().vendor(m)).isEmpty();
    }

    /** The policy findings of one device (for a bill of materials: brand, platform, model). */
    public List<Finding> policyFindings(Identification device) {
        List<Finding> out = new ArrayList<>();
        for (Policy p : policies) {
            policyFinding(p, device).ifPresent(out::add);
        }
        return out;
    }

    /**
     * Known vulnerabilities of a model line: those whose affected vendor is one of these and
     * whose model pattern (if any) matches the model (an unknown model matches every pattern).
     */
    public List<Vulnerability> vulnerabilitiesOf(Collection<String> vendors,
            Optional<String> model) {
        List<Vulnerability> out = new ArrayList<>();
        for (Vulnerability v : packs.vulnerabilities().values()) {
            for (Vulnerability.Affected a : v.affected()) {
                if (vendors.contains(a.vendor()) && (a.model().isEmpty() || model.isEmpty() || a
                        .model().get().matcher(model.get()).find())) {
                    out.add(v);
                    break;
                }
            }
        }
        return out;
    }

    // ---- policies ----

    private Optional<Finding> policyFinding(Policy p, Identification d) {
        RulePacks rules = packs.rules();
        for (Policy.Cover c : p.covers()) {
            LocalDate inForce = p.inForce(c);
            if (inForce.isAfter(today)) {
                continue;
            }
            if (!c.types().isEmpty() && d.type().isPresent() && !c.types().contains(d.type()
                    .get())) {
                continue;
            }
            Optional<String> matched = Optional.empty();
            Optional<String> listed = Optional.empty();
            if (!c.vendors().isEmpty()) {
                for (String named : c.vendors()) {
                    Set<String> covered = coveredVendors(List.of(named));
                    matched = d.platform().filter(covered::contains).or(() -> d.brand().filter(
                            covered::contains));
                    if (matched.isPresent()) {
                        listed = Optional.of(named);
                        break;
                    }
                }
            } else if (!c.countries().isEmpty()) {
                matched = maker(d).filter(v -> rules.vendor(v).map(Vendor::country).filter(c
                        .countries()::contains).isPresent());
            } else if (!c.countriesExcept().isEmpty()) {
                // "every foreign-made X" needs a known type; an unknown type is not assumed
                if (d.type().isPresent()) {
                    matched = maker(d).filter(v -> rules.vendor(v).map(Vendor::country).filter(
                            k -> !c.countriesExcept().contains(k)).isPresent());
                }
            }
            if (matched.isEmpty()) {
                continue;
            }
            String vendor = matched.get();
            String entity = listed.orElse(vendor);
            Optional<String> legal = listed.flatMap(rules::vendor).map(Vendor::legalName);
            String entry = c.entry().or(() -> legal).orElse(c.vendors().isEmpty()
                    ? describeCountries(c)
                    : entity);
            String citation = c.citation().map(x -> p.citation() + "; " + x).orElse(p
                    .citation());
            List<String> evidence = new ArrayList<>();
            evidence.add("policy " + p.id() + ": " + (c.note().isBlank() ? p.title() : c.note()));
            evidence.add(describe(d) + " matched " + vendor + (vendor.equals(entity)
                    ? ""
                    : " (" + relation(vendor, entity) + ")"));
            evidence.add("entry: " + entry + ", in force since " + inForce);
            evidence.addAll(identityEvidence(d));
            Map<String, String> details = new LinkedHashMap<>();
            details.put("policy", p.id());
            details.put("list", p.title());
            details.put("jurisdiction", p.jurisdiction());
            details.put("matched_vendor", vendor);
            details.put("listed_entity", entity);
            details.put("entry", entry);
            if (!vendor.equals(entity)) {
                details.put("relation", relation(vendor, entity));
            }
            details.put("effective", p.firstEffective().toString());
            details.put("since", inForce.toString());
            c.since().ifPresent(s -> details.put("listed_since", s.toString()));
            details.put("judged_at", today.toString());
            details.put("source", p.source());
            return Optional.of(new Finding(p.findingId(), Finding.Kind.POLICY, p.severity(), d
                    .deviceKey(), d.address(), p.title() + " (" + describe(d) + ")", evidence,
                    Optional.of(citation), p.remediation(), details));
        }
        return Optional.empty();
    }

    private static String describeCountries(Policy.Cover c) {
        return c.countries().isEmpty()
                ? "any maker outside " + String.join(", ", c.countriesExcept())
                : "any maker based in " + String.join(", ", c.countries());
    }

    /**
     * How a vendor hangs under a listed entity: "EZVIZ is a subsidiary of Hikvision", following
     * parents, subsidiaries and affiliates in vendors.yaml.
     */
    String relation(String vendor, String entity) {
        RulePacks rules = packs.rules();
        List<String> chain = new ArrayList<>();
        String at = vendor;
        Set<String> seen = new LinkedHashSet<>();
        while (!at.equals(entity) && seen.add(at)) {
            String here = at;
            Optional<String> up = rules.vendor(here).flatMap(Vendor::parent);
            String kind = "subsidiary";
            if (up.isEmpty()) {
                up = rules.vendors().values().stream().filter(x -> x.subsidiaries().contains(
                        here)).map(Vendor::name).findFirst();
            }
            if (up.isEmpty()) {
                kind = "affiliate";
                up = rules.vendors().values().stream().filter(x -> x.affiliates().contains(
                        here)).map(Vendor::name).findFirst();
            }
            if (up.isEmpty()) {
                break;
            }
            chain.add(here + " is " + (kind.equals("affiliate") ? "an " : "a ") + kind + " of "
                    + up.get());
            at = up.get();
        }
        return chain.isEmpty()
                ? vendor + " is covered through " + entity
                : String.join("; ",
                        chain);
    }

    private static Optional<String> maker(Identification d) {
        return d.platform().or(d::brand);
    }

    /** The vendors named plus, transitively, their subsidiaries, affiliates and descendants. */
    Set<String> coveredVendors(List<String> named) {
        RulePacks rules = packs.rules();
        Set<String> out = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(named);
        while (!todo.isEmpty()) {
            String v = todo.remove(todo.size() - 1);
            if (!out.add(v)) {
                continue;
            }
            rules.vendor(v).ifPresent(x -> {
                todo.addAll(x.subsidiaries());
                todo.addAll(x.affiliates());
            });
            for (Vendor x : rules.vendors().values()) {
                if (x.parent().filter(v::equals).isPresent()) {
                    todo.add(x.name());
                }
            }
        }
        return out;
    }

    // ---- vulnerabilities ----

    private enum Status {
        EXPOSED, UNKNOWN
    }

    private Optional<Finding> vulnFinding(Vulnerability v, Identification d,
            List<Observation> observations) {
        List<Vulnerability.Affected> matching = v.affected().stream().filter(a -> d.platform()
                .filter(a.vendor()::equals).isPresent()
                || d.brand().filter(a.vendor()::equals)
                        .isPresent())
                .toList();
        if (matching.isEmpty()) {
            return Optional.empty();
        }
        List<String> evidence = new ArrayList<>();
        Status status = null;
        String why = "";
        switch (v.decision()) {
            case UNKNOWN -> {
                status = Status.UNKNOWN;
                why = "unknown — affected versions not in the pack; check the vendor advisory";
            }
            case OBSERVATION -> {
                Vulnerability.ObservationCheck check = v.observation().orElseThrow();
                for (Observation o : observations) {
                    if (proves(check, o)) {
                        status = Status.EXPOSED;
                        why = "observed: " + check.field() + "=" + check.equals() + " answered "
                                + o.field(Fields.HTTP_STATUS).orElse("") + " on port " + o
                                        .port();
                        evidence.add("observation " + o.protocol() + " " + o.address() + ":" + o
                                .port() + " " + check.field() + "=" + check.equals());
                        break;
                    }
                }
            }
            case VERSION -> {
                for (Vulnerability.Affected a : matching) {
                    if (a.model().isPresent()) {
                        if (d.model().isEmpty()) {
                            status = Status.UNKNOWN;
                            why = "unknown — model not visible";
                            continue;
                        }
                        if (!a.model().get().matcher(d.model().get()).find()) {
                            continue;
                        }
                    }
                    if (d.firmware().isEmpty()) {
                        status = Status.UNKNOWN;
                        why = "unknown — firmware not visible";
                        continue;
                    }
                    FirmwareRange range = a.firmware().orElseThrow();
                    if (range.buildBefore().isPresent() && FirmwareRange.buildDate(d.firmware()
                            .get()).isEmpty()) {
                        status = Status.UNKNOWN;
                        why = "unknown — build date not visible (firmware " + d.firmware().get()
                                + ")";
                        continue;
                    }
                    if (range.contains(d.firmware().get())) {
                        status = Status.EXPOSED;
                        why = "firmware " + d.firmware().get() + " is in the affected range"
                                + a.model().map(m -> " for models " + m.pattern()).orElse("");
                        evidence.add("version: " + a.vendor() + " firmware " + d.firmware().get()
                                + " in " + describe(a.firmware().get()));
                        break;
                    }
                }
            }
        }
        if (status == null) {
            return Optional.empty();
        }
        evidence.add(0, "vuln " + v.id() + " (" + v.decision().name().toLowerCase(Locale.ROOT)
                + "): " + why);
        evidence.addAll(identityEvidence(d));
        Finding.Severity severity;
        if (status == Status.EXPOSED) {
            severity = v.inKev()
                    ? Finding.Severity.CRITICAL
                    : v.cvss().orElse(10.0) >= 7 ? Finding.Severity.HIGH : Finding.Severity.MEDIUM;
        } else {
            severity = v.inKev() ? Finding.Severity.MEDIUM : Finding.Severity.LOW;
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("status", status == Status.EXPOSED ? "exposed" : why);
        details.put("decided_by", v.decision().name().toLowerCase(Locale.ROOT));
        v.kev().ifPresent(k -> {
            details.put("kev_date_added", k.dateAdded().toString());
            details.put("kev_due_date", k.dueDate().toString());
            details.put("kev_ransomware", k.ransomware());
        });
        v.cvss().ifPresent(c -> details.put("cvss", Double.toString(c)));
        d.firmware().ifPresent(f -> details.put("firmware", f));
        details.put("source", v.source());
        String title = v.title() + (status == Status.UNKNOWN ? " — " + why : "");
        return Optional.of(new Finding(v.id(), Finding.Kind.VULNERABILITY, severity, d
                .deviceKey(), d.address(), title, evidence, Optional.of(v.citation()),
                v
                        .remediation(),
                details));
    }

    private static boolean proves(Vulnerability.ObservationCheck c, Observation o) {
        if (!o.protocol().equals(c.protocol()) || o.isError()) {
            return false;
        }
        if (!o.field(c.field()).filter(c.equals()::equals).isPresent()) {
            return false;
        }
        if (!c.status().isEmpty() && !o.field(Fields.HTTP_STATUS).filter(c.status()::equals)
                .isPresent()) {
            return false;
        }
        return c.bodyContains().isEmpty() || o.field(Fields.HTTP_BODY).orElse("").contains(c
                .bodyContains()) || o.raw().contains(c.bodyContains());
    }

    private static String describe(FirmwareRange r) {
        List<String> parts = new ArrayList<>();
        r.from().ifPresent(x -> parts.add("from " + x));
        r.to().ifPresent(x -> parts.add("to " + x));
        r.fixed().ifPresent(x -> parts.add("fixed in " + x));
        r.buildBefore().ifPresent(x -> parts.add("built before " + x));
        r.regex().ifPresent(x -> parts.add("matching " + x.pattern()));
        return String.join(", ", parts);
    }

    // ---- exposures ----

    private Optional<Finding> exposureFinding(ExposureRule r, Identification d,
            List<Observation> observations) {
        for (Observation o : observations) {
            Optional<String> fact = shows(r, o);
            if (fact.isPresent()) {
                List<String> evidence = new ArrayList<>();
                evidence.add("exposure " + r.id() + ": " + fact.get());
                evidence.add("observation " + o.protocol() + " " + o.address() + (o.port() > 0
                        ? ":" + o.port()
                        : "") + " at " + o.time());
                Map<String, String> details = new LinkedHashMap<>();
                if (o.port() > 0) {
                    details.put("port", Integer.toString(o.port()));
                }
                details.put("source", r.source());
                return Optional.of(new Finding(r.id(), Finding.Kind.EXPOSURE, r.severity(), d
                        .deviceKey(), d.address(), r.title(), evidence, r.citation(),
                        r
                                .remediation(),
                        details));
            }
        }
        return Optional.empty();
    }

    private Optional<String> shows(ExposureRule r, Observation o) {
        switch (r.when()) {
            case PORT_OPEN -> {
                if (o.protocol().equals("tcp") && o.port() == r.port() && o.field(Fields.STATE)
                        .filter("open"::equals).isPresent()) {
                    return Optional.of("tcp/" + r.port() + " open (connect only, nothing sent)");
                }
            }
            case FIELD -> {
                if (o.field(r.field()).filter(v -> v.equalsIgnoreCase(r.equals())).isPresent()) {
                    return Optional.of(r.field() + "=" + o.field(r.field()).get());
                }
            }
            case ONVIF_ANONYMOUS -> {
                if (o.protocol().equals("onvif") && !o.isError() && o.field(Fields.ONVIF_FAULT)
                        .isEmpty()
                        && o.field(Fields.HTTP_STATUS).filter(s -> !s.equals("200"))
                                .isEmpty()
                        && (o.field(Fields.ONVIF_MANUFACTURER).isPresent() || o.field(
                                Fields.ONVIF_MODEL).isPresent())) {
                    return Optional.of("GetDeviceInformation without credentials gave "
                            + Fields.ONVIF_MANUFACTURER + "=" + o.field(Fields.ONVIF_MANUFACTURER)
                                    .orElse("")
                            + " " + Fields.ONVIF_MODEL + "=" + o.field(Fields.ONVIF_MODEL).orElse(
                                    ""));
                }
            }
            case TLS_SUBJECT -> {
                Optional<String> subject = o.field(Fields.TLS_SUBJECT);
                if (subject.isPresent()) {
                    for (FindingPacks.TlsDefault t : packs.tlsDefaults()) {
                        if (subject.get().contains(t.contains())) {
                            return Optional.of("tls.subject=" + subject.get() + " is the "
                                    + t.vendor() + " default");
                        }
                    }
                }
            }
            case PLAIN_HTTP_LOGIN -> {
                if (!o.protocol().equals("http") || o.isError()) {
                    return Optional.empty();
                }
                String status = o.field(Fields.HTTP_STATUS).orElse("");
                String auth = o.field(Fields.HTTP_WWW_AUTHENTICATE).orElse("").toLowerCase(
                        Locale.ROOT);
                if (status.equals("401") && (auth.startsWith("basic") || auth.startsWith(
                        "digest"))) {
                    return Optional.of("HTTP " + status + " " + auth.split(" ")[0]
                            + " login on plain http, path " + o.field(Fields.HTTP_PATH).orElse(
                                    "/"));
                }
                String body = (o.field(Fields.HTTP_BODY).orElse("") + " " + o.raw()).toLowerCase(
                        Locale.ROOT).replace("'", "\"");
                if (status.equals("200") && (body.contains("type=\"password\"") || body.contains(
                        "type=password"))) {
                    return Optional.of("password form on plain http, path " + o.field(
                            Fields.HTTP_PATH).orElse("/"));
                }
            }
        }
        return Optional.empty();
    }

    // ---- shared ----

    private static String describe(Identification d) {
        StringBuilder b = new StringBuilder();
        b.append(d.brand().orElse("?"));
        d.platform().filter(p -> !p.equals(d.brand().orElse(""))).ifPresent(p -> b.append(
                " on ").append(p).append(" platform"));
        d.model().ifPresent(m -> b.append(' ').append(m));
        return b.toString();
    }

    private static List<String> identityEvidence(Identification d) {
        List<String> out = new ArrayList<>();
        for (Evidence e : d.evidence()) {
            if (out.size() == 3) {
                break;
            }
            out.add("rule " + e.ruleId() + ": " + e.field() + " → " + e.said());
        }
        return out;
    }
}
