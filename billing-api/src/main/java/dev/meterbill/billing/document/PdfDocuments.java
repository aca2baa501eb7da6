package dev.meterbill.billing.document;

import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Renders XHTML to PDF with openhtmltopdf on PDFBox, embedding Noto Sans (which carries ₹) and Noto Sans
 * Devanagari (names in Hindi, Marathi...) from the jar: a PDF renders the same on every machine.
 */
public final class PdfDocuments {

    private static final String[][] FONTS = {
            {"/fonts/NotoSans-Regular.ttf", "Noto Sans", "400"},
            {"/fonts/NotoSans-Bold.ttf", "Noto Sans", "700"},
            {"/fonts/NotoSansDevanagari-Regular.ttf", "Noto Sans Devanagari", "400"}};

    private PdfDocuments() {}

    public static byte[] pdf(String xhtml) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024)) {
            PdfRendererBuilder builder = new PdfRendererBuilder();
            builder.useFastMode();
            for (String[] font : FONTS) {
                builder.useFont(() -> stream(font[0]), font[1], Integer.parseInt(font[2]),
                        PdfRendererBuilder.FontStyle.NORMAL, true);
            }
            builder.withHtmlContent(xhtml, null);
            builder.toStream(out);
            builder.run();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("the PDF could not be rendered", e);
        }
    }

    private static InputStream stream(String resource) {
        InputStream in = PdfDocuments.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("font " + resource + " is missing from the jar");
        }
        return in;
    }
}
