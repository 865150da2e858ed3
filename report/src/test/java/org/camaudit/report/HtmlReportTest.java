package org.camaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class HtmlReportTest {
    @Test
    void hostileDeviceStringsAreEscapedEverywhere() throws Exception {
        String html = Fixtures.render(Fixtures.data(), Format.HTML);
        assertThat(html).doesNotContain(Fixtures.HOSTILE_BRAND).doesNotContain(
                Fixtures.HOSTILE_EXCERPT).doesNotContain("</details><script>x()");
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains(
                "&lt;img src=x onerror=alert(2)&gt;");
        // the only script element is the page's own
        assertThat(count(html, "<script")).isEqualTo(1);
    }

    @Test
    void referencesNothingOutsideItself() throws Exception {
        String html = Fixtures.render(Fixtures.data(), Format.HTML);
        Matcher m = Pattern.compile("(?i)(https?:|ftp:|//[a-z0-9])[^\"'\\s<)]*").matcher(html);
        while (m.find()) {
            // the SVG namespace names a vocabulary; nothing is fetched from it. Anything else
            // must be escaped device text (the hostile model's URL, shown, never linked).
            String url = m.group();
            assertThat(url.equals("http://www.w3.org/2000/svg") || url.startsWith(
                    "http://evil&quot;")).as(url).isTrue();
        }
        assertThat(html).doesNotContain("src=\"http").doesNotContain("href=\"http").doesNotContain(
                "<link").doesNotContain("@import");
    }

    @Test
    void hasSummaryChartsTableAndEvidence() throws Exception {
        String html = Fixtures.render(Fixtures.data(), Format.HTML);
        assertThat(html).contains("Jane Doe, CISO (ticket SEC-42)")
                .contains("targets: 192.0.2.0/24")
                .contains("id=\"chart-platform\"").contains("id=\"chart-policy\"").contains(
                        "id=\"chart-severity\"")
                .contains("<svg").contains("id=\"filter-text\"")
                .contains("id=\"filter-severity\"").contains("id=\"filter-platform\"");
        assertThat(count(html, "<tr data-index=")).isEqualTo(6);
        assertThat(count(html, "<details class=\"device\"")).isEqualTo(6);
        assertThat(html).contains("Pub. L. 115-232, \u00a7889(f)(3)(A)").contains(
                "replace: Replace the device").contains("CVE-2021-36260");
        assertThat(html).contains("<span class=\"n\">7</span><span class=\"l\">findings</span>");
    }

    @Test
    void printVariantIsWellFormedXhtmlWithoutScript() throws Exception {
        String xhtml = HtmlReport.printPage(new Inventory(Fixtures.data()));
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xhtml.getBytes(
                StandardCharsets.UTF_8)));
        assertThat(doc.getElementsByTagName("script").getLength()).isZero();
        assertThat(doc.getElementsByTagName("tr").getLength()).isGreaterThan(6);
        assertThat(xhtml).doesNotContain(Fixtures.HOSTILE_BRAND);
    }

    @Test
    void addressesSortNumerically() {
        assertThat(HtmlReport.addressKey("192.0.2.9")).isLessThan(HtmlReport.addressKey(
                "192.0.2.10"));
        assertThat(HtmlReport.addressKey("fe80::1")).isEqualTo("fe80::1");
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
