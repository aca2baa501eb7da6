package dev.meterbill.razorpay.emulator;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds Razorpay event payloads:
 * {@code {"entity":"event","account_id":..,"event":..,"contains":[..],"payload":{"payment":{"entity":{..}}},"created_at":..}}.
 * The bytes are fixed here, once; every delivery of the event sends exactly these bytes.
 */
final class EventFactory {

    private final String accountId;
    private final Clock clock;

    EventFactory(String accountId, Clock clock) {
        this.accountId = accountId;
        this.clock = clock;
    }

    WebhookEvent paymentAuthorized(PaymentRecord payment) {
        return event("payment.authorized", Map.of("payment", payment.toJson()));
    }

    WebhookEvent paymentCaptured(PaymentRecord payment) {
        return event("payment.captured", Map.of("payment", payment.toJson()));
    }

    WebhookEvent paymentFailed(PaymentRecord payment) {
        return event("payment.failed", Map.of("payment", payment.toJson()));
    }

    /** order.paid carries the captured payment and the paid order, in that order, as Razorpay sends them. */
    WebhookEvent orderPaid(PaymentRecord payment, OrderRecord order) {
        Map<String, Map<String, Object>> contents = new LinkedHashMap<>();
        contents.put("payment", payment.toJson());
        contents.put("order", order.toJson());
        return event("order.paid", contents);
    }

    WebhookEvent refundProcessed(RefundRecord refund, PaymentRecord payment) {
        Map<String, Map<String, Object>> contents = new LinkedHashMap<>();
        contents.put("refund", refund.toJson());
        contents.put("payment", payment.toJson());
        return event("refund.processed", contents);
    }

    private WebhookEvent event(String type, Map<String, Map<String, Object>> contents) {
        long createdAt = clock.instant().getEpochSecond();
        Map<String, Object> payload = new LinkedHashMap<>();
        contents.forEach((name, entity) -> payload.put(name, Map.of("entity", entity)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entity", "event");
        body.put("account_id", accountId);
        body.put("event", type);
        body.put("contains", List.copyOf(contents.keySet()));
        body.put("payload", payload);
        body.put("created_at", createdAt);
        return new WebhookEvent(Ids.next(Ids.EVENT), type, createdAt, Json.bytes(body));
    }
}
