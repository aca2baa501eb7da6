package dev.meterbill.billing.payment;

import java.util.Map;
import java.util.UUID;

/** A refund as the provider reports it, by a webhook or through its API. */
public record ProviderRefund(String id, String paymentId, long amountMinor, String currency, String status,
                             Map<String, String> notes) {

    /** The note that names the platform's refund row, written when the refund was requested. */
    public static final String REFUND_ID_NOTE = "refundId";

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
