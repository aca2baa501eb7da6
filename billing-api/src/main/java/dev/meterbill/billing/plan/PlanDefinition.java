package dev.meterbill.billing.plan;

import dev.meterbill.billing.pricing.ChargeDefinition;
import dev.meterbill.billing.pricing.PricingScope;
import java.util.List;

/**
 * A validated plan definition: what a create, update or new-version request describes.
 *
 * @param name null when the request left it to the existing plan (update, new version)
 */
public record PlanDefinition(String name, String currency, long minimumCommitmentMinor, PricingScope pricingScope,
                             List<ChargeDefinition> charges) {

    public PlanDefinition {
        charges = List.copyOf(charges);
    }
}
