package dev.meterbill.razorpay.emulator;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Renders failures the way Razorpay does, so the SDK raises {@code RazorpayException("CODE:description")}. */
final class RazorpayErrors {

    private static final Logger LOG = LoggerFactory.getLogger(RazorpayErrors.class);

    private RazorpayErrors() {}

    static void install(RoutesConfig routes) {
        routes.exception(RazorpayApiException.class, (e, ctx) -> render(ctx, e));
        // Javalin's own refusals (body too large, unsupported method...) keep their status, in Razorpay's shape
        routes.exception(HttpResponseException.class, (e, ctx) -> render(ctx, new RazorpayApiException(
                e.getStatus(), RazorpayApiException.BAD_REQUEST, e.getMessage(), null, "input_validation_failed")));
        routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("emulator failed on {} {}", ctx.method(), ctx.path(), e);
            Json.respond(ctx, 500, Map.of("error", Map.of(
                    "code", "SERVER_ERROR", "description", "The server encountered an error. The incident has been reported to admins.")));
        });
        // Razorpay answers an unknown URL with 400, not 404; the emulator itself never answers 404
        routes.error(404, ctx -> render(ctx, RazorpayApiException.badRequest("The requested URL was not found on the server.")));
    }

    static void render(Context ctx, RazorpayApiException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", e.code());
        error.put("description", e.getMessage());
        if (e.status() != 401) {
            error.put("source", "business");
            error.put("step", "payment_initiation");
            error.put("reason", e.reason());
            error.put("metadata", Map.of());
            if (e.field() != null) {
                error.put("field", e.field());
            }
        }
        Json.respond(ctx, e.status(), Map.of("error", error));
    }
}
