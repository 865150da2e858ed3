package org.camaudit.report;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.camaudit.model.Finding;
import org.camaudit.model.Identification;
import org.camaudit.model.Scan;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.OrganizationalEntity;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.metadata.ToolInformation;
import org.cyclonedx.model.vulnerability.Vulnerability;

/**
 * The CycloneDX 1.6 JSON inventory, built with the official library: each device a {@code device}
 * component (manufacturer = platform maker, supplier = brand, name = model, version = firmware, CPE
 * when vendor and model are known), each finding id a vulnerability that affects the devices it
 * was found on.
 */
final class CycloneDxReport {
    static final Version VERSION = Version.VERSION_16;
    static final String NS = "camaudit:";

    private CycloneDxReport() {
    }

    static String json(Inventory inv) {
        Bom bom = new Bom();
        Scan scan = inv.data.scan();
        bom.setSerialNumber("urn:uuid:" + UUID.nameUUIDFromBytes(("camaudit-report:" + scan.id()
                + ":" + scan.started() + ":" + inv.data.generated()).getBytes(
                        StandardCharsets.UTF_8)));
        bom.setMetadata(metadata(inv, scan));

        List<Component> components = new ArrayList<>();
        Map<String, String> refs = new LinkedHashMap<>();
        Set<String> used = new HashSet<>();
        for (Inventory.Device d : inv.devices) {
            String ref = "device:" + d.id().deviceKey();
            for (int n = 2; !used.add(ref); n++) {
                ref = "device:" + d.id().deviceKey() + "#" + n;
            }
            refs.put(d.id().deviceKey(), ref);
            components.add(component(d, ref));
        }
        bom.setComponents(components);
        bom.setVulnerabilities(vulnerabilities(inv, refs));
        try {
            return BomGeneratorFactory.createJson(VERSION, bom).toJsonString();
        } catch (GeneratorException e) {
            throw new IllegalStateException("cannot write the CycloneDX document", e);
        }
    }

    private static Metadata metadata(Inventory inv, Scan scan) {
        Metadata m = new Metadata();
        m.setTimestamp(Date.from(inv.data.generated()));
        Component tool = new Component();
        tool.setType(Component.Type.APPLICATION);
        tool.setName("camaudit");
        tool.setVersion(inv.data.toolVersion());
        ToolInformation tools = new ToolInformation();
        tools.setComponents(List.of(tool));
        m.setToolChoice(tools);
        List<Property> props = new ArrayList<>();
        props.add(new Property(NS + "scan_id", Long.toString(scan.id())));
        props.add(new Property(NS + "scan_kind", scan.kind()));
        props.add(new Property(NS + "scan_status", scan.status()));
        props.add(new Property(NS + "scan_started", scan.started().toString()));
        scan.finished().ifPresent(f -> props.add(new Property(NS + "scan_finished", f
                .toString())));
        props.add(new Property(NS + "authorized_by", scan.authorizedBy()));
        props.add(new Property(NS + "scope", scan.scope()));
        m.setProperties(props);
        return m;
    }

    private static Component component(Inventory.Device d, String ref) {
        Identification i = d.id();
        Component c = new Component();
        c.setType(Component.Type.DEVICE);
        c.setBomRef(ref);
        c.setName(i.model().orElseGet(() -> i.isUnknown()
                ? "unidentified device at " + i.address()
                : i.brand().or(i::platform).orElse("") + " " + i.type().orElse("device")));
        i.firmware().ifPresent(c::setVersion);
        c.setDescription(i.address() + " \u2014 " + HtmlReport.describe(i));
        i.platform().or(i::brand).ifPresent(p -> c.setManufacturer(entity(p)));
        i.brand().ifPresent(b -> c.setSupplier(entity(b)));
        cpe(i).ifPresent(c::setCpe);
        List<Property> props = new ArrayList<>();
        props.add(new Property(NS + "address", i.address()));
        i.mac().ifPresent(v -> props.add(new Property(NS + "mac", v)));
        i.brand().ifPresent(v -> props.add(new Property(NS + "brand", v)));
        i.platform().ifPresent(v -> props.add(new Property(NS + "platform", v)));
        i.type().ifPresent(v -> props.add(new Property(NS + "device_type", v)));
        props.add(new Property(NS + "confidence", String.format(Locale.ROOT, "%.2f", i
                .confidence())));
        props.add(new Property(NS + "oem_rebrand", Boolean.toString(i.oemRebrand())));
        if (!d.services().tcpPorts().isEmpty()) {
            props.add(new Property(NS + "open_tcp_ports", String.join(",", d.services().tcpPorts()
                    .stream().map(String::valueOf).toList())));
        }
        if (!d.services().protocols().isEmpty()) {
            props.add(new Property(NS + "protocols", String.join(",", d.services().protocols())));
        }
        c.setProperties(props);
        return c;
    }

    private static OrganizationalEntity entity(String name) {
        OrganizationalEntity e = new OrganizationalEntity();
        e.setName(name);
        return e;
    }

    /**
     * A CPE 2.3 hardware name when vendor (the brand whose model name it is, else the platform
     * maker) and model are both known: {@code cpe:2.3:h:hikvision:ds-2cd2143g0-i:-:*:*:*:*:*:*:*}.
     */
    static Optional<String> cpe(Identification i) {
        Optional<String> vendor = i.brand().or(i::platform).map(CycloneDxReport::cpePart).filter(
                v -> !v.isEmpty());
        Optional<String> product = i.model().map(CycloneDxReport::cpePart).filter(v -> !v
                .isEmpty());
        if (vendor.isEmpty() || product.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("cpe:2.3:h:" + vendor.get() + ":" + product.get()
                + ":-:*:*:*:*:*:*:*");
    }

    private static final String CPE_QUOTED = "\\*?!\"#$%&'()+,/:;<=>@[]^`{|}~";

    /** One CPE component: lower case, blanks to underscores, punctuation escaped, the rest dropped. */
    static String cpePart(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.strip().toLowerCase(Locale.ROOT).toCharArray()) {
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
                sb.append(c);
            } else if (c == ' ') {
                sb.append('_');
            } else if (CPE_QUOTED.indexOf(c) >= 0) {
                sb.append('\\').append(c);
            }
        }
        String out = sb.toString();
        // a lone "-" or "*" would mean "not applicable" or "any", not this model
        return out.equals("-") ? "" : out;
    }

    private static List<Vulnerability> vulnerabilities(Inventory inv, Map<String, String> refs) {
        Map<String, List<Finding>> byId = new LinkedHashMap<>();
        Map<String, String> deviceOf = new LinkedHashMap<>();
        for (Inventory.Device d : inv.devices) {
            for (Finding f : d.findings()) {
                byId.computeIfAbsent(f.id(), k -> new ArrayList<>()).add(f);
                deviceOf.put(f.id() + "\u0000" + f.deviceKey() + "\u0000" + f.address(), refs.get(d
                        .id().deviceKey()));
            }
        }
        List<Map.Entry<String, List<Finding>>> entries = new ArrayList<>(byId.entrySet());
        entries.sort(Map.Entry.comparingByKey());
        entries.sort((a, b) -> worst(a.getValue()).compareTo(worst(b.getValue())));
        List<Vulnerability> out = new ArrayList<>();
        for (Map.Entry<String, List<Finding>> e : entries) {
            Finding first = e.getValue().get(0);
            Finding.Severity severity = worst(e.getValue());
            boolean cve = first.id().toUpperCase(Locale.ROOT).startsWith("CVE-");
            Vulnerability v = new Vulnerability();
            v.setBomRef("finding:" + first.id());
            v.setId(first.id());
            v.setSource(source(cve ? "NVD" : "camaudit"));
            if (cve && isKev(e.getValue())) {
                Vulnerability.Reference kev = new Vulnerability.Reference();
                kev.setId(first.id());
                kev.setSource(source("CISA KEV"));
                v.setReferences(List.of(kev));
            }
            Vulnerability.Rating rating = new Vulnerability.Rating();
            rating.setSource(source("camaudit"));
            rating.setSeverity(switch (severity) {
                case CRITICAL -> Vulnerability.Rating.Severity.CRITICAL;
                case HIGH -> Vulnerability.Rating.Severity.HIGH;
                case MEDIUM -> Vulnerability.Rating.Severity.MEDIUM;
                case LOW -> Vulnerability.Rating.Severity.LOW;
                case INFO -> Vulnerability.Rating.Severity.INFO;
            });
            rating.setMethod(Vulnerability.Rating.Method.OTHER);
            rating.setJustification("camaudit severity scale: " + severity.label());
            v.setRatings(List.of(rating));
            v.setDescription(first.title());
            StringBuilder detail = new StringBuilder(first.kind().label());
            first.citation().ifPresent(c -> detail.append("; citation: ").append(c));
            if (!first.evidence().isEmpty()) {
                detail.append("; evidence: ").append(String.join("; ", first.evidence()));
            }
            v.setDetail(detail.toString());
            v.setRecommendation(first.remediation().label() + ": " + Inventory.remediation(first
                    .remediation()));
            List<Vulnerability.Affect> affects = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (Finding f : e.getValue()) {
                String ref = deviceOf.get(f.id() + "\u0000" + f.deviceKey() + "\u0000" + f
                        .address());
                if (ref != null && seen.add(ref)) {
                    Vulnerability.Affect a = new Vulnerability.Affect();
                    a.setRef(ref);
                    affects.add(a);
                }
            }
            v.setAffects(affects);
            List<Property> props = new ArrayList<>();
            props.add(new Property(NS + "kind", first.kind().label()));
            props.add(new Property(NS + "remediation", first.remediation().label()));
            first.citation().ifPresent(c -> props.add(new Property(NS + "citation", c)));
            v.setProperties(props);
            out.add(v);
        }
        return out;
    }

    private static Finding.Severity worst(List<Finding> fs) {
        return fs.stream().map(Finding::severity).min(Enum::compareTo).orElseThrow();
    }

    private static boolean isKev(List<Finding> fs) {
        for (Finding f : fs) {
            if (f.citation().map(c -> c.toUpperCase(Locale.ROOT).contains("KEV")).orElse(false)
                    || f.details().keySet().stream().anyMatch(k -> k.toLowerCase(Locale.ROOT)
                            .contains("kev"))) {
                return true;
            }
        }
        return false;
    }

    private static Vulnerability.Source source(String name) {
        Vulnerability.Source s = new Vulnerability.Source();
        s.setName(name);
        return s;
    }
}
