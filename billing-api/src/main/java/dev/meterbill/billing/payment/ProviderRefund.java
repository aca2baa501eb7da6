package dev.meterbill.billing.payment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.UUID;

/** A Razorpay refund as a webhook or the API reports it. */
public record ProviderRefund(String id, String paymentId, long amountMinor, String currency, String status,
                             Map<String, String> notes) {

    /** The note that names the platform's refund row, written when the refund was requested. */
    public static final String REFUND_ID_NOTE = "refundId";

    /** @throws IllegalArgumentException when the entity holds what no refund record can: see {@link RazorpayJson} */
    public static ProviderRefund fromJson(JsonNode refund) {
        return new ProviderRefund(RazorpayJson.text(refund, "id"), RazorpayJson.text(refund, "payment_id"),
                RazorpayJson.positiveAmount(refund, "amount"), RazorpayJson.currency(refund, "currency"),
                RazorpayJson.text(refund, "status"), RazorpayJson.notes(refund));
    }

    /** The platform's refund id from the notes, when this refund was requested through the platform. */
    public UUID platformRefundId() {
        String note = notes.get(REFUND_ID_NOTE);
        if (note == null) {
            return null;
        }
        try {
            return UUID.fromString(note);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
