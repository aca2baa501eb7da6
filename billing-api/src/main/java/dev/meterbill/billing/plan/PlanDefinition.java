package dev.meterbill.billing.plan;

import dev.meterbill.billing.pricing.ChargeDefinition;
import dev.meterbill.billing.pricing.PricingScope;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A validated plan definition: what a create, update or new-version request describes.
 *
 * @param name null when the request left it to the existing plan (update, new version)
 * @param terms the SAC and limit of the charges that name one, by charge id
 */
public record PlanDefinition(String name, String currency, long minimumCommitmentMinor, PricingScope pricingScope,
                             List<ChargeDefinition> charges, Map<UUID, ChargeTerms> terms) {

    public PlanDefinition {
        charges = List.copyOf(charges);
        terms = Map.copyOf(terms);
    }

    /** A definition whose charges name no SAC or limit of their own. */
    public PlanDefinition(String name, String currency, long minimumCommitmentMinor, PricingScope pricingScope,
                          List<ChargeDefinition> charges) {
        this(name, currency, minimumCommitmentMinor, pricingScope, charges, Map.of());
    }
}
