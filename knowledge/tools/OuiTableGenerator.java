import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Generates knowledge/src/main/resources/org/camaudit/knowledge/oui/oui.tsv from the IEEE registry
 * as Debian ships it: ieee-data (/usr/share/ieee-data/oui.csv, mam.csv, oui36.csv) and Wireshark's
 * manuf (/usr/share/wireshark/manuf, libwireshark-data), which adds assignments made after the
 * ieee-data snapshot. Every MA-L, MA-M (28-bit) and MA-S (36-bit) row is kept; the IEEE name is
 * preferred where both sources have a row. The last column names the canonical vendor (vendors.yaml)
 * for camera makers and covered vendors, matched by registrant name below.
 *
 * <pre>
 * apt-get install -y ieee-data libwireshark-data
 * java knowledge/tools/OuiTableGenerator.java [ieee-data dir] [manuf file] [output]
 * </pre>
 */
public final class OuiTableGenerator {
    /** Registrant-name patterns (case-insensitive) to canonical vendor names, first match wins. */
    static final Map<String, String> VENDORS = new LinkedHashMap<>();
    static {
        VENDORS.put("ezviz", "EZVIZ");
        VENDORS.put("hikrobot", "Hikrobot");
        VENDORS.put("hikvision", "Hikvision");
        VENDORS.put("^(zhejiang )?dahua technology", "Dahua");
        VENDORS.put("zhejiang uniview", "Uniview");
        VENDORS.put("hytera", "Hytera");
        VENDORS.put("tiandy", "Tiandy");
        VENDORS.put("huawei", "Huawei");
        VENDORS.put("^zte corporation|^zte ", "ZTE");
        VENDORS.put("axis communications", "Axis");
        VENDORS.put("samsung techwin|hanwha (techwin|vision|nxmd)", "Hanwha");
        VENDORS.put("bosch security", "Bosch");
        VENDORS.put("reolink", "Reolink");
        VENDORS.put("tp-link|tp link", "TP-Link");
        VENDORS.put("amcrest", "Amcrest");
        VENDORS.put("lorex", "Lorex");
        VENDORS.put("swann comm", "Swann");
        VENDORS.put("vivotek", "Vivotek");
        VENDORS.put("milesight", "Milesight");
        VENDORS.put("avigilon", "Avigilon");
        VENDORS.put("honeywell", "Honeywell");
        VENDORS.put("panasonic", "Panasonic");
        VENDORS.put("raysharp", "Raysharp");
        VENDORS.put("^tvt co", "TVT");
        VENDORS.put("jovision", "Jovision");
        VENDORS.put("sunell", "Sunell");
        VENDORS.put("hanbang", "Hanbang");
        VENDORS.put("^cp plus", "CP PLUS");
        VENDORS.put("aditya infotech", "CP PLUS");
        VENDORS.put("tuya smart", "Tuya");
        VENDORS.put("wyze labs", "Wyze");
        VENDORS.put("mobotix", "Mobotix");
        VENDORS.put("^idis co", "IDIS");
        VENDORS.put("suzhou keda", "Kedacom");
        VENDORS.put("kuangshi", "Megvii");
        VENDORS.put("sensetime", "SenseTime");
        VENDORS.put("yitu tech", "Yitu");
        VENDORS.put("iflytek", "iFlytek");
    }

    record Row(String prefix, String registry, String organization) {
    }

    public static void main(String[] args) throws IOException {
        Path ieee = Path.of(args.length > 0 ? args[0] : "/usr/share/ieee-data");
        Path manuf = Path.of(args.length > 1 ? args[1] : "/usr/share/wireshark/manuf");
        Path out = Path.of(args.length > 2
                ? args[2]
                : "knowledge/src/main/resources/org/camaudit/knowledge/oui/oui.tsv");
        TreeMap<String, Row> rows = new TreeMap<>();
        int fromManuf = 0;
        for (String line : Files.readAllLines(manuf, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split("\t");
            String[] pfx = cells[0].split("/");
            String hex = pfx[0].replace(":", "").replace("-", "").toUpperCase(Locale.ROOT);
            int bits = pfx.length > 1 ? Integer.parseInt(pfx[1].strip()) : 24;
            String registry = switch (bits) {
                case 24 -> "MA-L";
                case 28 -> "MA-M";
                case 36 -> "MA-S";
                default -> null;
            };
            if (registry == null) {
                continue;
            }
            String prefix = hex.substring(0, bits / 4);
            String org = (cells.length > 2 ? cells[2] : cells.length > 1 ? cells[1] : "").strip();
            if (org.isEmpty()) {
                continue;
            }
            rows.put(prefix, new Row(prefix, registry, org));
            fromManuf++;
        }
        int fromIeee = 0;
        for (String file : List.of("oui.csv", "mam.csv", "oui36.csv")) {
            List<String> lines = Files.readAllLines(ieee.resolve(file), StandardCharsets.UTF_8);
            for (String line : lines.subList(1, lines.size())) {
                List<String> cells = csv(line);
                if (cells.size() < 3) {
                    continue;
                }
                String registry = cells.get(0).strip();
                String prefix = cells.get(1).strip().toUpperCase(Locale.ROOT);
                String org = cells.get(2).strip();
                if (!registry.startsWith("MA-") || org.isEmpty()) {
                    continue;
                }
                rows.put(prefix, new Row(prefix, registry, org));
                fromIeee++;
            }
        }
        List<Map.Entry<Pattern, String>> patterns = new ArrayList<>();
        VENDORS.forEach((re, v) -> patterns.add(Map.entry(Pattern.compile(re,
                Pattern.CASE_INSENSITIVE), v)));
        Files.createDirectories(out.getParent());
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            w.println("# MAC prefix registrants, generated by knowledge/tools/OuiTableGenerator.java; do not edit.");
            w.println("# Sources: Debian ieee-data " + version(ieee) + " (oui.csv, mam.csv, oui36.csv),"
                    + " Wireshark manuf (libwireshark-data); IEEE name preferred.");
            w.println("# prefix (hex: 6 = MA-L, 7 = MA-M, 9 = MA-S)\tregistry\torganization\tvendor");
            for (Row r : rows.values()) {
                String vendor = "";
                for (Map.Entry<Pattern, String> p : patterns) {
                    if (p.getKey().matcher(r.organization()).find()) {
                        vendor = p.getValue();
                        break;
                    }
                }
                w.println(r.prefix() + "\t" + r.registry() + "\t"
                        + r.organization().replace('\t', ' ') + "\t" + vendor);
            }
        }
        System.out.printf("%d rows (%d manuf lines, %d ieee-data lines) -> %s%n", rows.size(),
                fromManuf, fromIeee, out);
    }

    private static String version(Path ieee) {
        try {
            return Files.readString(ieee.resolve(".lastupdate")).strip();
        } catch (IOException e) {
            return "(unknown date)";
        }
    }

    /** One CSV line with double-quoted cells. */
    static List<String> csv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
