package dev.meterbill.billing.plan;

import dev.meterbill.billing.auth.Authenticator;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.http.JsonBody;
import dev.meterbill.billing.http.PathIds;
import dev.meterbill.billing.http.RequestIds;
import dev.meterbill.billing.idempotency.Idempotency;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.List;
import java.util.UUID;

/** HTTP for {@code /api/v1/pricing-plans}. */
public record PricingPlanHandler(PricingPlanService service, JsonBody jsonBody, Idempotency idempotency) {

    public void register(JavalinDefaultRoutingApi routes) {
        routes.post("/api/v1/pricing-plans", idempotency.wrap(this::create));
        routes.get("/api/v1/pricing-plans", this::list);
        routes.get("/api/v1/pricing-plans/{planId}", this::get);
        routes.put("/api/v1/pricing-plans/{planId}", idempotency.wrap(this::update));
        routes.post("/api/v1/pricing-plans/{planId}/versions", idempotency.wrap(this::createVersion));
    }

    /** Response of {@code GET /pricing-plans}. */
    public record ListResponse(List<PlanView> pricingPlans) {}

    private void create(Context ctx) {
        Caller caller = Authenticator.caller(ctx);
        service.authoriseCreate(caller);
        PlanRequest request = jsonBody.read(ctx, PlanRequest.class);
        PlanDefinition definition = PlanValidator.validate(request, true, null, service.definedMetrics());
        ctx.status(HttpStatus.CREATED).json(service.create(caller, RequestIds.of(ctx), definition));
    }

    private void list(Context ctx) {
        String name = ctx.queryParam("name");
        ctx.json(new ListResponse(service.list(Authenticator.caller(ctx), name == null || name.isBlank() ? null : name)));
    }

    private void get(Context ctx) {
        ctx.json(service.get(Authenticator.caller(ctx), planId(ctx)));
    }

    private void update(Context ctx) {
        UUID id = planId(ctx);
        Caller caller = Authenticator.caller(ctx);
        service.authoriseChange(caller, id);
        PlanRequest request = jsonBody.read(ctx, PlanRequest.class);
        ctx.json(service.update(caller, RequestIds.of(ctx), id, request));
    }

    private void createVersion(Context ctx) {
        UUID id = planId(ctx);
        Caller caller = Authenticator.caller(ctx);
        service.authoriseChange(caller, id);
        PlanRequest request = jsonBody.read(ctx, PlanRequest.class);
        ctx.status(HttpStatus.CREATED).json(service.createVersion(caller, RequestIds.of(ctx), id, request));
    }

    private static UUID planId(Context ctx) {
        return PathIds.uuid(ctx, "planId", "Pricing plan");
    }
}
