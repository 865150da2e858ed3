package org.camaudit.rules.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lookups through MaxMind's real reader in databases written by {@link MaxMindDbWriter}: both
 * record shapes, IPv4 and IPv6 trees, metadata, the licence beside the file, corrupt files.
 */
class CountryDatabaseTest {
    @TempDir
    Path dir;

    @Test
    void looksUpDocumentationRangesInAnIpv6Tree() throws IOException {
        try (CountryDatabase db = CountryDatabase.open(MaxMindDbWriter.documentationCountries(dir
                .resolve("test.mmdb")))) {
            assertThat(db.country("192.0.2.7")).contains("CN");
            assertThat(db.country("198.51.100.200")).contains("US");
            assertThat(db.country("203.0.113.1")).contains("DE");
            assertThat(db.country("2001:db8::1")).contains("JP");
            assertThat(db.country("::ffff:203.0.113.9")).contains("DE");
            assertThat(db.country("192.0.3.1")).isEmpty();
            assertThat(db.country("127.0.0.1")).isEmpty();
            assertThat(db.country("not-an-address.example")).isEmpty();
            CountryDatabase.Info info = db.info();
            assertThat(info.databaseType()).isEqualTo("camaudit-test-country");
            assertThat(info.built()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
            assertThat(info.description()).contains("documentation ranges");
            assertThat(info.ipVersion()).isEqualTo(6);
            assertThat(info.licence()).isEqualTo("licence not stated beside the file");
            assertThat(info.summary()).isEqualTo(
                    "camaudit-test-country, built 2026-01-01, licence not stated beside the file");
        }
    }

    @Test
    void readsTheGeoLite2RecordShapeInAnIpv4Tree() throws IOException {
        Path file = new MaxMindDbWriter(4, "GeoLite2-Country", 1_767_225_600L, "shape test")
                .put("198.51.100.0/25", Map.of("country", Map.of("iso_code", "fr", "geoname_id",
                        3017382)))
                .put("198.51.100.128/25", Map.of("registered_country", Map.of("iso_code", "NL")))
                .put("203.0.113.0/24", Map.of("continent", Map.of("code", "EU")))
                .write(dir.resolve("v4.mmdb"));
        try (CountryDatabase db = CountryDatabase.open(file)) {
            assertThat(db.country("198.51.100.1")).contains("FR");
            assertThat(db.country("198.51.100.129")).contains("NL");
            assertThat(db.country("203.0.113.5")).isEmpty();
            assertThat(db.country("2001:db8::1")).isEmpty();
            assertThat(db.info().ipVersion()).isEqualTo(4);
        }
    }

    @Test
    void takesLicenceAndAttributionFromTheNpmPackageBesideTheFile() throws IOException {
        Path file = MaxMindDbWriter.documentationCountries(dir.resolve("countries.mmdb"));
        Files.writeString(dir.resolve("package.json"), """
                {"name": "@example/countries-mmdb", "version": "1.2.3",
                 "license": "SEE LICENSE IN DATA-LICENSE (CC-BY-4.0)"}
                """);
        Files.writeString(dir.resolve("DATA-LICENSE"), """
                The example data is licensed under CC BY 4.0.
                Give attribution: <a href='https://data.example'>Data by Example</a>
                """);
        try (CountryDatabase db = CountryDatabase.open(file)) {
            assertThat(db.info().licence())
                    .isEqualTo("CC-BY-4.0 (npm @example/countries-mmdb@1.2.3)");
            assertThat(db.info().attribution()).isEqualTo("Data by Example (https://data.example)");
            assertThat(db.info().summary()).isEqualTo("camaudit-test-country, built 2026-01-01,"
                    + " CC-BY-4.0 (npm @example/countries-mmdb@1.2.3), Data by Example"
                    + " (https://data.example)");
        }
        Files.writeString(dir.resolve("package.json"), """
                {"name": "plain", "version": "1.0.0", "license": "CC0-1.0"}
                """);
        Files.delete(dir.resolve("DATA-LICENSE"));
        Files.writeString(dir.resolve("LICENSE"), "\nPublic domain data, by Example.\n");
        try (CountryDatabase db = CountryDatabase.open(file)) {
            assertThat(db.info().licence()).isEqualTo("CC0-1.0 (npm plain@1.0.0)");
            assertThat(db.info().attribution()).isEqualTo("Public domain data, by Example.");
        }
    }

    @Test
    void aFileThatIsNotAMaxMindDbIsAnIoException() throws IOException {
        Path junk = Files.writeString(dir.resolve("junk.mmdb"), "no metadata marker here");
        assertThatThrownBy(() -> CountryDatabase.open(junk)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> CountryDatabase.open(dir.resolve("missing.mmdb")))
                .isInstanceOf(IOException.class);
    }
}
