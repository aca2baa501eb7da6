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
        routes.delete("/api/v1/organisations/{orgId}/subscription", idempotency.wrap(this::end));
    }

    /** The longest trial: a year. */
    static final int MAX_TRIAL_DAYS = 366;

    /**
     * Body of {@code PUT /organisations/{orgId}/subscription}; startsOn is a date, YYYY-MM-01. A trial is
     * given as {@code trialDays} from startsOn or as {@code trialEndsOn}, the first day billed.
     */
    public record SubscribeRequest(String pricingPlanId, String startsOn, Integer trialDays, String trialEndsOn) {}

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
        LocalDate trialEndsOn = null;
        if (body.trialDays() != null && body.trialEndsOn() != null) {
            errors.add("trialDays", "give either trialDays or trialEndsOn, not both");
        } else if (body.trialDays() != null) {
            if (body.trialDays() < 1 || body.trialDays() > MAX_TRIAL_DAYS) {
                errors.add("trialDays", "must be from 1 to " + MAX_TRIAL_DAYS);
            } else if (startsOn != null) {
                trialEndsOn = startsOn.plusDays(body.trialDays());
            }
        } else if (body.trialEndsOn() != null) {
            trialEndsOn = parsedOrNull(body.trialEndsOn(), LocalDate::parse);
            if (trialEndsOn == null) {
                errors.add("trialEndsOn", "must be a date as YYYY-MM-DD: the first day billed");
            } else if (startsOn != null && (!trialEndsOn.isAfter(startsOn)
                    || trialEndsOn.isAfter(startsOn.plusDays(MAX_TRIAL_DAYS)))) {
                errors.add("trialEndsOn", "must be after startsOn and at most " + MAX_TRIAL_DAYS + " days after it");
            }
        }
        errors.throwIfAny();
        ctx.json(service.subscribe(caller, RequestIds.of(ctx), organisationId, planId, startsOn, trialEndsOn));
    }

    /** {@code DELETE /organisations/{orgId}/subscription?at=period_end|now} or {@code ?endsOn=YYYY-MM-DD}. */
    private void end(Context ctx) {
        UUID organisationId = PathIds.uuid(ctx, "orgId", "Organisation");
        Caller caller = Authenticator.caller(ctx);
        service.authoriseSubscribe(caller, organisationId);
        String at = ctx.queryParam("at");
        String endsOnParam = ctx.queryParam("endsOn");
        FieldErrors errors = new FieldErrors();
        SubscriptionService.EndAt endAt = SubscriptionService.EndAt.PERIOD_END;
        LocalDate endsOn = null;
        if (at != null && endsOnParam != null) {
            errors.add("at", "give either at or endsOn, not both");
        } else if (endsOnParam != null) {
            endsOn = parsedOrNull(endsOnParam, LocalDate::parse);
            if (endsOn == null || endsOn.isAfter(SubscriptionService.LATEST_START)) {
                errors.add("endsOn", "must be a date as YYYY-MM-DD, the first day no longer served");
            }
        } else if ("now".equals(at)) {
            endAt = SubscriptionService.EndAt.NOW;
        } else if (at != null && !"period_end".equals(at)) {
            errors.add("at", "must be period_end (the default) or now");
        }
        errors.throwIfAny();
        ctx.json(service.end(caller, RequestIds.of(ctx), organisationId, endAt, endsOn));
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
