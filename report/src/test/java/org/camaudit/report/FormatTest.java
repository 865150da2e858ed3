package org.camaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormatTest {
    @Test
    void parsesCommandLineNames() {
        assertThat(Format.parse("HTML")).contains(Format.HTML);
        assertThat(Format.parse("cyclonedx")).contains(Format.CYCLONEDX);
        assertThat(Format.parse("xlsx")).isEmpty();
        assertThat(Format.PDF.isText()).isFalse();
        assertThat(Format.labels()).isEqualTo("html, pdf, csv, json, cyclonedx, defectdojo");
    }
}
