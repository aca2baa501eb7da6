package dev.meterbill.razorpay.emulator;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** {@code /v1/payments}: fetch, capture, refund and a payment's refunds. State changes emit webhooks. */
final class PaymentsApi {

    private static final Set<String> CAPTURE_FIELDS = Set.of("amount", "currency");
    private static final Set<String> REFUND_FIELDS = Set.of("amount", "speed", "notes", "receipt");

    private final EmulatorState state;
    private final Consumer<List<WebhookEvent>> webhooks;

    PaymentsApi(EmulatorState state, Consumer<List<WebhookEvent>> webhooks) {
        this.state = state;
        this.webhooks = webhooks;
    }

    void register(RoutesConfig routes) {
        routes.get("/v1/payments/{id}", ctx -> Json.respond(ctx, 200, state.payment(ctx.pathParam("id"))));
        routes.post("/v1/payments/{id}/capture", this::capture);
        routes.post("/v1/payments/{id}/refund", this::refund);
        routes.get("/v1/payments/{id}/refunds",
                ctx -> Json.respond(ctx, 200, Json.collection(state.refundsOfPayment(ctx.pathParam("id")))));
        routes.get("/v1/payments/{id}/refunds/{refundId}", this::refundOfPayment);
    }

    private void capture(Context ctx) {
        Map<String, Object> body = Json.body(ctx);
        Validation.onlyKnownFields(body, CAPTURE_FIELDS);
        long amount = Validation.requiredAmount(body, "amount");
        String currency = Validation.currency(body);
        respond(ctx, state.capture(ctx.pathParam("id"), amount, currency));
    }

    private void refund(Context ctx) {
        Map<String, Object> body = Json.body(ctx);
        Validation.onlyKnownFields(body, REFUND_FIELDS);
        Long amount = body.get("amount") == null ? null : Json.amount(body.get("amount"), "amount");
        String speed = Validation.optionalString(body, "speed");
        if (speed != null && !Set.of("normal", "optimum").contains(speed)) {
            throw RazorpayApiException.badField("speed", "The selected speed is invalid.");
        }
        String receipt = Validation.optionalString(body, "receipt");
        respond(ctx, state.refund(ctx.pathParam("id"), amount, Validation.notes(body), receipt,
                speed == null ? "normal" : speed));
    }

    private void refundOfPayment(Context ctx) {
        Map<String, Object> refund = state.refund(ctx.pathParam("refundId"));
        state.payment(ctx.pathParam("id"));
        if (!ctx.pathParam("id").equals(refund.get("payment_id"))) {
            throw RazorpayApiException.notFound();
        }
        Json.respond(ctx, 200, refund);
    }

    /** The answer goes out only after the events are handed over, so a webhook may arrive before the response. */
    private void respond(Context ctx, EmulatorState.Change change) {
        webhooks.accept(change.events());
        Json.respond(ctx, 200, change.entity());
    }
}
