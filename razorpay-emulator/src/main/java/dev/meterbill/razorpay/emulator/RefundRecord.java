package dev.meterbill.razorpay.emulator;

import java.util.Map;

/** A Razorpay refund; the emulator processes refunds immediately, so its status is always {@code processed}. */
record RefundRecord(String id, String paymentId, long amount, String currency, Map<String, Object> notes,
                    String receipt, String speedRequested, long createdAt) {

    Map<String, Object> toJson() {
        return Json.object("id", id, "entity", "refund", "amount", amount, "currency", currency, "payment_id", paymentId,
                "notes", Json.notes(notes), "receipt", receipt, "acquirer_data", Json.object("arn", null),
                "created_at", createdAt, "batch_id", null, "status", "processed", "speed_processed", "normal",
                "speed_requested", speedRequested);
    }
}
