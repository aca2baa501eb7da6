package dev.meterbill.billing.webhook;

import dev.meterbill.billing.http.PublicRoutes;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;

/**
 * HTTP for {@code POST /api/v1/webhooks/razorpay}: no bearer token, the Razorpay signature instead.
 * The body is taken as raw bytes and never turned into a String before it is verified.
 */
public final class RazorpayWebhookHandler {

    public static final String PATH = PublicRoutes.RAZORPAY_WEBHOOK;
    static final String SIGNATURE = "X-Razorpay-Signature";
    static final String EVENT_ID = "X-Razorpay-Event-Id";

    private final RazorpayWebhookService service;

    public RazorpayWebhookHandler(RazorpayWebhookService service) {
        this.service = service;
    }

    public void register(JavalinDefaultRoutingApi routes) {
        routes.post(PATH, this::receive);
    }

    private void receive(Context ctx) {
        ctx.json(service.receive(ctx.bodyAsBytes(), ctx.header(SIGNATURE), ctx.header(EVENT_ID)));
    }
}
