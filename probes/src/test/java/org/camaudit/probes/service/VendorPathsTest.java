package org.camaudit.probes.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class VendorPathsTest {
    @Test
    void shippedListIsSafeProbeOnly() {
        List<VendorPaths.VendorPath> paths = VendorPaths.load();
        assertThat(paths).extracting(VendorPaths.VendorPath::path)
                .contains("/doc/page/login.asp", "/Login.htm")
                .doesNotHaveDuplicates();
        for (VendorPaths.VendorPath p : paths) {
            String lower = p.path().toLowerCase(java.util.Locale.ROOT);
            // INFO-LEAK READ, AUTH and EXPLOIT paths of protocol-facts.md must never be here
            assertThat(lower).doesNotContain("web_caps", "dvr.htm", "isapi", "rpc2", "magicbox",
                    "lapi", "stw-cgi",
                    "cgi-bin", "sessionlogin");
            assertThat(p.source()).isNotBlank();
        }
    }

    @Test
    void anotherClassRefusesToLoad() {
        String tsv = "/ok\tx\tSAFE-PROBE\tsrc\n/web_caps/webCapsConfig\tdahua\tINFO-LEAK READ\tsrc\n";
        assertThatThrownBy(() -> VendorPaths.parse(new BufferedReader(new StringReader(tsv))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not SAFE-PROBE");
    }
}
