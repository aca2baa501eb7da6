package dev.meterbill.billing.payment;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Razorpay payment as a webhook or the API reports it: the one kind of fact the ledger applies,
 * whichever way it arrived.
 *
 * @param status Razorpay's status (created, authorized, captured, refunded, failed)
 */
public record ProviderPayment(String id, String orderId, long amountMinor, String currency, String status,
                              String method, String errorDescription) {

    /** @throws IllegalArgumentException when the entity holds what no payment record can: see {@link RazorpayJson} */
    public static ProviderPayment fromJson(JsonNode payment) {
        return new ProviderPayment(RazorpayJson.text(payment, "id"), RazorpayJson.text(payment, "order_id"),
                RazorpayJson.positiveAmount(payment, "amount"), RazorpayJson.currency(payment, "currency"),
                RazorpayJson.text(payment, "status"), RazorpayJson.text(payment, "method"),
                RazorpayJson.text(payment, "error_description"));
    }
}
