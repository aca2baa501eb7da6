package dev.meterbill.billing.deal;

import dev.meterbill.billing.plan.PricingPlan;
import dev.meterbill.billing.pricing.ChargeColumns;
import dev.meterbill.billing.pricing.ChargeDefinition;
import dev.meterbill.billing.pricing.Tier;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One version of an organisation's own price for a charge of its plan, from {@code fromPeriod} on: a unit
 * price (per unit, package) or tiers (graduated, volume). A version with neither goes back to the plan's
 * price.
 */
public record PriceOverride(UUID id, UUID organisationId, UUID chargeId, int version, YearMonth fromPeriod,
                            BigDecimal unitPrice, List<Tier> tiers, Instant createdAt) {

    public boolean revertsToPlan() {
        return unitPrice == null && tiers == null;
    }

    /** The plan with the organisation's prices in force ({@code overrides} by charge id; null: none). */
    public static PricingPlan applyAll(PricingPlan plan, Map<UUID, PriceOverride> overrides) {
        if (overrides == null || overrides.isEmpty()) {
            return plan;
        }
        return plan.withCharges(plan.charges().stream()
                .map(charge -> overrides.containsKey(charge.id()) ? overrides.get(charge.id()).applyTo(charge) : charge)
                .toList());
    }

    /** The plan's charge with this price. */
    public ChargeDefinition applyTo(ChargeDefinition charge) {
        if (revertsToPlan()) {
            return charge;
        }
        ChargeColumns own = charge.columns();
        return charge.model().fromColumns(
                new dev.meterbill.billing.pricing.ChargeBasics(charge.id(), charge.metricName(), charge.aggregation(),
                        charge.freeUnits()),
                new ChargeColumns(unitPrice != null ? unitPrice : own.unitPrice(), own.packageSize(), own.flatFeeMinor(),
                        tiers != null ? tiers : own.tiers()));
    }
}
