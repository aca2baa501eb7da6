package dev.meterbill.billing.invoice;

import dev.meterbill.billing.organisation.Address;
import dev.meterbill.billing.pricing.GstBreakdown;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

/**
 * A stored invoice with its lines; amounts in minor units of {@code currency}.
 *
 * @param razorpayOrderId the Razorpay order customers pay it through; null until one is attached after issue
 * @param supply          the kind of supply its GST was computed for
 * @param lutReference    the Letter of Undertaking an export was supplied under, without IGST; null otherwise
 * @param balance         what covers its total so far
 */
public record Invoice(UUID id, UUID organisationId, YearMonth period, String invoiceNumber, InvoiceStatus status,
                      String currency, UUID pricingPlanId, long subtotalMinor, long cgstMinor, long sgstMinor,
                      long igstMinor, long totalMinor, BigDecimal gstRatePercent, String supplierStateCode,
                      String supplierGstin, String customerStateCode, String customerGstin,
                      long minimumCommitmentMinor, Instant createdAt, Instant issuedAt, Instant dueAt, Instant paidAt,
                      Instant voidedAt, String razorpayOrderId, GstBreakdown.Supply supply, String lutReference,
                      InvoiceBalance balance, Customer customer, EInvoice eInvoice, List<InvoiceLine> lines) {

    /**
     * Its registration at the IRP: status {@code pending}, {@code registered}, {@code refused} or
     * {@code cancelled}; null when e-invoicing does not apply to it.
     */
    public record EInvoice(String status, String irn, String ackNo, Instant ackAt, String signedQr, String error) {}

    /** The customer as copied at issue (a draft: the organisation as it is now). */
    public record Customer(String name, String billingEmail, Address address) {}

    public Invoice {
        lines = List.copyOf(lines);
    }

    /** What the customer still owes. */
    public long dueMinor() {
        return status == InvoiceStatus.VOID || status == InvoiceStatus.DRAFT ? 0 : balance.dueMinor(totalMinor);
    }

    /** What covers it beyond its total (all of it for a void invoice): customer credit. */
    public long excessMinor() {
        return balance.excessMinor(status == InvoiceStatus.VOID ? 0 : totalMinor);
    }

    /** What a payment order asks for: the total less the customer credit applied when it was issued. */
    public long orderAmountMinor() {
        return totalMinor - balance.appliedCreditMinor();
    }

    public Invoice withoutLines() {
        return new Invoice(id, organisationId, period, invoiceNumber, status, currency, pricingPlanId, subtotalMinor,
                cgstMinor, sgstMinor, igstMinor, totalMinor, gstRatePercent, supplierStateCode, supplierGstin,
                customerStateCode, customerGstin, minimumCommitmentMinor, createdAt, issuedAt, dueAt, paidAt, voidedAt,
                razorpayOrderId, supply, lutReference, balance, customer, eInvoice, List.of());
    }
}
