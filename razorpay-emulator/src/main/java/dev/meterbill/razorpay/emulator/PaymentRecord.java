package dev.meterbill.razorpay.emulator;

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
        return Json.object("id", id, "entity", "payment", "amount", amount, "currency", currency, "status", status,
                "order_id", orderId, "invoice_id", null, "international", false, "method", method,
                "amount_refunded", amountRefunded, "refund_status", refundStatus(), "captured", captured,
                "description", null, "card_id", null, "bank", "netbanking".equals(method) ? "HDFC" : null,
                "wallet", null, "vpa", "upi".equals(method) ? "success@razorpay" : null, "email", email,
                "contact", contact, "notes", Json.notes(notes), "fee", fee, "tax", tax, "error_code", errorCode,
                "error_description", errorDescription, "error_source", errorSource, "error_step", errorStep,
                "error_reason", errorReason, "acquirer_data", Map.of(), "created_at", createdAt);
    }
}
