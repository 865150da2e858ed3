package org.camaudit.cli;

import org.camaudit.model.SiteRanges;
import picocli.CommandLine.Option;

/**
 * {@code --local CIDR,...}: the site's own ranges beyond the built-in private ones, shared by
 * {@code analyze} and {@code collect}. An address outside them is a peer, never a device.
 */
final class LocalRangesOption {
    @Option(names = "--local", paramLabel = "CIDR,...", description = "The site's own address ranges besides the private ones (RFC 1918, 100.64/10,"
            + " fc00::/7, link-local); addresses outside them are peers, never devices.")
    String local;

    /** The built-in ranges and the option's. */
    SiteRanges ranges() {
        if (local == null || local.isBlank()) {
            return SiteRanges.builtIn();
        }
        try {
            return SiteRanges.parse(local);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--local: " + e.getMessage());
        }
    }
}
