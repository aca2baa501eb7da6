package dev.meterbill.billing.invoice;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.meterbill.billing.organisation.Address;
import dev.meterbill.billing.pricing.GstBreakdown;
import dev.meterbill.billing.pricing.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An invoice as the API shows it: amounts in major units with the currency's scale (1234.50), plus
 * {@code totalMinor} in minor units for payment providers that take paise.
 *
 * @param razorpayOrderId the Razorpay order to pay the invoice through, once issued with payments on
 * @param amountPaid      captured payments in the invoice's currency, net of their refunds
 * @param creditedTotal   the totals of its credit notes
 * @param appliedCredit   customer credit (an earlier overpayment) applied to it when it was issued
 * @param balanceDue      what is still due: total less payments, TDS, credit notes and applied credit
 * @param lines           null in listings, which leave the lines out
 */
public record InvoiceView(UUID id, UUID organisationId, String period, String invoiceNumber, String status,
                          String currency, UUID pricingPlanId, BigDecimal subtotal, Tax tax, BigDecimal total,
                          long totalMinor, BigDecimal minimumCommitment, Party supplier, Party customer,
                          Instant createdAt, Instant issuedAt, Instant dueAt, Instant paidAt, Instant voidedAt,
                          String razorpayOrderId, BigDecimal amountPaid, BigDecimal tdsTotal, BigDecimal creditedTotal,
                          BigDecimal appliedCredit, BigDecimal balanceDue, long balanceDueMinor,
                          @JsonInclude(JsonInclude.Include.NON_NULL) EInvoiceView eInvoice,
                          @JsonInclude(JsonInclude.Include.NON_NULL) List<Line> lines) {

    /**
     * GST: {@code intra_state} (CGST + SGST), {@code inter_state} (IGST), {@code export_under_lut} (no tax,
     * {@code lutReference} says under which Letter of Undertaking) or {@code export_with_igst}.
     */
    public record Tax(String supply, BigDecimal ratePercent, BigDecimal cgst, BigDecimal sgst, BigDecimal igst,
                      BigDecimal total, @JsonInclude(JsonInclude.Include.NON_NULL) String lutReference) {}

    /**
     * Supplier or customer as copied onto the invoice: the GST registration, and for the customer its name,
     * billing e-mail and address (as issued; a draft shows the organisation as it is).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Party(String stateCode, String gstin, String name, String billingEmail, Address address) {}

    /** The invoice's registration at the IRP (e-invoicing): status, IRN and acknowledgement, or why not. */
    public record EInvoiceView(String status, String irn, String ackNo, Instant ackAt, String error) {}

    /** One line; {@code amount} is authoritative, quantity x unitPrice shows how it was reached. */
    public record Line(String type, UUID projectId, UUID chargeId, String metricName, String description,
                       BigDecimal quantity, BigDecimal unitPrice, BigDecimal amount, String adjustmentPeriod,
                       @JsonInclude(JsonInclude.Include.NON_NULL) List<InvoiceLine.ProjectQuantity> breakdown,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String sac) {}

    public static InvoiceView of(Invoice invoice, boolean withLines) {
        String c = invoice.currency();
        InvoiceBalance b = invoice.balance();
        Tax tax = tax(new GstBreakdown(invoice.supply(), invoice.gstRatePercent(), invoice.cgstMinor(),
                invoice.sgstMinor(), invoice.igstMinor()), c, invoice.lutReference());
        List<Line> lines = withLines ? lines(invoice.lines(), c) : null;
        return new InvoiceView(invoice.id(), invoice.organisationId(), invoice.period().toString(),
                invoice.invoiceNumber(), invoice.status().wireName(), c, invoice.pricingPlanId(),
                Money.toMajor(invoice.subtotalMinor(), c), tax, Money.toMajor(invoice.totalMinor(), c),
                invoice.totalMinor(), Money.toMajor(invoice.minimumCommitmentMinor(), c),
                new Party(invoice.supplierStateCode(), invoice.supplierGstin(), null, null, null),
                new Party(invoice.customerStateCode(), invoice.customerGstin(), invoice.customer().name(),
                        invoice.customer().billingEmail(), invoice.customer().address()), invoice.createdAt(),
                invoice.issuedAt(), invoice.dueAt(), invoice.paidAt(), invoice.voidedAt(), invoice.razorpayOrderId(),
                Money.toMajor(b.paidMinor(), c), Money.toMajor(b.tdsMinor(), c), Money.toMajor(b.creditedMinor(), c),
                Money.toMajor(b.appliedCreditMinor(), c), Money.toMajor(invoice.dueMinor(), c), invoice.dueMinor(),
                invoice.eInvoice() == null ? null : new EInvoiceView(invoice.eInvoice().status(), invoice.eInvoice().irn(),
                        invoice.eInvoice().ackNo(), invoice.eInvoice().ackAt(), invoice.eInvoice().error()), lines);
    }

    static Tax tax(GstBreakdown gst, String c, String lutReference) {
        return new Tax(gst.supply().wireName(), gst.ratePercent(), Money.toMajor(gst.cgstMinor(), c),
                Money.toMajor(gst.sgstMinor(), c), Money.toMajor(gst.igstMinor(), c), Money.toMajor(gst.totalMinor(), c),
                lutReference);
    }

    static List<Line> lines(List<InvoiceLine> lines, String c) {
        return lines.stream().map(l -> new Line(l.type().wireName(), l.projectId(), l.chargeId(), l.metricName(),
                l.description(), Money.canonical(l.quantity()), Money.canonical(l.unitPrice()), Money.toMajor(l.amountMinor(), c),
                l.adjustmentPeriod() == null ? null : l.adjustmentPeriod().toString(), l.breakdown(), l.sac())).toList();
    }
}
