package dev.meterbill.billing.invoice;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

/**
 * A stored invoice with its lines; amounts in minor units of {@code currency}.
 *
 * @param razorpayOrderId the Razorpay order customers pay it through; null until one is attached after issue
 */
public record Invoice(UUID id, UUID organisationId, YearMonth period, String invoiceNumber, InvoiceStatus status,
                      String currency, UUID pricingPlanId, long subtotalMinor, long cgstMinor, long sgstMinor,
                      long igstMinor, long totalMinor, BigDecimal gstRatePercent, String supplierStateCode,
                      String supplierGstin, String customerStateCode, String customerGstin,
                      long minimumCommitmentMinor, Instant createdAt, Instant issuedAt, Instant dueAt, Instant paidAt,
                      Instant voidedAt, String razorpayOrderId, List<InvoiceLine> lines) {

    public Invoice {
        lines = List.copyOf(lines);
    }

    public Invoice withoutLines() {
        return new Invoice(id, organisationId, period, invoiceNumber, status, currency, pricingPlanId, subtotalMinor,
                cgstMinor, sgstMinor, igstMinor, totalMinor, gstRatePercent, supplierStateCode, supplierGstin,
                customerStateCode, customerGstin, minimumCommitmentMinor, createdAt, issuedAt, dueAt, paidAt, voidedAt,
                razorpayOrderId, List.of());
    }
}
