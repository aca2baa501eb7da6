package dev.meterbill.razorpay.emulator;

import java.util.List;

/**
 * What a simulated checkout did: the payments it created (in order), the events it emitted (in order), and the
 * {@code razorpay_signature} Checkout hands the browser on success (hex HMAC-SHA256 of
 * {@code order_id|payment_id} keyed by the key secret); null when the checkout ended in a failure.
 */
public record SimulatedPayment(String orderId, List<String> paymentIds, List<WebhookEvent> events,
                               String checkoutSignature) {

    public SimulatedPayment {
        paymentIds = List.copyOf(paymentIds);
        events = List.copyOf(events);
    }

    /** The payment that ended the checkout (the captured one after a failed first attempt). */
    SimulatedPayment withCheckoutSignature(String signature) {
        return new SimulatedPayment(orderId, paymentIds, events, signature);
    }

    public String paymentId() {
        return paymentIds.get(paymentIds.size() - 1);
    }

    public List<String> eventTypes() {
        return events.stream().map(WebhookEvent::type).toList();
    }
}
