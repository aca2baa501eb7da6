package dev.meterbill.billing.payment;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A refund as the API and the audit trail show it. */
public record RefundView(UUID id, UUID paymentId, String razorpayPaymentId, String razorpayRefundId, String status,
                         String currency, BigDecimal amount, long amountMinor, String reason, String failureReason,
                         UUID creditNoteId, Instant createdAt, Instant updatedAt) {

    public static RefundView of(StoredRefund r, StoredPayment payment) {
        String currency = r.currency() != null ? r.currency() : payment.currency();
        return new RefundView(r.id(), r.paymentId(), payment.razorpayPaymentId(), r.razorpayRefundId(),
                r.status().wireName(), currency, PaymentView.major(r.amountMinor(), currency), r.amountMinor(),
                r.reason(), r.failureReason(), r.creditNoteId(), r.createdAt(), r.updatedAt());
    }
}
