package org.camaudit.knowledge;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/** Names and readers of the packs shipped in this module, so the loader needs no path guessing. */
public final class KnowledgePacks {
    /** Bumped whenever a pack changes meaning; stored with every identification. */
    public static final String VERSION = "2026.11.1";
    public static final String VENDORS = "vendors.yaml";
    public static final String OEM = "oem.yaml";
    public static final String TYPES = "types.yaml";
    public static final String OUI = "oui/oui.tsv";
    /** The policies shipped (bans and restrictions), each with citation and effective dates. */
    public static final List<String> POLICIES = List.of("policies/ndaa889.yaml",
            "policies/fcc-covered.yaml", "policies/uk2022.yaml", "policies/au2023.yaml",
            "policies/entity-list.yaml", "policies/dod-1260h.yaml", "policies/ndaa2024-805.yaml",
            "policies/texas2026.yaml", "policies/ca2025.yaml");
    /** Camera CVEs of the KEV catalog, generated from the snapshot in knowledge/data/kev. */
    public static final String VULNS_KEV = "vulns/kev-cameras.yaml";
    /** Camera CVEs with affected ranges and the way exposure is decided. */
    public static final String VULNS = "vulns/cameras.yaml";
    public static final String CLOUDS = "clouds/clouds.yaml";
    public static final String EXPOSURES = "exposures/exposures.yaml";
    /** The fingerprint files, one per field family, in the order they are read. */
    public static final List<String> FINGERPRINTS = List.of("fingerprints/sadp.yaml",
            "fingerprints/dhdiscover.yaml", "fingerprints/dvrip.yaml", "fingerprints/sdk.yaml",
            "fingerprints/http_server.yaml", "fingerprints/http_realm.yaml",
            "fingerprints/http_title.yaml", "fingerprints/http_body.yaml",
            "fingerprints/favicons.yaml", "fingerprints/rtsp.yaml", "fingerprints/tls.yaml",
            "fingerprints/banners.yaml", "fingerprints/models.yaml", "fingerprints/brands.yaml",
            "fingerprints/onvif.yaml", "fingerprints/upnp.yaml", "fingerprints/mdns.yaml",
            "fingerprints/nmap.yaml");

    private KnowledgePacks() {
    }

    /** Opens a pack by its name above; empty if it is missing from the build. */
    public static Optional<InputStream> open(String name) {
        return Optional.ofNullable(KnowledgePacks.class.getResourceAsStream(name));
    }
}
