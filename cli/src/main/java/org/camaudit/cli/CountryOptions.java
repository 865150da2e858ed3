package org.camaudit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.camaudit.rules.geo.CountryDatabase;
import org.camaudit.rules.geo.DestinationCountries;
import picocli.CommandLine.Option;

/**
 * {@code --geo-db} and {@code --countries-of-concern}: which country database, and which
 * countries raise a finding. The database is the option's file, else {@value #ENV}, else the
 * default that {@code npm ci --prefix knowledge/geo} installs under camaudit's home (the launcher
 * passes it as {@code -D}{@value #HOME_PROPERTY}).
 */
final class CountryOptions {
    static final String ENV = "CAMAUDIT_GEO_DB";
    static final String HOME_PROPERTY = "camaudit.home";

    @Option(names = "--geo-db", paramLabel = "FILE", description = "Country database in MaxMind DB format (.mmdb) for destinations by country"
            + " (default: $" + ENV + ", else the one '" + CountryDatabase.INSTALL_HINT
            + "' installs).")
    Path geoDb;

    @Option(names = "--countries-of-concern", paramLabel = "CC", split = ",", description = "ISO country codes whose destinations raise a medium finding"
            + " 'traffic-to-country-of-concern' (default: none).")
    List<String> countriesOfConcern = new ArrayList<>();

    /**
     * The destinations-by-country evaluation over the database (close its
     * {@link DestinationCountries#database()}), or empty with one line on {@code err} saying why
     * there is none.
     */
    Optional<DestinationCountries> open(PrintWriter err) {
        return open(err, System.getenv(ENV), System.getProperty(HOME_PROPERTY));
    }

    Optional<DestinationCountries> open(PrintWriter err, String env, String home) {
        try {
            DestinationCountries.countryCodes(countriesOfConcern);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--countries-of-concern: " + e.getMessage());
        }
        Path file;
        if (geoDb != null) {
            file = given(geoDb, "--geo-db");
        } else if (env != null && !env.isBlank()) {
            file = given(Path.of(env.strip()), ENV);
        } else {
            Path dir = home == null || home.isBlank() ? null : Path.of(home);
            Path fallback = dir == null ? null : dir.resolve(CountryDatabase.DEFAULT_FILE);
            if (fallback == null || !Files.isRegularFile(fallback)) {
                err.printf("camaudit: no country database, so no destinations by country%s;"
                        + " install the default with '%s'%s, or give --geo-db FILE%n",
                        countriesOfConcern.isEmpty() ? "" : " (--countries-of-concern unchecked)",
                        CountryDatabase.INSTALL_HINT, dir == null
                                ? " in camaudit's directory"
                                : " in " + dir);
                return Optional.empty();
            }
            file = fallback;
        }
        try {
            return Optional.of(new DestinationCountries(CountryDatabase.open(file),
                    countriesOfConcern));
        } catch (IOException e) {
            throw new UsageException("country database " + file + ": " + e.getMessage());
        }
    }

    private static Path given(Path file, String where) {
        if (!Files.isRegularFile(file)) {
            throw new UsageException(where + ": no such file " + file);
        }
        return file;
    }
}
