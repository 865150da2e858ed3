package org.camaudit.probes.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MurmurHash3Test {
    private static int h(String s, int seed) {
        return MurmurHash3.x86x32(s.getBytes(StandardCharsets.UTF_8), seed);
    }

    /** Published MurmurHash3_x86_32 vectors (SMHasher-derived tables, e.g. Wikipedia's). */
    @Test
    void publishedVectors() {
        assertThat(h("", 0)).isZero();
        assertThat(h("", 1)).isEqualTo(0x514E28B7);
        assertThat(h("", 0xffffffff)).isEqualTo(0x81F16F39);
        assertThat(MurmurHash3.x86x32(new byte[4], 0)).isEqualTo(0x2362F9DE);
        assertThat(h("aaaa", 0x9747b28c)).isEqualTo(0x5A97808A);
        assertThat(h("aaa", 0x9747b28c)).isEqualTo(0x283E0130);
        assertThat(h("aa", 0x9747b28c)).isEqualTo(0x5D211726);
        assertThat(h("a", 0x9747b28c)).isEqualTo(0x7FA09EA6);
        assertThat(h("abc", 0x9747b28c)).isEqualTo(0xC84A62DD);
        assertThat(h("Hello, world!", 0x9747b28c)).isEqualTo(0x24884CBA);
        assertThat(h("The quick brown fox jumps over the lazy dog", 0)).isEqualTo(0x2e4ff723);
    }

    /**
     * Shodan-style favicon hashes. Expected values were computed at development time with the
     * independent C implementation in the Python package mmh3 5.3.0:
     * {@code mmh3.hash(base64.encodebytes(icon))} and {@code hashlib.md5(icon).hexdigest()}.
     */
    @Test
    void faviconHashesMatchPythonMmh3() {
        byte[] icon = new byte[1150];
        for (int i = 0; i < icon.length; i++) {
            icon[i] = (byte) (i * 7 + 3);
        }
        assertThat(FaviconHash.pythonBase64(icon)).hasSize(1557).endsWith("\n");
        assertThat(FaviconHash.mmh3(icon)).isEqualTo(-1814950605);
        assertThat(FaviconHash.md5(icon)).isEqualTo("df57e86ae73e80e59e55045c950535b4");

        assertThat(FaviconHash.mmh3(new byte[]{0, 0, 1, 0})).isEqualTo(-216455174);
        assertThat(FaviconHash.md5(new byte[]{0, 0, 1, 0}))
                .isEqualTo("2ab4b906fabd1c154d3d8fd77942028e");

        byte[] oneLine = new byte[57];
        for (int i = 0; i < oneLine.length; i++) {
            oneLine[i] = (byte) i;
        }
        // 57 bytes are exactly one 76-character line: one newline, not two
        assertThat(FaviconHash.pythonBase64(oneLine)).hasSize(77);
        assertThat(FaviconHash.mmh3(oneLine)).isEqualTo(459585070);
    }
}
