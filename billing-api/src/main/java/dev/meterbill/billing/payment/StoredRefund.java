package dev.meterbill.billing.payment;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A refund as the platform recorded it; written (pending, without a Razorpay id) before Razorpay is asked.
 *
 * @param requestKey   hash of the caller and Idempotency-Key of the request that asked for it; null otherwise
 * @param creditNoteId the credit note the refund refers to, named by the request or issued for it; may be null
 */
public record StoredRefund(UUID id, UUID paymentId, String razorpayRefundId, long amountMinor, String currency,
                           RefundStatus status, String reason, String failureReason, String requestKey,
                           UUID creditNoteId, Instant createdAt, Instant updatedAt) {

    StoredRefund advancedBy(ProviderRefund fact) {
        RefundStatus next = status.advancedTo(RefundStatus.fromRazorpay(fact.status()));
        return new StoredRefund(id, paymentId, razorpayRefundId != null ? razorpayRefundId : fact.id(), amountMinor,
                currency, next, reason, next == RefundStatus.FAILED ? failureReason : null, requestKey, creditNoteId,
                createdAt, updatedAt);
    }

    StoredRefund failed(String why) {
        return new StoredRefund(id, paymentId, razorpayRefundId, amountMinor, currency, RefundStatus.FAILED, reason,
                why, requestKey, creditNoteId, createdAt, updatedAt);
    }

    boolean sameStateAs(StoredRefund other) {
        return status == other.status && Objects.equals(razorpayRefundId, other.razorpayRefundId)
                && Objects.equals(failureReason, other.failureReason);
    }
}
