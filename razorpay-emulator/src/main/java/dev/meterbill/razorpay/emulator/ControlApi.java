package dev.meterbill.razorpay.emulator;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The test and demo controls over HTTP, under {@code /_emulator/} and without authentication, for processes
 * that cannot call the Java API (the local stack's demo, scripts). Bodies are camelCase like the platform's API.
 */
final class ControlApi {

    private final RazorpayEmulator emulator;

    ControlApi(RazorpayEmulator emulator) {
        this.emulator = emulator;
    }

    void register(RoutesConfig routes) {
        routes.get("/_emulator/health", ctx -> Json.respond(ctx, 200, Map.of("status", "up")));
        routes.post("/_emulator/orders/{orderId}/pay", this::pay);
        routes.put("/_emulator/webhook", ctx -> {
            Map<String, Object> body = Json.body(ctx);
            emulator.webhook(Validation.requiredString(body, "url"), Validation.requiredString(body, "secret"));
            ctx.status(204);
        });
        routes.put("/_emulator/webhook/secret", ctx -> {
            emulator.webhookSecret(Validation.requiredString(Json.body(ctx), "secret"));
            ctx.status(204);
        });
        routes.put("/_emulator/api-event-delivery", ctx -> {
            emulator.apiEventDelivery(plan(Json.body(ctx)));
            ctx.status(204);
        });
        routes.get("/_emulator/events", ctx -> Json.respond(ctx, 200,
                Map.of("events", emulator.events().stream().map(ControlApi::event).toList())));
        routes.post("/_emulator/events/{eventId}/redeliver", ctx -> {
            emulator.redeliver(ctx.pathParam("eventId"));
            ctx.status(202);
        });
        routes.get("/_emulator/deliveries", this::deliveries);
        routes.post("/_emulator/reset", ctx -> {
            emulator.reset();
            ctx.status(204);
        });
    }

    private void pay(Context ctx) {
        Map<String, Object> body = Json.body(ctx);
        Validation.onlyKnownFields(body, Set.of("outcome", "amount", "currency", "method", "notes", "delivery"));
        PaymentOutcome outcome;
        try {
            outcome = PaymentOutcome.parse(Validation.requiredString(body, "outcome"));
        } catch (IllegalArgumentException e) {
            throw RazorpayApiException.badField("outcome",
                    "outcome must be one of captured, authorized, failed, failed_then_captured, late_authorization");
        }
        Long amount = body.get("amount") == null ? null : Json.amount(body.get("amount"), "amount");
        Object delivery = body.get("delivery");
        @SuppressWarnings("unchecked")
        DeliveryPlan plan = delivery instanceof Map<?, ?> map ? plan((Map<String, Object>) map) : DeliveryPlan.normal();
        SimulatedPayment result = emulator.pay(ctx.pathParam("orderId"), new PaymentSimulation(outcome, amount,
                Validation.optionalString(body, "currency"), Validation.optionalString(body, "method"),
                Validation.notes(body), plan));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("orderId", result.orderId());
        answer.put("paymentIds", result.paymentIds());
        answer.put("razorpaySignature", result.checkoutSignature());
        answer.put("events", result.events().stream().map(e -> Map.of("id", e.id(), "event", e.type())).toList());
        Json.respond(ctx, 200, answer);
    }

    /** {@code ?awaitIdleMs=} first waits for pending deliveries and retries to finish. */
    private void deliveries(Context ctx) throws InterruptedException {
        boolean idle = true;
        String wait = ctx.queryParam("awaitIdleMs");
        if (wait != null) {
            idle = emulator.awaitIdle(Duration.ofMillis(Validation.queryInt(wait, "awaitIdleMs", 0, 0, 600_000)));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Delivery d : emulator.deliveries()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("eventId", d.eventId());
            row.put("event", d.eventType());
            row.put("attempt", d.attempt());
            row.put("httpStatus", d.httpStatus());
            row.put("outcome", d.outcome().name());
            row.put("durationMillis", d.durationMillis());
            row.put("at", d.at().toString());
            rows.add(row);
        }
        Json.respond(ctx, 200, Map.of("idle", idle, "deliveries", rows));
    }

    static DeliveryPlan plan(Map<String, Object> body) {
        DeliveryPlan.Mode mode;
        try {
            mode = body.get("mode") == null ? DeliveryPlan.Mode.NORMAL : DeliveryPlan.Mode.parse(body.get("mode").toString());
        } catch (IllegalArgumentException e) {
            throw RazorpayApiException.badField("mode",
                    "mode must be one of normal, duplicate, duplicate_concurrent, reversed, drop, delayed");
        }
        List<String> dropped = new ArrayList<>();
        if (body.get("drop") instanceof List<?> list) {
            list.forEach(v -> dropped.add(String.valueOf(v)));
        }
        long delayMs = body.get("delayMs") == null ? 0 : Json.amount(body.get("delayMs"), "delayMs");
        return new DeliveryPlan(mode, Set.copyOf(dropped), Duration.ofMillis(delayMs));
    }

    private static Map<String, Object> event(WebhookEvent e) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", e.id());
        row.put("event", e.type());
        row.put("createdAt", e.createdAt());
        row.put("payload", e.payloadText());
        return row;
    }
}
