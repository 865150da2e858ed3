package org.camaudit.testbed;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The finding ids an auditor should report, in camaudit's vocabulary (knowledge policies/,
 * vulns/, exposures/), under the default policies and without opt-in checks. Vendor cloud links
 * that only show in traffic (Dahua Easy4IP, Xiongmai XMEye) are not here: an active scan cannot
 * see them; the personalities keep them as the {@code cloud} attribute.
 */
final class ExpectedFindings {
    /**
     * Hikvision and Dahua (and their subsidiaries, affiliates and OEM units) under every shipped
     * policy: NDAA §889, the FCC Covered List, the UK 2022 directive (a PRC company), Australia's
     * 2023 removal, the Entity List, the DoD §1260H list and, since 2026-06-30, NDAA FY2024 §805.
     */
    static final List<String> HIKVISION_DAHUA = List.of("ndaa-889", "fcc-covered-list",
            "uk-2022-sensitive-sites", "au-2023-removal", "entity-list", "dod-1260h",
            "ndaa-2024-805");
    /** Hikvision only: Canada's 2025 order (no Hikvision equipment in federal use). */
    static final String CANADA_HIKVISION = "ca-2025-hikvision";
    /** Other PRC companies (Xiongmai, Uniview, TP-Link, Milesight): the UK 2022 directive. */
    static final List<String> PRC_COMPANY = List.of("uk-2022-sensitive-sites");
    /** Uniview: a PRC company, on the Entity List (2024-12-10) and the Texas list (2026-01-26). */
    static final List<String> UNIVIEW = List.of("uk-2022-sensitive-sites", "entity-list",
            "texas-prohibited-technology");
    /** TP-Link: a PRC company on the Texas list (2026-01-26). */
    static final String TEXAS = "texas-prohibited-technology";
    static final String PLAIN_HTTP_LOGIN = "plain-http-login";
    static final String DEFAULT_TLS = "default-tls-certificate";
    /**
     * The model lines of CVE-2017-7921 (ICSA-17-124-01 as summarised by nuclei, protocol-facts
     * §5.2); other models are not affected whatever their firmware.
     */
    static final Pattern CVE_2017_7921_LINES = Pattern.compile(
            "^DS-2CD2\\d\\d2F-I|^DS-2CD2\\d\\d0F-I|^DS-2CD2\\d\\d2FWD|^DS-2CD4\\d2\\dFWD"
                    + "|^DS-2CD4\\d\\d5|^DS-2DF|^DS-2CD63");

    private ExpectedFindings() {
    }
}
