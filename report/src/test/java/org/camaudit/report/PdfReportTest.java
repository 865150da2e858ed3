package org.camaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

class PdfReportTest {
    @Test
    void readablePagesWithSummaryTableAndEvidence() throws Exception {
        byte[] pdf = Fixtures.bytes(Fixtures.data(), Format.PDF);
        assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo(
                "%PDF-");
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            PDFTextStripper text = new PDFTextStripper();
            text.setStartPage(1);
            text.setEndPage(1);
            String first = text.getText(doc);
            assertThat(first).contains("camaudit report: scan 7").contains("Authorised by")
                    .contains("Jane Doe, CISO (ticket SEC-42)")
                    .contains("Devices by platform maker");
            text.setStartPage(1);
            text.setEndPage(doc.getNumberOfPages());
            String all = text.getText(doc);
            assertThat(all).contains("DS-2CD2143G0-I").contains("CVE-2021-36260").contains(
                    "Pub. L. 115-232").contains("xiongmai-debug-port-9530").contains(
                            "<script>alert(1)</script>");
        }
    }

    @Test
    void longTablesBreakAcrossPagesWithTheirHeader() throws Exception {
        byte[] pdf = Fixtures.bytes(Fixtures.large(150), Format.PDF);
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            assertThat(doc.getNumberOfPages()).isGreaterThan(3);
            PDFTextStripper text = new PDFTextStripper();
            String all = text.getText(doc);
            assertThat(all).contains("198.51.100.149");
            // the device table goes on over page 2 or 3, each starting with the column headers
            text.setStartPage(3);
            text.setEndPage(3);
            assertThat(text.getText(doc)).contains("Address").contains("Platform");
        }
    }
}
