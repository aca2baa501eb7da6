package dev.meterbill.billing.document;

import dev.meterbill.billing.auth.Authenticator;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.creditnote.CreditNote;
import dev.meterbill.billing.creditnote.CreditNoteService;
import dev.meterbill.billing.http.PathIds;
import dev.meterbill.billing.invoice.Invoice;
import dev.meterbill.billing.invoice.InvoiceService;
import dev.meterbill.billing.invoice.SupplierProfile;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;

/** The tax invoice as a document: {@code GET /invoices/{id}/pdf} and its HTML view, for the owner and the operator. */
public record DocumentHandler(InvoiceService invoices, CreditNoteService creditNotes, SupplierProfile supplier) {

    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/api/v1/invoices/{invoiceId}/pdf", this::pdf);
        routes.get("/api/v1/invoices/{invoiceId}/html", this::html);
        routes.get("/api/v1/credit-notes/{creditNoteId}/pdf", this::creditNotePdf);
    }

    private void creditNotePdf(Context ctx) {
        Caller caller = Authenticator.caller(ctx);
        CreditNote note = creditNotes.get(caller, PathIds.uuid(ctx, "creditNoteId", "Credit note"));
        Invoice invoice = invoices.get(caller, note.invoiceId());
        ctx.header("Content-Disposition", "inline; filename=\"" + note.creditNoteNumber() + ".pdf\"");
        ctx.contentType("application/pdf").result(PdfDocuments.pdf(CreditNoteDocument.html(note, invoice, supplier)));
    }

    private void pdf(Context ctx) {
        Invoice invoice = invoice(ctx);
        byte[] pdf = PdfDocuments.pdf(InvoiceDocument.html(invoice, supplier));
        ctx.header("Content-Disposition", "inline; filename=\"" + fileName(invoice) + ".pdf\"");
        ctx.contentType("application/pdf").result(pdf);
    }

    private void html(Context ctx) {
        ctx.contentType("text/html; charset=utf-8").result(InvoiceDocument.html(invoice(ctx), supplier));
    }

    private Invoice invoice(Context ctx) {
        return invoices.get(Authenticator.caller(ctx), PathIds.uuid(ctx, "invoiceId", "Invoice"));
    }

    private static String fileName(Invoice invoice) {
        return invoice.invoiceNumber() == null ? "draft-" + invoice.id() : invoice.invoiceNumber();
    }
}
