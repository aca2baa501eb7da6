package dev.meterbill.billing.document;

import dev.meterbill.billing.http.Html;
import dev.meterbill.billing.invoice.Invoice;
import dev.meterbill.billing.invoice.InvoiceLine;
import dev.meterbill.billing.invoice.InvoiceStatus;
import dev.meterbill.billing.invoice.LineType;
import dev.meterbill.billing.invoice.SupplierProfile;
import dev.meterbill.billing.organisation.Address;
import dev.meterbill.billing.pricing.GstBreakdown;
import dev.meterbill.billing.pricing.Money;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A tax invoice as a document (XHTML, rendered to PDF by {@link PdfDocuments}): every particular CGST
 * Rules rule 46 asks of a tax invoice for services — supplier's name, address and GSTIN; the invoice's
 * consecutive number and date; the recipient's name, address, GSTIN when registered, and state; the place
 * of supply; per line the SAC, description, quantity and taxable value (after discounts); the rate and
 * amount of CGST and SGST or IGST; the total in figures and in words; whether tax is payable on reverse
 * charge; the signature — plus the usage period, each line's per-project usage and how to pay. A draft
 * carries a DRAFT watermark and no number; a void invoice says VOID.
 */
public final class InvoiceDocument {

    private static final ZoneId INDIA = ZoneId.of("Asia/Kolkata");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);

    private static final java.util.Map<GstBreakdown.Supply, String> SUPPLY = java.util.Map.of(
            GstBreakdown.Supply.INTRA_STATE, "intra-state (CGST + SGST)",
            GstBreakdown.Supply.INTER_STATE, "inter-state (IGST)",
            GstBreakdown.Supply.EXPORT_UNDER_LUT, "export of services, zero-rated under LUT",
            GstBreakdown.Supply.EXPORT_WITH_IGST, "export of services on payment of IGST");

    private InvoiceDocument() {}

    /** The invoice as XHTML: the PDF's source, and the HTML view. */
    public static String html(Invoice invoice, SupplierProfile supplier) {
        return html(invoice, supplier, "");
    }

    /** The same, with {@code top} (markup, trusted) above the document: the hosted page's payment bar. */
    static String html(Invoice invoice, SupplierProfile supplier, String top) {
        String c = invoice.currency();
        GstBreakdown.Supply supply = invoice.supply();
        boolean intra = supply == GstBreakdown.Supply.INTRA_STATE;
        StringBuilder h = open("Tax invoice " + number(invoice)).append(top);
        if (invoice.status() == InvoiceStatus.DRAFT) {
            h.append("<div class=\"mark\">DRAFT</div>");
        } else if (invoice.status() == InvoiceStatus.VOID) {
            h.append("<div class=\"mark\">VOID</div>");
        }
        supplier(h, invoice, supplier);
        h.append("<td class=\"right\"><div class=\"title\">TAX INVOICE</div>")
                .append(invoice.status() == InvoiceStatus.VOID ? "<div class=\"void\">VOID</div>" : "")
                .append("<div>Invoice number: <b>").append(esc(number(invoice))).append("</b></div>")
                .append("<div>Invoice date: ").append(esc(date(invoice))).append("</div>")
                .append("<div>Usage period: ").append(esc(period(invoice))).append("</div>");
        if (invoice.dueAt() != null) {
            h.append("<div>Due date: ").append(DATE.format(invoice.dueAt().atZone(INDIA))).append("</div>");
        }
        h.append("</td></tr></table>");
        Invoice.EInvoice e = invoice.eInvoice();
        if (e != null && e.irn() != null) {
            h.append("<table class=\"irn\"><tr><td><div>IRN: ").append(esc(e.irn())).append("</div><div>Ack. no.: ")
                    .append(esc(e.ackNo())).append("   Ack. date: ").append(DATE.format(e.ackAt().atZone(INDIA)))
                    .append("</div>").append("cancelled".equals(e.status()) ? "<div class=\"void\">IRN cancelled</div>" : "")
                    .append("</td><td class=\"right\"><img class=\"qr\" src=\"").append(QrCodes.pngDataUri(e.signedQr()))
                    .append("\"/></td></tr></table>");
        }

        parties(h, invoice);
        h.append("<table class=\"lines\"><thead><tr><th>#</th><th>Description</th><th>SAC</th>")
                .append("<th class=\"num\">Quantity</th><th>Unit</th><th class=\"num\">Rate</th>")
                .append("<th class=\"num\">Taxable value (").append(esc(c)).append(")</th></tr></thead><tbody>");
        int n = 0;
        for (InvoiceLine line : invoice.lines()) {
            n++;
            h.append("<tr><td>").append(n).append("</td><td>").append(esc(line.description()));
            if (line.breakdown() != null && line.breakdown().size() > 1) {
                for (InvoiceLine.ProjectQuantity share : line.breakdown()) {
                    h.append("<div class=\"share\">").append(esc(share.projectName() == null
                            ? share.projectId().toString() : share.projectName())).append(": ")
                            .append(plain(share.quantity())).append("</div>");
                }
            }
            h.append("</td><td>").append(esc(supplier.sacOf(line))).append("</td><td class=\"num\">")
                    .append(plain(line.quantity())).append("</td><td>").append(unit(line)).append("</td>")
                    .append("<td class=\"num\">").append(plain(line.unitPrice())).append("</td><td class=\"num\">")
                    .append(Money.toMajor(line.amountMinor(), c).toPlainString()).append("</td></tr>");
        }
        h.append("</tbody></table>");

        totals(h, intra, invoice.gstRatePercent(), c, invoice.subtotalMinor(), invoice.cgstMinor(), invoice.sgstMinor(),
                invoice.igstMinor(), invoice.totalMinor());
        if (supply == GstBreakdown.Supply.EXPORT_UNDER_LUT) {
            h.append("<div class=\"lut\">Supply meant for export under LUT ").append(esc(invoice.lutReference()))
                    .append(" without payment of IGST</div>");
        } else if (supply == GstBreakdown.Supply.EXPORT_WITH_IGST) {
            h.append("<div class=\"lut\">Supply meant for export on payment of IGST</div>");
        }
        words(h, c, invoice.totalMinor());

        h.append("<div class=\"pay\"><b>How to pay.</b> ");
        if (invoice.razorpayOrderId() != null) {
            h.append("Online through Razorpay (order ").append(esc(invoice.razorpayOrderId())).append("). ");
        }
        if (supplier.upiId() != null) {
            h.append("UPI: ").append(esc(supplier.upiId())).append(". ");
        }
        if (supplier.bankDetails() != null) {
            h.append("Bank transfer: ").append(esc(supplier.bankDetails())).append(". ");
        }
        h.append("Quote the invoice number with your payment. If you deduct TDS, send us the certificate (Form 16A) at ")
                .append(esc(supplier.email())).append(".</div>");
        return close(h, supplier, "tax invoice");
    }

    /** The document's head: XHTML with the styles. */
    static StringBuilder open(String title) {
        return new StringBuilder(16_384).append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"UTF-8\"/><title>")
                .append(esc(title)).append("</title>")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/><style>")
                .append(CSS).append("</style></head><body>");
    }

    /** The supplier's particulars; leaves the head table's right cell open for the document's own. */
    static void supplier(StringBuilder h, Invoice invoice, SupplierProfile supplier) {
        h.append("<table class=\"head\"><tr><td>");
        if (supplier.logoDataUri() != null) {
            h.append("<img class=\"logo\" alt=\"\" src=\"").append(supplier.logoDataUri()).append("\"/>");
        }
        h.append("<div class=\"supplier\">").append(esc(supplier.legalName())).append("</div>");
        if (supplier.tradeName() != null) {
            h.append("<div>Trade name: ").append(esc(supplier.tradeName())).append("</div>");
        }
        h.append("<div>").append(esc(supplier.addressLine1())).append(", ").append(esc(supplier.city())).append(' ')
                .append(esc(supplier.postalCode())).append("</div><div>State: ")
                .append(esc(GstStates.named(invoice.supplierStateCode()))).append("</div>")
                .append("<div>GSTIN: ").append(esc(orDash(invoice.supplierGstin()))).append("</div>");
        if (supplier.pan() != null) {
            h.append("<div>PAN: ").append(esc(supplier.pan())).append("</div>");
        }
        h.append("</td>");
    }

    /** The recipient as on the invoice, the place of supply and the kind of supply. */
    static void parties(StringBuilder h, Invoice invoice) {
        Invoice.Customer customer = invoice.customer();
        Address a = customer.address();
        h.append("<table class=\"parties\"><tr><td><div class=\"label\">Bill to</div><div class=\"name\">")
                .append(esc(customer.name())).append("</div>");
        if (a != null) {
            line(h, join(a.line1(), a.line2()));
            line(h, join(a.city(), a.postalCode()));
            if (a.country() != null && !"IN".equals(a.country())) {
                h.append("<div>Country: ").append(esc(a.country())).append("</div>");
            }
        }
        h.append("<div>GSTIN: ").append(esc(invoice.customerGstin() == null ? "Unregistered"
                : invoice.customerGstin())).append("</div>");
        if (invoice.customerStateCode() != null) {
            h.append("<div>State: ").append(esc(GstStates.named(invoice.customerStateCode()))).append("</div>");
        }
        h.append("<div>").append(esc(customer.billingEmail())).append("</div></td><td>")
                .append("<div class=\"label\">Place of supply</div><div class=\"name\">")
                .append(esc(GstStates.named(placeOfSupply(invoice)))).append("</div>")
                .append("<div>Supply: ").append(SUPPLY.get(invoice.supply())).append("</div>")
                .append("<div>Tax payable on reverse charge: No</div></td></tr></table>");

    }

    /** Taxable value, CGST and SGST or IGST, total. */
    static void totals(StringBuilder h, boolean intra, BigDecimal rate, String c, long subtotal, long cgst, long sgst,
                       long igst, long total) {
        h.append("<table class=\"totals\">");
        row(h, "Total taxable value", Money.toMajor(subtotal, c));
        if (intra) {
            BigDecimal half = rate.divide(BigDecimal.valueOf(2)).stripTrailingZeros();
            row(h, "CGST @ " + half.toPlainString() + "%", Money.toMajor(cgst, c));
            row(h, "SGST @ " + half.toPlainString() + "%", Money.toMajor(sgst, c));
        } else {
            row(h, "IGST @ " + rate.stripTrailingZeros().toPlainString() + "%", Money.toMajor(igst, c));
        }
        h.append("<tr class=\"grand\"><td>Total (").append(esc(c)).append(")</td><td class=\"num\">")
                .append(Money.toMajor(total, c).toPlainString()).append("</td></tr></table>");
    }

    static void words(StringBuilder h, String c, long total) {
        h.append("<div class=\"words\">Total in words: ").append(esc("INR".equals(c)
                ? AmountInWords.rupees(total) : Money.toMajor(total, c) + " " + c)).append("</div>");
    }

    /** The signature and the end of the document. */
    static String close(StringBuilder h, SupplierProfile supplier, String kind) {
        h.append("<table class=\"sign\"><tr><td>This is a computer-generated ").append(kind).append(".</td>")
                .append("<td class=\"right\"><div>For ").append(esc(supplier.legalName())).append("</div>")
                .append("<div class=\"signature\">Authorised signatory</div></td></tr></table></body></html>");
        return h.toString();
    }

    /** The recipient's state; without one, the supplier's (the place of supply is then the supplier's location). */
    static String placeOfSupply(Invoice invoice) {
        Address a = invoice.customer().address();
        if (a != null && a.country() != null && !"IN".equals(a.country())) {
            return GstStates.FOREIGN;
        }
        return invoice.customerStateCode() != null ? invoice.customerStateCode() : invoice.supplierStateCode();
    }

    static String number(Invoice invoice) {
        return invoice.invoiceNumber() == null ? "DRAFT" : invoice.invoiceNumber();
    }

    static String date(Invoice invoice) {
        return DATE.format((invoice.issuedAt() != null ? invoice.issuedAt() : invoice.createdAt()).atZone(INDIA));
    }

    private static String period(Invoice invoice) {
        LocalDate first = invoice.period().atDay(1);
        return DATE.format(first) + " to " + DATE.format(invoice.period().atEndOfMonth());
    }

    private static String unit(InvoiceLine line) {
        return line.type() == LineType.USAGE || line.type() == LineType.ADJUSTMENT ? "OTH" : "NOS";
    }

    static void row(StringBuilder h, String label, BigDecimal amount) {
        h.append("<tr><td>").append(esc(label)).append("</td><td class=\"num\">").append(amount.toPlainString())
                .append("</td></tr>");
    }

    static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    private static void line(StringBuilder h, String text) {
        if (text != null) {
            h.append("<div>").append(esc(text)).append("</div>");
        }
    }

    private static String join(String first, String second) {
        return first == null ? second : second == null ? first : first + ", " + second;
    }

    private static String orDash(String value) {
        return value == null ? "—" : value;
    }

    /** XML text: the document is XHTML, parsed strictly. */
    static String esc(String value) {
        return Html.esc(value);
    }

    static final String CSS = """
            @page { size: A4; margin: 14mm 12mm 16mm 12mm; }
            body { font-family: 'Noto Sans', 'Noto Sans Devanagari'; font-size: 9pt; color: #222; }
            table { width: 100%; border-collapse: collapse; }
            td, th { vertical-align: top; padding: 3pt 4pt; }
            .head td { padding: 0 0 8pt 0; }
            .supplier { font-size: 13pt; font-weight: bold; }
            .title { font-size: 16pt; font-weight: bold; letter-spacing: 1pt; color: #1f3b6e; }
            .right { text-align: right; }
            .parties { border-top: 1pt solid #1f3b6e; border-bottom: 1pt solid #1f3b6e; margin-bottom: 8pt; }
            .parties td { width: 50%; padding: 6pt 4pt; }
            .label { font-size: 7.5pt; text-transform: uppercase; color: #666; }
            .name { font-weight: bold; font-size: 10.5pt; }
            .lines th { background: #1f3b6e; color: #fff; font-weight: bold; text-align: left; font-size: 8pt; }
            .lines td { border-bottom: 0.5pt solid #ccc; }
            .num { text-align: right; white-space: nowrap; }
            .lines th.num { text-align: right; }
            .share { color: #555; font-size: 8pt; padding-left: 8pt; }
            .totals { width: 45%; margin-left: 55%; margin-top: 6pt; }
            .totals td { border-bottom: 0.5pt solid #ddd; }
            .grand td { font-weight: bold; font-size: 11pt; border-top: 1pt solid #222; }
            .words { margin-top: 6pt; font-style: italic; }
            .lut { margin-top: 6pt; font-weight: bold; }
            .irn { margin-bottom: 6pt; font-size: 8pt; }
            .qr { width: 32mm; height: 32mm; }
            .logo { max-height: 14mm; max-width: 50mm; margin-bottom: 3pt; }
            .pay { margin-top: 10pt; padding: 6pt; background: #f2f5fa; }
            .sign { margin-top: 18pt; }
            .signature { margin-top: 28pt; margin-left: 40%; border-top: 0.5pt solid #222; padding-top: 2pt; }
            .mark { position: fixed; top: 90mm; left: 20mm; font-size: 96pt; color: #e8b0b0; font-weight: bold;
                    -fs-transform: rotate(-30deg); opacity: 0.5; }
            .void { color: #b00; font-weight: bold; font-size: 14pt; }
            """;
}
