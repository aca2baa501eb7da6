package dev.meterbill.billing.einvoice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meterbill.billing.invoice.Invoice;
import dev.meterbill.billing.invoice.InvoiceLine;
import dev.meterbill.billing.invoice.SupplierProfile;
import dev.meterbill.billing.organisation.Address;
import dev.meterbill.billing.pricing.GstBreakdown;
import dev.meterbill.billing.pricing.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * An issued invoice as an e-invoice in the IRP's schema, version 1.1 (document type INV, services): supply
 * type B2B, EXPWOP (export under LUT) or EXPWP (export with IGST); the seller, the buyer ("URP",
 * place of supply 96 and PIN 999999 abroad); one item per line with a positive amount, SAC as HsnCd; the
 * invoice's discounts spread over the items in proportion (Discount, AssAmt after it); the invoice's tax
 * spread over the items in proportion to their assessable value, the last item taking what rounding
 * left, so items add up to the totals exactly.
 */
public final class EInvoiceDocument {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId INDIA = ZoneId.of("Asia/Kolkata");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");

    private EInvoiceDocument() {}

    /** Whether the invoice is registered at all: a B2B supply (the customer has a GSTIN) or an export. */
    static boolean applies(Invoice invoice) {
        return invoice.customerGstin() != null || invoice.supply() == GstBreakdown.Supply.EXPORT_UNDER_LUT
                || invoice.supply() == GstBreakdown.Supply.EXPORT_WITH_IGST;
    }

    public static JsonNode of(Invoice invoice, SupplierProfile supplier) {
        String c = invoice.currency();
        boolean export = invoice.supply() == GstBreakdown.Supply.EXPORT_UNDER_LUT
                || invoice.supply() == GstBreakdown.Supply.EXPORT_WITH_IGST;
        ObjectNode doc = JSON.createObjectNode().put("Version", "1.1");
        doc.putObject("TranDtls").put("TaxSch", "GST").put("SupTyp", export
                ? (invoice.supply() == GstBreakdown.Supply.EXPORT_UNDER_LUT ? "EXPWOP" : "EXPWP") : "B2B")
                .put("RegRev", "N");
        doc.putObject("DocDtls").put("Typ", "INV").put("No", invoice.invoiceNumber())
                .put("Dt", DATE.format(invoice.issuedAt().atZone(INDIA)));
        doc.putObject("SellerDtls").put("Gstin", invoice.supplierGstin()).put("LglNm", supplier.legalName())
                .put("TrdNm", supplier.tradeName()).put("Addr1", supplier.addressLine1()).put("Loc", supplier.city())
                .put("Pin", Integer.parseInt(supplier.postalCode())).put("Stcd", invoice.supplierStateCode());
        Address a = invoice.customer().address();
        String state = export ? "96" : invoice.customerStateCode() != null ? invoice.customerStateCode()
                : invoice.supplierStateCode();
        doc.putObject("BuyerDtls").put("Gstin", export ? "URP" : invoice.customerGstin())
                .put("LglNm", invoice.customer().name()).put("Pos", state)
                .put("Addr1", a == null || a.line1() == null ? "-" : a.line1())
                .put("Loc", a == null || a.city() == null ? "-" : a.city())
                .put("Pin", export || a == null || a.postalCode() == null ? 999999 : Integer.parseInt(a.postalCode()))
                .put("Stcd", state);

        List<InvoiceLine> items = invoice.lines().stream().filter(l -> l.amountMinor() > 0).toList();
        long gross = items.stream().mapToLong(InvoiceLine::amountMinor).sum();
        long discount = gross - invoice.subtotalMinor();
        long[] discounts = spread(discount, items, gross);
        long[] assessable = new long[items.size()];
        for (int i = 0; i < items.size(); i++) {
            assessable[i] = items.get(i).amountMinor() - discounts[i];
        }
        long[] cgst = spread(invoice.cgstMinor(), assessable, invoice.subtotalMinor());
        long[] sgst = spread(invoice.sgstMinor(), assessable, invoice.subtotalMinor());
        long[] igst = spread(invoice.igstMinor(), assessable, invoice.subtotalMinor());
        ArrayNode list = doc.putArray("ItemList");
        for (int i = 0; i < items.size(); i++) {
            InvoiceLine line = items.get(i);
            list.addObject().put("SlNo", String.valueOf(i + 1)).put("PrdDesc", line.description())
                    .put("IsServc", "Y").put("HsnCd", supplier.sacOf(line)).put("Qty", line.quantity())
                    .put("Unit", "OTH").put("UnitPrice", line.unitPrice())
                    .put("TotAmt", Money.toMajor(line.amountMinor(), c)).put("Discount", Money.toMajor(discounts[i], c))
                    .put("AssAmt", Money.toMajor(assessable[i], c)).put("GstRt", invoice.gstRatePercent())
                    .put("IgstAmt", Money.toMajor(igst[i], c)).put("CgstAmt", Money.toMajor(cgst[i], c))
                    .put("SgstAmt", Money.toMajor(sgst[i], c))
                    .put("TotItemVal", Money.toMajor(assessable[i] + cgst[i] + sgst[i] + igst[i], c));
        }
        doc.putObject("ValDtls").put("AssVal", Money.toMajor(invoice.subtotalMinor(), c))
                .put("CgstVal", Money.toMajor(invoice.cgstMinor(), c)).put("SgstVal", Money.toMajor(invoice.sgstMinor(), c))
                .put("IgstVal", Money.toMajor(invoice.igstMinor(), c))
                .put("TotInvVal", Money.toMajor(invoice.totalMinor(), c));
        return doc;
    }

    private static long[] spread(long amount, List<InvoiceLine> items, long whole) {
        long[] weights = new long[items.size()];
        for (int i = 0; i < items.size(); i++) {
            weights[i] = items.get(i).amountMinor();
        }
        return spread(amount, weights, whole);
    }

    /** {@code amount} in proportion to {@code weights} (summing to {@code whole}), HALF_UP; the last takes the rest. */
    static long[] spread(long amount, long[] weights, long whole) {
        long[] shares = new long[weights.length];
        long given = 0;
        for (int i = 0; i < weights.length - 1; i++) {
            shares[i] = whole == 0 ? 0 : BigDecimal.valueOf(amount).multiply(BigDecimal.valueOf(weights[i]))
                    .divide(BigDecimal.valueOf(whole), 0, RoundingMode.HALF_UP).longValueExact();
            given += shares[i];
        }
        if (weights.length > 0) {
            shares[weights.length - 1] = amount - given;
        }
        return shares;
    }
}
