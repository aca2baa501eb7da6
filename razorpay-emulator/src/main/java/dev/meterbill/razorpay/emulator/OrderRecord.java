package dev.meterbill.razorpay.emulator;

import java.util.Map;

/** A Razorpay order, mutated only under {@link EmulatorState}'s lock. */
final class OrderRecord {

    final String id;
    final long amount;
    final String currency;
    final String receipt;
    final Map<String, Object> notes;
    final Boolean partialPayment;
    final long createdAt;
    long amountPaid;
    int attempts;
    String status = "created";

    OrderRecord(String id, long amount, String currency, String receipt, Map<String, Object> notes,
                Boolean partialPayment, long createdAt) {
        this.id = id;
        this.amount = amount;
        this.currency = currency;
        this.receipt = receipt;
        this.notes = notes;
        this.partialPayment = partialPayment;
        this.createdAt = createdAt;
    }

    boolean isPaid() {
        return "paid".equals(status);
    }

    /** A snapshot in Razorpay's field order; webhooks carry the snapshot taken when the event happened. */
    Map<String, Object> toJson() {
        Map<String, Object> json = Json.object("id", id, "entity", "order", "amount", amount, "amount_paid", amountPaid,
                "amount_due", Math.max(0, amount - amountPaid), "currency", currency, "receipt", receipt, "offer_id", null);
        if (partialPayment != null) {
            json.put("partial_payment", partialPayment);
        }
        json.putAll(Json.object("status", status, "attempts", attempts, "notes", Json.notes(notes),
                "created_at", createdAt));
        return json;
    }
}
