package org.camaudit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.camaudit.rules.RulePackException;
import org.camaudit.rules.findings.FindingEngine;
import org.camaudit.rules.findings.FindingPacks;
import org.camaudit.rules.findings.KevCatalog;
import picocli.CommandLine.Option;

/** {@code --policy} and {@code --policy-file}: which bans and restrictions apply. */
final class PolicyOptions {
    /** Where {@code update --kev} keeps the newer catalog, under the data dir. */
    static final String KEV_FILE = "kev/known_exploited_vulnerabilities.json";

    @Option(names = "--policy", paramLabel = "IDS", split = ",", description = "Policies that apply: pack ids (ndaa889, fcc-covered, uk2022, au2023,"
            + " entity-list, dod-1260h, ndaa2024-805, texas2026, ca2025) or jurisdiction groups"
            + " (us-federal, us-dod, texas, us-state, uk, australia, canada), e.g."
            + " us-federal,texas (default: every shipped policy).")
    List<String> policies = new ArrayList<>();

    @Option(names = "--policy-file", paramLabel = "FILE", description = "Your own policy (YAML, same format as knowledge/policies/*.yaml); applies"
            + " in addition. Repeatable.")
    List<Path> policyFiles = new ArrayList<>();

    @Option(names = "--as-of", paramLabel = "DATE", description = "Judge policies as on this day (YYYY-MM-DD): a list or entry not yet in force"
            + " then reports nothing (default: the scan's day for a stored scan, else today).")
    LocalDate asOf;

    /** The engine for these options, judged at --as-of or today. */
    FindingEngine engine(Path dataDir) {
        return engine(dataDir, LocalDate.now());
    }

    /**
     * The engine for these options, with the KEV catalog of {@code update --kev} if loaded,
     * judged at --as-of or else at {@code day} (a stored scan's own day).
     */
    FindingEngine engine(Path dataDir, LocalDate day) {
        FindingPacks packs = packs(dataDir);
        Set<String> ids = new LinkedHashSet<>(policies);
        for (Path file : policyFiles) {
            if (!Files.isReadable(file)) {
                throw new UsageException("cannot read policy file " + file);
            }
            try {
                FindingPacks before = packs;
                packs = packs.withPolicyFile(file);
                if (!policies.isEmpty()) {
                    for (String id : packs.policies().keySet()) {
                        if (!before.policies().containsKey(id) || before.policies().get(id) != packs
                                .policies().get(id)) {
                            ids.add(id);
                        }
                    }
                }
            } catch (RulePackException e) {
                throw new UsageException("policy file " + e.getMessage());
            }
        }
        try {
            return new FindingEngine(packs, ids, asOf != null ? asOf : day);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** Whether the operator chose policies or a date, so stored findings must be evaluated again. */
    boolean chosen() {
        return !policies.isEmpty() || !policyFiles.isEmpty() || asOf != null;
    }

    /** The shipped packs, with KEV status from the catalog stored by {@code update --kev}. */
    static FindingPacks packs(Path dataDir) {
        FindingPacks packs = FindingPacks.shipped();
        Optional<KevCatalog> kev = storedKev(dataDir);
        return kev.isPresent() ? packs.withKev(kev.get()) : packs;
    }

    static Optional<KevCatalog> storedKev(Path dataDir) {
        Path file = dataDir.resolve(KEV_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file)) {
            return Optional.of(KevCatalog.read(in));
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException("the stored KEV catalog " + file + " is unreadable ("
                    + e.getMessage() + "); load a good one with 'camaudit update --kev FILE'");
        }
    }
}
