package dev.meterbill.billing.payment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A Razorpay order as its API reports it; amounts in minor units. */
public record ProviderOrder(String id, long amountMinor, String currency, String receipt, String status,
                            Map<String, String> notes) {

    public static ProviderOrder fromJson(JsonNode order) {
        return new ProviderOrder(RazorpayJson.text(order, "id"), RazorpayJson.amount(order, "amount"),
                RazorpayJson.text(order, "currency"), RazorpayJson.text(order, "receipt"),
                RazorpayJson.text(order, "status"), RazorpayJson.notes(order));
    }
}
