package dev.meterbill.razorpay.emulator;

import java.util.LinkedHashMap;
import java.util.List;
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
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("entity", "order");
        json.put("amount", amount);
        json.put("amount_paid", amountPaid);
        json.put("amount_due", Math.max(0, amount - amountPaid));
        json.put("currency", currency);
        json.put("receipt", receipt);
        json.put("offer_id", null);
        if (partialPayment != null) {
            json.put("partial_payment", partialPayment);
        }
        json.put("status", status);
        json.put("attempts", attempts);
        json.put("notes", notesJson(notes));
        json.put("created_at", createdAt);
        return json;
    }

    /** Razorpay renders empty notes as {@code []}, not {@code {}}: a client must accept both. */
    static Object notesJson(Map<String, Object> notes) {
        return notes.isEmpty() ? List.of() : new LinkedHashMap<>(notes);
    }
}
