package org.camaudit.server.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camaudit.model.IpRange;

/**
 * What a site's agent scans and how often: address ranges only (CIDRs, ranges, literals; no host
 * names, so that the agent can check each against the ranges its own operator allowed before it
 * sends anything), exclusions, an optional port profile, and who authorised the standing audit.
 *
 * @param every the time from one scan's start to the next, 1 second to 31 days
 * @param ports the TCP ports to sweep; empty for the camera profile
 * @param updatedBy who set it (audit-log actor)
 */
public record SiteSchedule(String site, Duration every, List<String> targets,
        List<String> excludes, Optional<List<Integer>> ports, String authorizedBy,
        Instant updated, String updatedBy) {
    /** The longest interval. */
    public static final Duration MAX_EVERY = Duration.ofDays(31);
    private static final Pattern INTERVAL = Pattern.compile("(\\d{1,9})([smhd])");

    public SiteSchedule {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(updated, "updated");
        Objects.requireNonNull(updatedBy, "updatedBy");
        if (every == null || every.compareTo(Duration.ofSeconds(1)) < 0 || every.compareTo(
                MAX_EVERY) > 0) {
            throw new IllegalArgumentException("a schedule runs every 1 s to 31 days, got "
                    + every);
        }
        targets = List.copyOf(targets);
        excludes = List.copyOf(excludes);
        ports = ports.map(List::copyOf);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("a schedule needs at least one target range");
        }
        if (targets.size() + excludes.size() > 1_000) {
            throw new IllegalArgumentException("a schedule has at most 1,000 ranges");
        }
        targets.forEach(SiteSchedule::range);
        excludes.forEach(SiteSchedule::range);
        ports.ifPresent(list -> {
            if (list.isEmpty() || list.size() > 65_535) {
                throw new IllegalArgumentException("ports, when given, list 1 to 65,535 ports");
            }
            for (int p : list) {
                if (p < 1 || p > 65_535) {
                    throw new IllegalArgumentException("port out of range: " + p);
                }
            }
        });
        if (authorizedBy == null || authorizedBy.isBlank() || authorizedBy.length() > 500) {
            throw new IllegalArgumentException("authorized_by is required (1 to 500 characters):"
                    + " who authorised this standing audit, and when");
        }
    }

    /** One target or exclusion as a range; a host name or a malformed range is refused. */
    public static IpRange range(String text) {
        if (text == null || !IpRange.looksLikeRange(text)) {
            throw new IllegalArgumentException("a schedule's targets are CIDRs, ranges or"
                    + " addresses (no host names): " + text);
        }
        try {
            return IpRange.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a range: " + text + " (" + e.getMessage()
                    + ")", e);
        }
    }

    /** {@code 90s}, {@code 15m}, {@code 1h}, {@code 7d}. */
    public static Duration parseInterval(String text) {
        Matcher m = INTERVAL.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("an interval is a number and s, m, h or d (90s,"
                    + " 15m, 1h, 7d), got " + text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
