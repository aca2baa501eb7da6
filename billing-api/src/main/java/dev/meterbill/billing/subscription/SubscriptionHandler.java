package dev.meterbill.billing.subscription;

import dev.meterbill.billing.auth.Authenticator;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.http.JsonBody;
import dev.meterbill.billing.http.PathIds;
import dev.meterbill.billing.http.RequestIds;
import dev.meterbill.billing.idempotency.Idempotency;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** HTTP for {@code /api/v1/organisations/{orgId}/subscription}. */
public record SubscriptionHandler(SubscriptionService service, JsonBody jsonBody, Idempotency idempotency) {

    public void register(JavalinDefaultRoutingApi routes) {
        routes.put("/api/v1/organisations/{orgId}/subscription", idempotency.wrap(this::put));
        routes.get("/api/v1/organisations/{orgId}/subscription", this::get);
    }

    /** Body of {@code PUT /organisations/{orgId}/subscription}; startsOn is a date, YYYY-MM-01. */
    public record SubscribeRequest(String pricingPlanId, String startsOn) {}

    /** Response of {@code GET /organisations/{orgId}/subscription}. */
    public record OverviewResponse(UUID organisationId, Subscription current, List<Subscription> upcoming) {}

    private void put(Context ctx) {
        UUID organisationId = PathIds.uuid(ctx, "orgId", "Organisation");
        Caller caller = Authenticator.caller(ctx);
        service.authoriseSubscribe(caller, organisationId);
        SubscribeRequest body = jsonBody.read(ctx, SubscribeRequest.class);
        FieldErrors errors = new FieldErrors();
        UUID planId = parsedOrNull(body.pricingPlanId(), UUID::fromString);
        if (planId == null) {
            errors.add("pricingPlanId", "is required: the id of a pricing plan");
        }
        LocalDate startsOn = parsedOrNull(body.startsOn(), LocalDate::parse);
        if (startsOn == null) {
            errors.add("startsOn", "is required: a date as YYYY-MM-DD");
        } else if (startsOn.isBefore(SubscriptionService.EARLIEST_START) || startsOn.isAfter(SubscriptionService.LATEST_START)) {
            errors.add("startsOn", "must be from " + SubscriptionService.EARLIEST_START + " to "
                    + SubscriptionService.LATEST_START);
        } else if (startsOn.getDayOfMonth() != 1) {
            errors.add("startsOn", "must be the first day of a month: periods are calendar months");
        }
        errors.throwIfAny();
        ctx.json(service.subscribe(caller, RequestIds.of(ctx), organisationId, planId, startsOn));
    }

    /** The value parsed, or null when it is absent or does not parse: the caller reports both as one error. */
    private static <T> T parsedOrNull(String value, Function<String, T> parser) {
        if (value == null) {
            return null;
        }
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return null;
        }
    }

    private void get(Context ctx) {
        UUID organisationId = PathIds.uuid(ctx, "orgId", "Organisation");
        SubscriptionService.Overview overview = service.overview(Authenticator.caller(ctx), organisationId);
        ctx.json(new OverviewResponse(overview.organisationId(), overview.current(), overview.upcoming()));
    }
}
