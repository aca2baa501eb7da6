package dev.meterbill.billing.payment;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.meterbill.billing.pricing.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A payment as the API and the audit trail show it: amounts in major units of its currency plus minor
 * units, Razorpay's ids, and its refunds (left out of audit states).
 */
public record PaymentView(UUID id, UUID invoiceId, String razorpayOrderId, String razorpayPaymentId, String status,
                          String currency, BigDecimal amount, long amountMinor, BigDecimal refunded,
                          long refundedMinor, String method, String failureReason, boolean provisional,
                          String mismatchReason, Instant createdAt, Instant capturedAt,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RefundView> refunds) {

    public static PaymentView of(StoredPayment p, List<RefundView> refunds) {
        return new PaymentView(p.id(), p.invoiceId(), p.razorpayOrderId(), p.razorpayPaymentId(), p.status().wireName(),
                p.currency(), major(p.amountMinor(), p.currency()), p.amountMinor(),
                major(p.refundedMinor(), p.currency()), p.refundedMinor(), p.method(), p.failureReason(),
                p.provisional(), p.mismatchReason(), p.createdAt(), p.capturedAt(), List.copyOf(refunds));
    }

    /** Major units, or null for a currency without a known minor unit (minor units are always given). */
    static BigDecimal major(long minor, String currency) {
        try {
            return Money.toMajor(minor, currency);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
