package dev.meterbill.razorpay.emulator;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Set;

/** {@code /v1/orders}: create, fetch, list (with the receipt filter) and an order's payments. */
final class OrdersApi {

    private static final Set<String> CREATE_FIELDS = Set.of(
            "amount", "currency", "receipt", "notes", "partial_payment", "first_payment_min_amount", "payment_capture");
    static final int MAX_RECEIPT = 40;
    static final long MIN_AMOUNT = 100;

    private final EmulatorState state;

    OrdersApi(EmulatorState state) {
        this.state = state;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/orders", this::create);
        routes.get("/v1/orders", this::list);
        routes.get("/v1/orders/{id}", ctx -> Json.respond(ctx, 200, state.order(ctx.pathParam("id"))));
        routes.get("/v1/orders/{id}/payments",
                ctx -> Json.respond(ctx, 200, Json.collection(state.paymentsOfOrder(ctx.pathParam("id")))));
    }

    private void create(Context ctx) {
        Map<String, Object> body = Json.body(ctx);
        Validation.onlyKnownFields(body, CREATE_FIELDS);
        long amount = Validation.requiredAmount(body, "amount");
        String currency = Validation.currency(body);
        if (amount < MIN_AMOUNT) {
            throw RazorpayApiException.badField("amount", "The amount must be at least " + currency + " 1.00");
        }
        String receipt = Validation.optionalString(body, "receipt");
        if (receipt != null && receipt.length() > MAX_RECEIPT) {
            throw RazorpayApiException.badField("receipt", "The receipt may not be greater than 40 characters.");
        }
        Map<String, Object> notes = Validation.notes(body);
        Boolean partialPayment = Validation.optionalBoolean(body, "partial_payment");
        Json.respond(ctx, 200, state.createOrder(amount, currency, receipt, notes, partialPayment));
    }

    private void list(Context ctx) {
        EmulatorState.OrderQuery query = new EmulatorState.OrderQuery(
                ctx.queryParam("receipt"),
                Validation.queryEpoch(ctx.queryParam("from"), "from"),
                Validation.queryEpoch(ctx.queryParam("to"), "to"),
                Validation.queryInt(ctx.queryParam("skip"), "skip", 0, 0, Integer.MAX_VALUE),
                Validation.queryInt(ctx.queryParam("count"), "count", 10, 1, 100));
        Json.respond(ctx, 200, Json.collection(state.orders(query)));
    }
}
