package dev.meterbill.razorpay.emulator;

import java.util.LinkedHashMap;
import java.util.Map;

/** A Razorpay refund; the emulator processes refunds immediately, so its status is always {@code processed}. */
record RefundRecord(String id, String paymentId, long amount, String currency, Map<String, Object> notes,
                    String receipt, String speedRequested, long createdAt) {

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("entity", "refund");
        json.put("amount", amount);
        json.put("currency", currency);
        json.put("payment_id", paymentId);
        json.put("notes", OrderRecord.notesJson(notes));
        json.put("receipt", receipt);
        Map<String, Object> acquirer = new LinkedHashMap<>();
        acquirer.put("arn", null);
        json.put("acquirer_data", acquirer);
        json.put("created_at", createdAt);
        json.put("batch_id", null);
        json.put("status", "processed");
        json.put("speed_processed", "normal");
        json.put("speed_requested", speedRequested);
        return json;
    }
}
