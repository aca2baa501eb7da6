package dev.meterbill.razorpay.emulator;

import io.javalin.config.RoutesConfig;

/** {@code /v1/refunds/{id}}. Refunds are created through {@code POST /v1/payments/{id}/refund}. */
final class RefundsApi {

    private final EmulatorState state;

    RefundsApi(EmulatorState state) {
        this.state = state;
    }

    void register(RoutesConfig routes) {
        routes.get("/v1/refunds/{id}", ctx -> Json.respond(ctx, 200, state.refund(ctx.pathParam("id"))));
    }
}
