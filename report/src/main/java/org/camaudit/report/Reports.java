package org.camaudit.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Properties;

/** Writes a scan's report in one of the {@link Format}s. */
public final class Reports {
    private Reports() {
    }

    /**
     * camaudit's version as the build recorded it ({@code /camaudit-version.properties} in the
     * jar), {@code unknown} when it did not: what a report names as its maker.
     */
    public static String toolVersion() {
        Properties p = new Properties();
        try (InputStream in = Reports.class.getResourceAsStream("/camaudit-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }

    /**
     * Writes the report of {@code data} as {@code format} to {@code out} (text formats in UTF-8).
     * The stream is flushed, not closed.
     *
     * @throws IOException when writing fails
     */
    public static void write(ReportData data, Format format, OutputStream out) throws IOException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(out, "out");
        Inventory inv = new Inventory(data);
        switch (format) {
            case HTML -> text(out, HtmlReport.page(inv));
            case PDF -> PdfReport.write(inv, out);
            case CSV -> {
                Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
                CsvReport.write(inv, w);
                w.flush();
            }
            case JSON -> JsonReport.write(inv, out);
            case CYCLONEDX -> text(out, CycloneDxReport.json(inv) + "\n");
            case DEFECTDOJO -> DefectDojoReport.write(inv, out);
        }
        out.flush();
    }

    private static void text(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }
}
