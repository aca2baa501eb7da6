package dev.meterbill.billing.http;

import dev.meterbill.billing.auth.Authenticator;
import io.javalin.http.Context;
import java.util.Set;

/**
 * The routes under /api/v1 that take no bearer token: the OpenAPI document, and Razorpay's webhook
 * and checkout callback, which prove themselves with Razorpay signatures instead (verified by their
 * handlers before anything is stored). Everything else goes through the {@link Authenticator}.
 */
public final class PublicRoutes {

    public static final String RAZORPAY_WEBHOOK = "/api/v1/webhooks/razorpay";
    public static final String RAZORPAY_CALLBACK = "/api/v1/payments/razorpay/callback";
    public static final Set<String> PATHS = Set.of(OpenApiHandler.PATH, RAZORPAY_WEBHOOK, RAZORPAY_CALLBACK);

    private PublicRoutes() {}

    public static boolean isPublic(Context ctx) {
        return PATHS.contains(ctx.path());
    }
}
