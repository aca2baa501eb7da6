package dev.meterbill.billing.document;

import dev.meterbill.billing.creditnote.CreditNote;
import dev.meterbill.billing.invoice.Invoice;
import dev.meterbill.billing.invoice.SupplierProfile;
import dev.meterbill.billing.pricing.GstBreakdown;
import dev.meterbill.billing.pricing.Money;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A credit note as a document (CGST Rules rule 53): the supplier's and recipient's particulars as on the
 * invoice it reduces, its own number and date, the number and date of that invoice, the reason, what is
 * credited and the GST reversed with the invoice's kind of supply, the total in figures and words, and the
 * signature. Same styles and parts as the tax invoice ({@link InvoiceDocument}).
 */
public final class CreditNoteDocument {

    private static final ZoneId INDIA = ZoneId.of("Asia/Kolkata");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);

    private CreditNoteDocument() {}

    public static String html(CreditNote note, Invoice invoice, SupplierProfile supplier) {
        String c = note.currency();
        StringBuilder h = InvoiceDocument.open("Credit note " + note.creditNoteNumber());
        InvoiceDocument.supplier(h, invoice, supplier);
        h.append("<td class=\"right\"><div class=\"title\">CREDIT NOTE</div><div>Credit note number: <b>")
                .append(InvoiceDocument.esc(note.creditNoteNumber())).append("</b></div><div>Date: ")
                .append(DATE.format(note.issuedAt().atZone(INDIA))).append("</div><div>Against invoice: ")
                .append(InvoiceDocument.esc(InvoiceDocument.number(invoice))).append(" of ")
                .append(InvoiceDocument.esc(InvoiceDocument.date(invoice))).append("</div><div>Reason: ")
                .append(InvoiceDocument.esc(note.reason().wireName().replace('_', ' '))).append("</div>");
        if (note.memo() != null) {
            h.append("<div>").append(InvoiceDocument.esc(note.memo())).append("</div>");
        }
        h.append("</td></tr></table>");
        InvoiceDocument.parties(h, invoice);
        h.append("<table class=\"lines\"><thead><tr><th>#</th><th>Description</th><th>Invoice line</th><th>SAC</th>")
                .append("<th class=\"num\">Quantity</th><th class=\"num\">Taxable value (").append(InvoiceDocument.esc(c))
                .append(")</th></tr></thead><tbody>");
        int n = 0;
        for (CreditNote.Line line : note.lines()) {
            n++;
            h.append("<tr><td>").append(n).append("</td><td>").append(InvoiceDocument.esc(line.description()))
                    .append("</td><td>").append(line.invoiceLine() == null ? "—" : line.invoiceLine().toString())
                    .append("</td><td>").append(InvoiceDocument.esc(line.invoiceLine() == null ? supplier.defaultSac()
                            : supplier.sacOf(invoice.lines().get(line.invoiceLine() - 1))))
                    .append("</td><td class=\"num\">").append(line.quantity() == null ? "" : InvoiceDocument.plain(line.quantity()))
                    .append("</td><td class=\"num\">").append(Money.toMajor(line.amountMinor(), c).toPlainString())
                    .append("</td></tr>");
        }
        h.append("</tbody></table>");
        InvoiceDocument.totals(h, invoice.supply() == GstBreakdown.Supply.INTRA_STATE, invoice.gstRatePercent(), c,
                note.subtotalMinor(), note.cgstMinor(), note.sgstMinor(), note.igstMinor(), note.totalMinor());
        InvoiceDocument.words(h, c, note.totalMinor());
        return InvoiceDocument.close(h, supplier, "credit note");
    }
}
