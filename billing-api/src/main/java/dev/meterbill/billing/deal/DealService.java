package dev.meterbill.billing.deal;

import dev.meterbill.billing.audit.AuditEntry;
import dev.meterbill.billing.audit.AuditLog;
import dev.meterbill.billing.auth.Caller;
import dev.meterbill.billing.db.Sql;
import dev.meterbill.billing.db.Transactions;
import dev.meterbill.billing.error.ConflictException;
import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.error.ForbiddenException;
import dev.meterbill.billing.error.NotFoundException;
import dev.meterbill.billing.error.ValidationException;
import dev.meterbill.billing.period.PeriodCalendar;
import dev.meterbill.billing.plan.PlanRequest;
import dev.meterbill.billing.plan.PricingPlanRepository;
import dev.meterbill.billing.pricing.ChargeBasics;
import dev.meterbill.billing.pricing.ChargeColumns;
import dev.meterbill.billing.pricing.ChargeFieldChecks;
import dev.meterbill.billing.pricing.ChargeDefinition;
import dev.meterbill.billing.pricing.ChargeModel;
import dev.meterbill.billing.pricing.Discount;
import dev.meterbill.billing.pricing.Money;
import dev.meterbill.billing.pricing.Tier;
import dev.meterbill.billing.subscription.SubscriptionRepository;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

/**
 * Negotiated deals of an organisation, all operator-only and audited: its own price for a charge of its
 * plan (versioned; the plan itself never changes), discounts for some periods or forever, and coupons
 * that grant a discount. None of them changes a period that has begun to end: each takes effect from the
 * organisation's current period at the earliest, on invoices generated from then on.
 */
public record DealService(Transactions transactions, DealRepository deals, PricingPlanRepository plans,
                          SubscriptionRepository subscriptions, AuditLog auditLog, Clock clock) {

    /** A discount to grant: a percentage or a fixed amount in minor units. */
    public record DiscountCommand(Discount.Kind kind, BigDecimal percent, BigDecimal amount, String description,
                                  YearMonth firstPeriod, Integer durationPeriods) {}

    /** A coupon to create. */
    public record CouponCommand(String code, Discount.Kind kind, BigDecimal percent, Long amountMinor, String currency,
                                Integer durationPeriods, Integer maxRedemptions, java.time.Instant redeemBy) {}

    /** Refuses a caller who may not change the organisation's deals: 404 for another tenant, 403 for itself. */
    public void authorise(Caller caller, UUID organisationId) {
        visible(caller, organisationId);
        requireOperator(caller);
    }

    public void requireOperator(Caller caller) {
        if (!caller.isOperator()) {
            throw new ForbiddenException("Only the operator manages prices, discounts and coupons");
        }
    }

    // --- price overrides

    /**
     * A new version of the organisation's price for a charge of a plan it is subscribed to, from
     * {@code fromPeriod} (default: its current period). {@code unitPrice} for per-unit and package charges,
     * {@code tiers} for graduated and volume ones; both null goes back to the plan's price.
     */
    public PriceOverride overridePrice(Caller caller, String requestId, UUID organisationId, UUID chargeId,
                                       YearMonth fromPeriod, BigDecimal unitPrice, List<PlanRequest.TierRequest> tiers) {
        authorise(caller, organisationId);
        return transactions.inTransaction(c -> {
            String[] billing = locked(c, organisationId);
            YearMonth from = firstPeriod(billing, fromPeriod, "fromPeriod");
            ChargeDefinition charge = subscribedCharge(c, organisationId, chargeId);
            List<Tier> newTiers = null;
            if (unitPrice != null || tiers != null) {
                ChargeDefinition priced = validated(charge, unitPrice, tiers, billing[0]);
                newTiers = tiers == null ? null : priced.columns().tiers();
            }
            PriceOverride saved = deals.insertOverride(c, organisationId, chargeId, from, unitPrice, newTiers);
            auditLog.record(c, new AuditEntry(caller.actor(), organisationId,
                    saved.revertsToPlan() ? "price_override.reverted" : "price_override.created", "price_override",
                    saved.id().toString(), null, saved, requestId));
            return saved;
        });
    }

    public List<PriceOverride> overrides(Caller caller, UUID organisationId) {
        visible(caller, organisationId);
        return transactions.readOnly(c -> deals.overrides(c, organisationId));
    }

    // --- discounts

    public DiscountGrant grantDiscount(Caller caller, String requestId, UUID organisationId, DiscountCommand command) {
        authorise(caller, organisationId);
        return transactions.inTransaction(c -> {
            String[] billing = locked(c, organisationId);
            YearMonth first = firstPeriod(billing, command.firstPeriod(), "firstPeriod");
            Long amountMinor = null;
            if (command.amount() != null) {
                FieldErrors errors = new FieldErrors();
                amountMinor = ChargeFieldChecks.money(errors, "amount", command.amount(), billing[0]);
                if (errors.isEmpty() && amountMinor <= 0) {
                    errors.add("amount", "must be more than zero");
                }
                errors.throwIfAny();
            }
            String description = command.description() != null ? command.description()
                    : describe(command.kind(), command.percent(), amountMinor, billing[0], command.durationPeriods());
            DiscountGrant granted = deals.insertDiscount(c, organisationId, null, description, command.kind(),
                    command.percent(), amountMinor, first, command.durationPeriods());
            auditLog.record(c, new AuditEntry(caller.actor(), organisationId, "discount.granted", "discount",
                    granted.id().toString(), null, granted, requestId));
            return granted;
        });
    }

    public List<DiscountGrant> discounts(Caller caller, UUID organisationId) {
        visible(caller, organisationId);
        return transactions.readOnly(c -> deals.discounts(c, organisationId));
    }

    /** Removes a discount from the invoices generated from now on; invoices already generated keep it. */
    public DiscountGrant removeDiscount(Caller caller, String requestId, UUID organisationId, UUID discountId) {
        authorise(caller, organisationId);
        return transactions.inTransaction(c -> {
            DiscountGrant removed = deals.removeDiscount(c, organisationId, discountId)
                    .orElseThrow(() -> NotFoundException.of("Discount", discountId));
            auditLog.record(c, new AuditEntry(caller.actor(), organisationId, "discount.removed", "discount",
                    discountId.toString(), null, removed, requestId));
            return removed;
        });
    }

    // --- coupons

    public Coupon createCoupon(Caller caller, String requestId, CouponCommand command) {
        requireOperator(caller);
        return transactions.inTransaction(c -> {
            if (deals.couponExists(c, command.code())) {
                throw new ConflictException("A coupon with code " + command.code() + " exists already");
            }
            Coupon coupon = deals.insertCoupon(c, command.code(), command.kind(), command.percent(), command.amountMinor(),
                    command.currency(), command.durationPeriods(), command.maxRedemptions(), command.redeemBy());
            auditLog.record(c, new AuditEntry(caller.actor(), null, "coupon.created", "coupon", coupon.id().toString(),
                    null, coupon, requestId));
            return coupon;
        });
    }

    public List<Coupon> coupons(Caller caller) {
        requireOperator(caller);
        return transactions.readOnly(deals::coupons);
    }

    /**
     * Applies a coupon to the organisation: its discount from {@code firstPeriod} (default: the current
     * period). Refused when the code is unknown, expired, used up, in another currency or already held.
     */
    public DiscountGrant redeemCoupon(Caller caller, String requestId, UUID organisationId, String code,
                                      YearMonth firstPeriod) {
        authorise(caller, organisationId);
        return transactions.inTransaction(c -> {
            String[] billing = locked(c, organisationId);
            YearMonth first = firstPeriod(billing, firstPeriod, "firstPeriod");
            Coupon coupon = deals.lockCoupon(c, code)
                    .orElseThrow(() -> ValidationException.ofField("code", "is not the code of a coupon"));
            if (coupon.redeemBy() != null && !clock.instant().isBefore(coupon.redeemBy())) {
                throw new ConflictException("Coupon " + code + " expired at " + coupon.redeemBy());
            }
            if (coupon.maxRedemptions() != null && coupon.timesRedeemed() >= coupon.maxRedemptions()) {
                throw new ConflictException("Coupon " + code + " was redeemed " + coupon.maxRedemptions()
                        + " times, its limit");
            }
            if (coupon.currency() != null && !coupon.currency().equals(billing[0])) {
                throw new ConflictException("Coupon " + code + " takes off " + coupon.currency()
                        + " but the organisation is billed in " + billing[0]);
            }
            if (deals.holdsCoupon(c, organisationId, coupon.id())) {
                throw new ConflictException("The organisation already holds coupon " + code);
            }
            DiscountGrant granted = deals.insertDiscount(c, organisationId, coupon.id(), "Coupon " + code + ": "
                    + describe(coupon.kind(), coupon.percent(), coupon.amountMinor(), billing[0],
                    coupon.durationPeriods()), coupon.kind(), coupon.percent(),
                    coupon.kind() == Discount.Kind.FIXED ? coupon.amountMinor() : null, first, coupon.durationPeriods());
            deals.redeemed(c, coupon.id());
            auditLog.record(c, new AuditEntry(caller.actor(), organisationId, "coupon.redeemed", "discount",
                    granted.id().toString(), null, granted, requestId));
            return granted;
        });
    }

    /** "10% off for 3 periods", "500.00 INR off every period". */
    static String describe(Discount.Kind kind, BigDecimal percent, Long amountMinor, String currency,
                           Integer durationPeriods) {
        String off = kind == Discount.Kind.PERCENT ? percent.stripTrailingZeros().toPlainString() + "% off"
                : Money.toMajor(amountMinor, currency).toPlainString() + " " + currency + " off";
        return off + (durationPeriods == null ? " every period"
                : " for " + durationPeriods + " period" + (durationPeriods == 1 ? "" : "s"));
    }

    private void visible(Caller caller, UUID organisationId) {
        if (!caller.mayAccess(organisationId)) {
            throw NotFoundException.of("Organisation", organisationId);
        }
    }

    /** The organisation's currency and timezone, locked so that versions and redemptions queue up. */
    private String[] locked(Connection c, UUID organisationId) throws SQLException {
        return subscriptions.lockOrganisation(c, organisationId, clock.instant())
                .orElseThrow(() -> NotFoundException.of("Organisation", organisationId));
    }

    /** The requested first period, or the current one; never one before the current period. */
    private YearMonth firstPeriod(String[] billing, YearMonth requested, String field) {
        YearMonth current = PeriodCalendar.periodOf(clock.instant(), ZoneId.of(billing[1]));
        if (requested == null) {
            return current;
        }
        if (requested.isBefore(current)) {
            throw ValidationException.ofField(field, "must be " + current + " or later: a period that has begun to"
                    + " end, or ended, keeps its prices (the organisation's timezone is " + billing[1] + ")");
        }
        return requested;
    }

    /** The charge, if it belongs to a plan the organisation is or will be subscribed to. */
    private ChargeDefinition subscribedCharge(Connection c, UUID organisationId, UUID chargeId) throws SQLException {
        UUID planId = Sql.one(c, """
                SELECT ch.pricing_plan_id FROM plan_charges ch
                 WHERE ch.id = ? AND EXISTS (SELECT 1 FROM subscriptions s
                                              WHERE s.organisation_id = ? AND s.pricing_plan_id = ch.pricing_plan_id)
                """, rs -> rs.getObject(1, UUID.class), chargeId, organisationId)
                .orElseThrow(() -> ValidationException.ofField("chargeId",
                        "is not a charge of a plan the organisation is subscribed to"));
        return plans.find(c, planId).orElseThrow().charges().stream().filter(ch -> ch.id().equals(chargeId))
                .findFirst().orElseThrow();
    }

    /** The charge with the new price, checked by its model's own rules (the rules of a plan's charges). */
    private static ChargeDefinition validated(ChargeDefinition charge, BigDecimal unitPrice,
                                              List<PlanRequest.TierRequest> tiers, String currency) {
        ChargeModel model = charge.model();
        boolean tiered = model == ChargeModel.GRADUATED || model == ChargeModel.VOLUME;
        FieldErrors errors = new FieldErrors();
        if (model == ChargeModel.FLAT) {
            errors.add("chargeId", "is a flat fee: it has no unit price or tiers to override (grant a discount)");
        } else if (tiered && unitPrice != null) {
            errors.add("unitPrice", "a " + model.wireName() + " charge is priced by tiers: give tiers");
        } else if (!tiered && tiers != null) {
            errors.add("tiers", "a " + model.wireName() + " charge has a unit price: give unitPrice");
        }
        errors.throwIfAny();
        ChargeColumns own = charge.columns();
        PlanRequest.ChargeRequest request = new PlanRequest.ChargeRequest(charge.metricName(),
                charge.aggregation().wireName(), model.wireName(), unitPrice != null ? unitPrice : own.unitPrice(),
                own.packageSize(), null, charge.freeUnits(), tiers, null, null, null);
        ChargeDefinition priced = model.fromRequest(new ChargeBasics(charge.id(), charge.metricName(),
                charge.aggregation(), charge.freeUnits()), request, errors, "override", currency);
        errors.throwIfAny();
        return priced;
    }
}
