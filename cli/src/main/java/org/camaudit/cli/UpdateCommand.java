package org.camaudit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.Callable;
import org.camaudit.rules.findings.FindingPacks;
import org.camaudit.rules.findings.KevCatalog;
import org.camaudit.rules.findings.Vulnerability;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code camaudit update --kev FILE}: a newer CISA KEV catalog for later evaluations. */
@Command(name = "update", mixinStandardHelpOptions = true, usageHelpWidth = 100, description = {
        "Loads a newer CISA Known Exploited Vulnerabilities catalog (the JSON feed, e.g."
                + " known_exploited_vulnerabilities.json downloaded from cisa.gov): validates its"
                + " shape, stores it in the data dir, and prints which camera entries changed."
                + " Later scans, 'findings' and 'check-bom' use it. Fetches nothing itself."}, footer = {
                        "", "Examples:",
                        "  camaudit update --kev known_exploited_vulnerabilities.json"})
final class UpdateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--kev", paramLabel = "FILE", required = true, description = "A KEV catalog JSON file.")
    Path kev;

    @Mixin
    DataDirOption data;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        KevCatalog catalog;
        try (InputStream in = Files.newInputStream(kev)) {
            catalog = KevCatalog.read(in);
        } catch (NoSuchFileException e) {
            throw new UsageException("no such file: " + kev);
        } catch (IllegalArgumentException e) {
            throw new UsageException(kev + ": " + e.getMessage());
        }
        FindingPacks before = PolicyOptions.packs(data.resolve());
        FindingPacks after = FindingPacks.shipped().withKev(catalog);
        Path target = data.resolve().resolve(PolicyOptions.KEV_FILE);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.copy(kev, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        out.printf("KEV catalog %s (released %s): %,d entries, %,d about cameras; was %s%n",
                catalog.version(), catalog.released(), catalog.entries().size(), catalog
                        .cameraEntries().size(),
                before.kevVersion());
        int changes = 0;
        for (Map.Entry<String, Vulnerability> e : after.vulnerabilities().entrySet()) {
            Vulnerability old = before.vulnerabilities().get(e.getKey());
            Vulnerability now = e.getValue();
            if (old == null) {
                out.printf("  new       %-16s %s (added %s)%n", e.getKey(), now.vendorLabel(), now
                        .kev().map(k -> k.dateAdded().toString()).orElse("?"));
                changes++;
            } else if (!old.kev().map(Vulnerability.Kev::dateAdded).equals(now.kev().map(
                    Vulnerability.Kev::dateAdded)) || !old.kev().map(Vulnerability.Kev::dueDate)
                            .equals(now.kev().map(Vulnerability.Kev::dueDate))) {
                out.printf("  in KEV    %-16s %s (added %s, due %s)%n", e.getKey(), now
                        .vendorLabel(), now.kev().map(k -> k.dateAdded().toString()).orElse("?"),
                        now.kev().map(k -> k.dueDate().toString()).orElse("?"));
                changes++;
            }
        }
        out.printf("%d camera vulnerabilities changed; stored in %s%n", changes, target);
        out.flush();
        return ExitCode.OK;
    }
}
