package dev.meterbill.billing.deal;

import dev.meterbill.billing.auth.Authenticator;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.http.JsonBody;
import dev.meterbill.billing.http.PathIds;
import dev.meterbill.billing.http.RequestIds;
import dev.meterbill.billing.idempotency.Idempotency;
import dev.meterbill.billing.plan.PlanRequest;
import dev.meterbill.billing.pricing.ChargeFieldChecks;
import dev.meterbill.billing.pricing.Discount;
import dev.meterbill.billing.pricing.Money;
import dev.meterbill.events.BillingPeriod;
import dev.meterbill.events.Decimals;
import dev.meterbill.events.TextRules;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** HTTP for an organisation's price overrides, discounts and coupons, and for the coupons themselves. */
public record DealHandler(DealService service, JsonBody jsonBody, Idempotency idempotency) {

    static final Pattern CODE = Pattern.compile("[A-Z0-9_-]{3,40}");
    static final int MAX_DESCRIPTION_LENGTH = 200;
    static final int MAX_DURATION_PERIODS = 1200;

    public void register(JavalinDefaultRoutingApi routes) {
        routes.post("/api/v1/organisations/{orgId}/price-overrides", idempotency.wrap(this::overridePrice));
        routes.get("/api/v1/organisations/{orgId}/price-overrides", this::overrides);
        routes.post("/api/v1/organisations/{orgId}/discounts", idempotency.wrap(this::grantDiscount));
        routes.get("/api/v1/organisations/{orgId}/discounts", this::discounts);
        routes.delete("/api/v1/organisations/{orgId}/discounts/{discountId}", idempotency.wrap(this::removeDiscount));
        routes.post("/api/v1/organisations/{orgId}/coupons", idempotency.wrap(this::redeemCoupon));
        routes.post("/api/v1/coupons", idempotency.wrap(this::createCoupon));
        routes.get("/api/v1/coupons", this::coupons);
    }

    /**
     * Body of {@code POST /organisations/{id}/price-overrides}: the charge, and its new unit price or tiers
     * (neither: back to the plan's price), from a period (default: the current one).
     */
    public record PriceOverrideRequest(String chargeId, BigDecimal unitPrice, List<PlanRequest.TierRequest> tiers,
                                       String fromPeriod) {}

    /** Body of {@code POST /organisations/{id}/discounts}: percent or amount, for some periods or forever. */
    public record DiscountRequest(String kind, BigDecimal percent, BigDecimal amount, String description,
                                  String firstPeriod, Integer durationPeriods) {}

    /** Body of {@code POST /coupons}. */
    public record CouponRequest(String code, String kind, BigDecimal percent, BigDecimal amount, String currency,
                                Integer durationPeriods, Integer maxRedemptions, String redeemBy) {}

    /** Body of {@code POST /organisations/{id}/coupons}: the code to apply. */
    public record RedeemRequest(String code, String firstPeriod) {}

    /** Lists. */
    public record OverrideList(UUID organisationId, List<PriceOverride> priceOverrides) {}

    public record DiscountList(UUID organisationId, List<DiscountGrant> discounts) {}

    public record CouponList(List<Coupon> coupons) {}

    private void overridePrice(Context ctx) {
        UUID organisationId = PathIds.uuid(ctx, "orgId", "Organisation");
        Caller caller = Authenticator.caller(ctx);
        service.authorise(caller, organisationId);
        PriceOverrideRequest body = jsonBody.read(ctx, PriceOverrideRequest.class);
        FieldErrors errors = new FieldErrors();
        UUID chargeId = null;
        try {
            chargeId = body.chargeId() == null ? null : UUID.fromString(body.chargeId());
        } catch (IllegalArgumentException e) {
            // reported below
        }
        if (chargeId == null) {
            errors.add("chargeId", "is required: the id of a charge of the organisation's plan");
        }
        if (body.unitPrice() != null && body.tiers() != null) {
            errors.add("unitPrice", "give either unitPrice or tiers");
        }
        YearMonth from = period(errors, "fromPeriod", body.fromPeriod());
        errors.throwIfAny();
        ctx.status(HttpStatus.CREATED).json(service.overridePrice(caller, RequestIds.of(ctx), organisationId, chargeId,
                from, body.unitPrice(), body.tiers()));
    }

    private void overrides(Context ctx) {
        UUID organisationId = PathIds.uuid(ctx, "orgId", "Organisation");
        ctx.json(new OverrideList(organisationId, service.overrides(Authenticator.caller(ctx), organisationId)));
    }

    private void grantDiscount(Context ctx) {
        UUID organisationId = PathIds.uuid(ctx, "orgId", "Organisation");
        Caller caller = Authenticator.caller(ctx);
        service.authorise(caller, organisationId);
        DiscountRequest body = jsonBody.read(ctx, DiscountRequest.class);
        FieldErrors errors = new FieldErrors();
        Discount.Kind kind = kind(errors, body.kind(), body.percent(), body.amount());
        String description = body.description() == null || body.description().isBlank() ? null
                : body.description().strip();
        if (TextRules.violation(description, MAX_DESCRIPTION_LENGTH) != null) {
            errors.add("description", TextRules.violation(description, MAX_DESCRIPTION_LENGTH));
        }
        YearMonth first = period(errors, "firstPeriod", body.firstPeriod());
        duration(errors, "durationPeriods", body.durationPeriods());
        errors.throwIfAny();
        ctx.status(HttpStatus.CREATED).json(service.grantDiscount(caller, RequestIds.of(ctx), organisationId,
                new DealService.DiscountCommand(kind, body.percent(), body.amount(), description, first,
                        body.durationPeriods())));
    }

    private void discounts(Context ctx) {
        UUID organisationId = PathIds.uuid(ctx, "orgId", "Organisation");
        ctx.json(new DiscountList(organisationId, service.discounts(Authenticator.caller(ctx), organisationId)));
    }

    private void removeDiscount(Context ctx) {
        UUID organisationId = PathIds.uuid(ctx, "orgId", "Organisation");
        UUID discountId = PathIds.uuid(ctx, "discountId", "Discount");
        ctx.json(service.removeDiscount(Authenticator.caller(ctx), RequestIds.of(ctx), organisationId, discountId));
    }

    private void redeemCoupon(Context ctx) {
        UUID organisationId = PathIds.uuid(ctx, "orgId", "Organisation");
        Caller caller = Authenticator.caller(ctx);
        service.authorise(caller, organisationId);
        RedeemRequest body = jsonBody.read(ctx, RedeemRequest.class);
        FieldErrors errors = new FieldErrors();
        String code = code(errors, body.code());
        YearMonth first = period(errors, "firstPeriod", body.firstPeriod());
        errors.throwIfAny();
        ctx.status(HttpStatus.CREATED).json(service.redeemCoupon(caller, RequestIds.of(ctx), organisationId, code,
                first));
    }

    private void createCoupon(Context ctx) {
        Caller caller = Authenticator.caller(ctx);
        service.requireOperator(caller);
        CouponRequest body = jsonBody.read(ctx, CouponRequest.class);
        FieldErrors errors = new FieldErrors();
        String code = code(errors, body.code());
        Discount.Kind kind = kind(errors, body.kind(), body.percent(), body.amount());
        String currency = null;
        Long amountMinor = null;
        if (kind == Discount.Kind.FIXED) {
            currency = body.currency() == null ? "INR" : body.currency().strip().toUpperCase(Locale.ROOT);
            if (!Money.isBillable(currency)) {
                errors.add("currency", "must be an ISO 4217 currency code with a minor unit, such as INR");
            } else {
                amountMinor = ChargeFieldChecks.money(errors, "amount", body.amount(), currency);
                if (amountMinor == 0) {
                    errors.add("amount", "must be more than zero");
                }
            }
        } else if (body.currency() != null) {
            errors.add("currency", "a percentage has no currency");
        }
        duration(errors, "durationPeriods", body.durationPeriods());
        if (body.maxRedemptions() != null && body.maxRedemptions() < 1) {
            errors.add("maxRedemptions", "must be 1 or more (leave it out for no limit)");
        }
        Instant redeemBy = null;
        if (body.redeemBy() != null) {
            try {
                redeemBy = Instant.parse(body.redeemBy());
            } catch (DateTimeParseException e) {
                errors.add("redeemBy", "must be an instant such as 2026-12-31T18:30:00Z");
            }
        }
        errors.throwIfAny();
        ctx.status(HttpStatus.CREATED).json(service.createCoupon(caller, RequestIds.of(ctx), new DealService.CouponCommand(
                code, kind, body.percent(), amountMinor, currency, body.durationPeriods(), body.maxRedemptions(),
                redeemBy)));
    }

    private void coupons(Context ctx) {
        ctx.json(new CouponList(service.coupons(Authenticator.caller(ctx))));
    }

    private static String code(FieldErrors errors, String value) {
        String code = value == null ? null : value.strip().toUpperCase(Locale.ROOT);
        if (code == null || !CODE.matcher(code).matches()) {
            errors.add("code", "is required: 3 to 40 letters, digits, - or _");
            return null;
        }
        return code;
    }

    /** percent with a percentage of (0, 100], two decimals at most; fixed with an amount. */
    private static Discount.Kind kind(FieldErrors errors, String kind, BigDecimal percent, BigDecimal amount) {
        if ("percent".equals(kind)) {
            if (amount != null) {
                errors.add("amount", "a percentage discount has no amount");
            }
            if (percent == null || percent.signum() <= 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0
                    || Decimals.violation(percent, 2, 3) != null) {
                errors.add("percent", "must be more than 0 and at most 100, with at most two decimals");
            }
            return Discount.Kind.PERCENT;
        }
        if ("fixed".equals(kind)) {
            if (percent != null) {
                errors.add("percent", "a fixed discount has no percentage");
            }
            if (amount == null) {
                errors.add("amount", "is required: the amount off, in major units");
            }
            return Discount.Kind.FIXED;
        }
        errors.add("kind", "must be percent or fixed");
        return null;
    }

    private static void duration(FieldErrors errors, String field, Integer periods) {
        if (periods != null && (periods < 1 || periods > MAX_DURATION_PERIODS)) {
            errors.add(field, "must be from 1 to " + MAX_DURATION_PERIODS + " periods (leave it out for every period)");
        }
    }

    private static YearMonth period(FieldErrors errors, String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return BillingPeriod.parseMonth(value);
        } catch (IllegalArgumentException e) {
            errors.add(field, "must be a month as YYYY-MM");
            return null;
        }
    }
}
