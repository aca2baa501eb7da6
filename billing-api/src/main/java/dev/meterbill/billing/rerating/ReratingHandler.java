package dev.meterbill.billing.rerating;

import dev.meterbill.billing.auth.Authenticator;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.error.ForbiddenException;
import dev.meterbill.billing.http.JsonBody;
import dev.meterbill.billing.http.PathIds;
import dev.meterbill.billing.http.RequestIds;
import dev.meterbill.billing.idempotency.Idempotency;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.UUID;

/**
 * HTTP for re-ratings (operator only): {@code GET /reratings/{id}} shows one with what it changes per project and
 * metric; {@code POST /reratings/{id}/apply} confirms it ({@link Reratings#apply}).
 */
public record ReratingHandler(Reratings reratings, JsonBody jsonBody, Idempotency idempotency) {

    /** Body of the confirmation: a version of the invoice's plan to re-price an invoiced period under, or none. */
    public record ApplyRequest(UUID pricingPlanId) {}

    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/api/v1/reratings/{reratingId}", this::get);
        routes.post("/api/v1/reratings/{reratingId}/apply", idempotency.wrap(this::apply));
    }

    private void get(Context ctx) {
        UUID id = operatorOnly(ctx);
        ctx.json(reratings.find(id));
    }

    private void apply(Context ctx) {
        UUID id = operatorOnly(ctx);
        ApplyRequest body = ctx.body().isBlank() ? new ApplyRequest(null) : jsonBody.read(ctx, ApplyRequest.class);
        ctx.json(reratings.apply(id, body.pricingPlanId(), Authenticator.caller(ctx).actor(), RequestIds.of(ctx)));
    }

    private static UUID operatorOnly(Context ctx) {
        Caller caller = Authenticator.caller(ctx);
        if (!caller.isOperator()) {
            throw new ForbiddenException("Only the operator reviews and applies re-ratings");
        }
        return PathIds.uuid(ctx, "reratingId", "Re-rating");
    }
}
