package org.camaudit.rules.findings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * CISA's Known Exploited Vulnerabilities catalog (the JSON feed, schema in shared/data/kev),
 * validated on read, and its camera-vendor entries. The same filter generates
 * {@code vulns/kev-cameras.yaml} and evaluates a newer catalog loaded by {@code update --kev}.
 */
public final class KevCatalog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CVE = Pattern.compile("^CVE-[0-9]{4}-[0-9]{4,19}$");
    /** Product or name words that mean a camera, recorder or surveillance system. */
    private static final Pattern CAMERA_WORDS = Pattern.compile(
            "\\b(ip camera|cameras?|nvr|dvr|network video recorder|video surveillance|surveillance"
                    + "|viostor|nvms|nvrmini2?|ic-7100|dcs-\\d+\\w*)\\b",
            Pattern.CASE_INSENSITIVE);
    /** KEV vendorProject values that are camera makers, to the canonical vendors.yaml name. */
    static final Map<String, String> CAMERA_VENDORS = new LinkedHashMap<>();
    static {
        CAMERA_VENDORS.put("hikvision", "Hikvision");
        CAMERA_VENDORS.put("dahua", "Dahua");
        CAMERA_VENDORS.put("amcrest", "Amcrest");
        CAMERA_VENDORS.put("reolink", "Reolink");
        CAMERA_VENDORS.put("tvt", "TVT");
        CAMERA_VENDORS.put("avtech", "AVTECH");
        CAMERA_VENDORS.put("vivotek", "Vivotek");
        CAMERA_VENDORS.put("axis", "Axis");
        CAMERA_VENDORS.put("xiongmai", "Xiongmai");
        CAMERA_VENDORS.put("uniview", "Uniview");
        CAMERA_VENDORS.put("hanwha", "Hanwha");
        CAMERA_VENDORS.put("milesight", "Milesight");
        CAMERA_VENDORS.put("geovision", "");
        CAMERA_VENDORS.put("nuuo", "");
        CAMERA_VENDORS.put("ptzoptics", "");
    }

    /** One catalog entry (the fields camaudit keeps). */
    public record Entry(String cve, String vendorProject, String product, String name,
            LocalDate dateAdded, LocalDate dueDate, String ransomware, String description) {
        /** The canonical vendor (vendors.yaml) when the KEV vendor is a known camera maker. */
        public Optional<String> vendor() {
            String v = CAMERA_VENDORS.get(vendorProject.toLowerCase(Locale.ROOT).strip());
            return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
        }
    }

    private final String version;
    private final String released;
    private final List<Entry> entries;

    private KevCatalog(String version, String released, List<Entry> entries) {
        this.version = version;
        this.released = released;
        this.entries = List.copyOf(entries);
    }

    /**
     * Reads and validates a catalog: the required top-level fields, a count that matches, and in
     * every entry a well-formed CVE id, vendor, product and ISO dates.
     *
     * @throws IllegalArgumentException with one line saying what is wrong
     */
    public static KevCatalog read(InputStream in) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a KEV catalog: the top level is not an object");
        }
        for (String key : List.of("catalogVersion", "dateReleased", "count", "vulnerabilities")) {
            if (!root.has(key)) {
                throw new IllegalArgumentException("not a KEV catalog: missing " + key);
            }
        }
        JsonNode list = root.get("vulnerabilities");
        if (!list.isArray()) {
            throw new IllegalArgumentException("not a KEV catalog: vulnerabilities is not a list");
        }
        if (root.get("count").asInt(-1) != list.size()) {
            throw new IllegalArgumentException("KEV catalog count " + root.get("count").asText()
                    + " does not match its " + list.size() + " entries");
        }
        List<Entry> out = new ArrayList<>();
        int i = 0;
        for (JsonNode n : list) {
            String where = "vulnerabilities[" + i++ + "]";
            String cve = n.path("cveID").asText("");
            if (!CVE.matcher(cve).matches()) {
                throw new IllegalArgumentException(where + ": bad cveID '" + cve + "'");
            }
            out.add(new Entry(cve, required(n, "vendorProject", where), required(n, "product",
                    where), n.path("vulnerabilityName").asText(""), date(n, "dateAdded", where),
                    date(n, "dueDate", where), n.path("knownRansomwareCampaignUse").asText(
                            "Unknown"),
                    n.path("shortDescription").asText("")));
        }
        return new KevCatalog(root.get("catalogVersion").asText(), root.get("dateReleased")
                .asText(), out);
    }

    private static String required(JsonNode n, String key, String where) {
        String v = n.path(key).asText("");
        if (v.isBlank()) {
            throw new IllegalArgumentException(where + ": missing " + key);
        }
        return v;
    }

    private static LocalDate date(JsonNode n, String key, String where) {
        try {
            return LocalDate.parse(required(n, key, where));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + ": " + key + " is not a date: " + n.path(
                    key).asText());
        }
    }

    public String version() {
        return version;
    }

    public String released() {
        return released;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The entries about cameras and recorders: a camera vendor, or camera words in the product. */
    public List<Entry> cameraEntries() {
        return entries.stream().filter(KevCatalog::isCamera).toList();
    }

    static boolean isCamera(Entry e) {
        if (CAMERA_VENDORS.containsKey(e.vendorProject().toLowerCase(Locale.ROOT).strip())) {
            return true;
        }
        return CAMERA_WORDS.matcher(e.product()).find() || CAMERA_WORDS.matcher(e.name()).find();
    }

    /** The YAML of {@code vulns/kev-cameras.yaml} for these camera entries (the generator). */
    public String cameraPackYaml() {
        StringBuilder b = new StringBuilder();
        b.append("# GENERATED by KevCatalog.cameraPackYaml() from the CISA KEV catalog ").append(
                version).append(" (CC0),\n");
        b.append("# knowledge/data/kev/. Do not edit: run KevPackTest with"
                + " -Dcamaudit.regenerate=true.\n");
        b.append("# Camera entries: a camera vendor (KevCatalog.CAMERA_VENDORS) or camera words in"
                + " the product.\n");
        b.append("catalog_version: \"").append(version).append("\"\n");
        b.append("source: \"CISA Known Exploited Vulnerabilities catalog ").append(version)
                .append(", https://www.cisa.gov/known-exploited-vulnerabilities-catalog\"\n");
        b.append("kev:\n");
        for (Entry e : cameraEntries()) {
            b.append("  - {cve: ").append(e.cve()).append(", vendor_project: ").append(q(e
                    .vendorProject())).append(", product: ").append(q(e.product()));
            e.vendor().ifPresent(v -> b.append(", vendor: ").append(q(v)));
            b.append(",\n     name: ").append(q(e.name())).append(", date_added: ").append(e
                    .dateAdded()).append(", due_date: ").append(e.dueDate()).append(
                            ", ransomware: ")
                    .append(q(e.ransomware())).append("}\n");
        }
        return b.toString();
    }

    private static String q(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
