package org.camaudit.report;

import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import com.openhtmltopdf.util.XRLog;
import java.io.IOException;
import java.io.OutputStream;

/** The PDF report: the print variant of the HTML page rendered by OpenHTMLtoPDF (PDFBox). */
final class PdfReport {
    private PdfReport() {
    }

    static void write(Inventory inv, OutputStream out) throws IOException {
        XRLog.setLoggingEnabled(false);
        PdfRendererBuilder builder = new PdfRendererBuilder();
        builder.useFastMode();
        // no base URI that could resolve anywhere: the page references nothing outside itself
        builder.withHtmlContent(HtmlReport.printPage(inv), null);
        builder.toStream(out);
        try {
            builder.run();
        } catch (RuntimeException e) {
            throw new IOException("cannot render the PDF report: " + e.getMessage(), e);
        }
    }
}
