package dev.meterbill.billing.payment;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A payment as the platform recorded it.
 *
 * @param provisional    only the checkout callback vouched for it; amount and currency are the order's
 * @param mismatchReason why a captured payment did not settle its invoice; null when it did or is not captured
 */
public record StoredPayment(UUID id, UUID invoiceId, String razorpayOrderId, String razorpayPaymentId,
                            long amountMinor, String currency, PaymentStatus status, long refundedMinor,
                            String method, String failureReason, boolean provisional, String mismatchReason,
                            Instant createdAt, Instant updatedAt, Instant capturedAt) {

    /** The payment after Razorpay reported {@code fact}: status forward only, Razorpay's figures once known. */
    StoredPayment advancedBy(ProviderPayment fact, Instant now) {
        PaymentStatus reported = PaymentStatus.fromRazorpay(fact.status());
        PaymentStatus next = status.advancedTo(reported);
        return new StoredPayment(id, invoiceId, razorpayOrderId, razorpayPaymentId,
                provisional ? fact.amountMinor() : amountMinor, provisional ? fact.currency() : currency, next,
                refundedMinor, fact.method() != null ? fact.method() : method,
                next != PaymentStatus.FAILED ? null
                        : fact.errorDescription() != null ? fact.errorDescription() : failureReason,
                false, mismatchReason, createdAt, updatedAt,
                next == PaymentStatus.CAPTURED && capturedAt == null ? now : capturedAt);
    }

    StoredPayment withMismatch(String reason) {
        return new StoredPayment(id, invoiceId, razorpayOrderId, razorpayPaymentId, amountMinor, currency, status,
                refundedMinor, method, failureReason, provisional, reason, createdAt, updatedAt, capturedAt);
    }

    StoredPayment withRefunded(long refunded) {
        return new StoredPayment(id, invoiceId, razorpayOrderId, razorpayPaymentId, amountMinor, currency, status,
                refunded, method, failureReason, provisional, mismatchReason, createdAt, updatedAt, capturedAt);
    }

    /** Equal in everything the platform tracks, timestamps aside. */
    boolean sameStateAs(StoredPayment other) {
        return amountMinor == other.amountMinor && currency.equals(other.currency) && status == other.status
                && refundedMinor == other.refundedMinor && Objects.equals(method, other.method)
                && Objects.equals(failureReason, other.failureReason) && provisional == other.provisional
                && Objects.equals(mismatchReason, other.mismatchReason);
    }
}
