package dev.meterbill.billing.statement;

import dev.meterbill.billing.auth.Authenticator;
import dev.meterbill.billing.http.PathIds;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;

/** HTTP for {@code GET /api/v1/organisations/{orgId}/statement}. */
public record StatementHandler(StatementService service) {

    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/api/v1/organisations/{orgId}/statement", this::get);
    }

    private void get(Context ctx) {
        ctx.json(service.of(Authenticator.caller(ctx), PathIds.uuid(ctx, "orgId", "Organisation")));
    }
}
