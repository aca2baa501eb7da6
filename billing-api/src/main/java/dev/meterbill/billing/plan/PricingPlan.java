package dev.meterbill.billing.plan;

import dev.meterbill.billing.pricing.ChargeDefinition;
import dev.meterbill.billing.pricing.ChargeFactory;
import dev.meterbill.billing.pricing.ChargeModel;
import dev.meterbill.billing.pricing.DimensionPrice;
import dev.meterbill.billing.pricing.PlanCharge;
import dev.meterbill.billing.pricing.PricingScope;
import dev.meterbill.events.GroupedMetricName;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** A stored version of a pricing plan: its charges per metric and its minimum commitment per period. */
public record PricingPlan(UUID id, String name, int version, String currency, long minimumCommitmentMinor,
                          PricingScope pricingScope, Instant createdAt, List<ChargeDefinition> charges,
                          Map<UUID, ChargeTerms> terms) {

    public PricingPlan {
        charges = List.copyOf(charges);
        terms = Map.copyOf(terms);
    }

    /** A plan whose charges name no SAC or limit of their own. */
    public PricingPlan(UUID id, String name, int version, String currency, long minimumCommitmentMinor,
                       PricingScope pricingScope, Instant createdAt, List<ChargeDefinition> charges) {
        this(id, name, version, currency, minimumCommitmentMinor, pricingScope, createdAt, charges, Map.of());
    }

    /** This plan with other definitions of its charges (an organisation's negotiated prices). */
    public PricingPlan withCharges(List<ChargeDefinition> replaced) {
        return new PricingPlan(id, name, version, currency, minimumCommitmentMinor, pricingScope, createdAt, replaced,
                terms);
    }

    /** The services accounting code a charge names; null: the supplier's default. */
    public String sacOf(UUID chargeId) {
        return termsOf(chargeId).sac();
    }

    public ChargeTerms termsOf(UUID chargeId) {
        return terms.getOrDefault(chargeId, ChargeTerms.NONE);
    }

    /**
     * True when {@code charge} prices the usage rows named {@code metricName}: those of its metric, or, for a charge
     * on a metric definition, those of each group of the definition ({@code <key>{…}}). A flat fee prices no usage.
     */
    public boolean prices(ChargeDefinition charge, String metricName) {
        if (charge.model() == ChargeModel.FLAT) {
            return false;
        }
        String definition = termsOf(charge.id()).metricDefinition();
        if (definition == null) {
            return charge.metricName().equals(metricName);
        }
        GroupedMetricName grouped = GroupedMetricName.parse(metricName);
        return grouped != null && grouped.key().equals(definition);
    }

    /**
     * {@code charge} ready to price the usage rows named {@code metricName}, which it prices: with the first of its
     * dimension prices whose dimensions the group's values match, or with its own price.
     */
    public PlanCharge priceable(ChargeDefinition charge, String metricName) {
        GroupedMetricName grouped = GroupedMetricName.parse(metricName);
        if (grouped != null) {
            for (DimensionPrice price : termsOf(charge.id()).dimensionPrices()) {
                if (grouped.matches(price.dimensions())) {
                    return ChargeFactory.create(price.definition(), currency);
                }
            }
        }
        return ChargeFactory.create(charge, currency);
    }

    /** The charge of this plan that prices the usage rows named {@code metricName}, ready to price them; or none. */
    public Optional<PlanCharge> chargeFor(String metricName) {
        return charges.stream().filter(c -> prices(c, metricName)).findFirst().map(c -> priceable(c, metricName));
    }

    /** The charges ready to price usage, in the plan's order. */
    public List<PlanCharge> priceableCharges() {
        return charges.stream().map(charge -> ChargeFactory.create(charge, currency)).toList();
    }
}
