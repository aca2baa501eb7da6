package dev.meterbill.razorpay.emulator;

import java.util.LinkedHashMap;
import java.util.Map;

/** A Razorpay payment, mutated only under {@link EmulatorState}'s lock. */
final class PaymentRecord {

    final String id;
    final String orderId;
    final long amount;
    final String currency;
    final String method;
    final String email;
    final String contact;
    final Map<String, Object> notes;
    final long createdAt;
    String status = "created";
    boolean captured;
    long amountRefunded;
    Long fee;
    Long tax;
    String errorCode;
    String errorDescription;
    String errorSource;
    String errorStep;
    String errorReason;

    PaymentRecord(String id, String orderId, long amount, String currency, String method,
                  Map<String, Object> notes, long createdAt) {
        this.id = id;
        this.orderId = orderId;
        this.amount = amount;
        this.currency = currency;
        this.method = method;
        this.email = "customer@example.com";
        this.contact = "+919000090000";
        this.notes = notes;
        this.createdAt = createdAt;
    }

    void fail() {
        status = "failed";
        errorCode = RazorpayApiException.BAD_REQUEST;
        errorDescription = "Payment failed because the customer's bank declined it.";
        errorSource = "bank";
        errorStep = "payment_authorization";
        errorReason = "payment_failed";
    }

    /** Also the late-authorisation path: Razorpay lets a failed payment become authorized afterwards. */
    void authorize() {
        status = "authorized";
        errorCode = null;
        errorDescription = null;
        errorSource = null;
        errorStep = null;
        errorReason = null;
    }

    void capture() {
        status = "captured";
        captured = true;
        // Razorpay's fee: 2% of the amount, plus 18% GST on that fee, both rounded half up in paise
        long baseFee = (amount * 2 + 50) / 100;
        tax = (baseFee * 18 + 50) / 100;
        fee = baseFee + tax;
    }

    String refundStatus() {
        if (amountRefunded == 0) {
            return null;
        }
        return amountRefunded >= amount ? "full" : "partial";
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("entity", "payment");
        json.put("amount", amount);
        json.put("currency", currency);
        json.put("status", status);
        json.put("order_id", orderId);
        json.put("invoice_id", null);
        json.put("international", false);
        json.put("method", method);
        json.put("amount_refunded", amountRefunded);
        json.put("refund_status", refundStatus());
        json.put("captured", captured);
        json.put("description", null);
        json.put("card_id", null);
        json.put("bank", "netbanking".equals(method) ? "HDFC" : null);
        json.put("wallet", null);
        json.put("vpa", "upi".equals(method) ? "success@razorpay" : null);
        json.put("email", email);
        json.put("contact", contact);
        json.put("notes", OrderRecord.notesJson(notes));
        json.put("fee", fee);
        json.put("tax", tax);
        json.put("error_code", errorCode);
        json.put("error_description", errorDescription);
        json.put("error_source", errorSource);
        json.put("error_step", errorStep);
        json.put("error_reason", errorReason);
        json.put("acquirer_data", Map.of());
        json.put("created_at", createdAt);
        return json;
    }
}
