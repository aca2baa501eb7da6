package dev.meterbill.billing.pricing;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * A charge of a pricing plan as stored: which metric, how it is aggregated and priced.
 *
 * @param unitPrice    per unit (per_unit) or per package (package), major units
 * @param packageSize  units per package (package)
 * @param flatFeeMinor fee per period (flat), minor units
 * @param freeUnits    deducted from the quantity before the model prices it
 * @param tiers        ordered tiers (graduated, volume)
 */
public record ChargeDefinition(UUID id, String metricName, Aggregation aggregation, ChargeModel model,
                               BigDecimal unitPrice, BigDecimal packageSize, Long flatFeeMinor,
                               BigDecimal freeUnits, List<Tier> tiers) {

    public ChargeDefinition {
        freeUnits = freeUnits == null ? BigDecimal.ZERO : freeUnits;
        tiers = tiers == null ? List.of() : List.copyOf(tiers);
    }
}
