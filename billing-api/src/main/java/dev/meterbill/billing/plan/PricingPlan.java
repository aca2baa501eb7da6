package dev.meterbill.billing.plan;

import dev.meterbill.billing.pricing.ChargeDefinition;
import dev.meterbill.billing.pricing.ChargeFactory;
import dev.meterbill.billing.pricing.PlanCharge;
import dev.meterbill.billing.pricing.PricingScope;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

    /** The charges ready to price usage, in the plan's order. */
    public List<PlanCharge> priceableCharges() {
        return charges.stream().map(charge -> ChargeFactory.create(charge, currency)).toList();
    }
}
