package dev.meterbill.billing.plan;

import dev.meterbill.billing.pricing.DimensionPrice;
import java.math.BigDecimal;
import java.util.List;

/**
 * What a plan charge says beside its own price: the services accounting code of what it sells; the limit of its
 * metric per period (entitlements): {@code hard} (our user refuses beyond it, and {@code entitlement.exhausted} fires)
 * or {@code soft} (reported, never refused); and, for a charge on a metric definition, the definition's key and the
 * prices of its dimensions, first match wins (docs/metering.md). Null fields: none.
 */
public record ChargeTerms(String sac, BigDecimal limit, String limitKind, String metricDefinition,
                          List<DimensionPrice> dimensionPrices) {

    public static final ChargeTerms NONE = new ChargeTerms(null, null, null, null, List.of());

    public ChargeTerms {
        dimensionPrices = dimensionPrices == null ? List.of() : List.copyOf(dimensionPrices);
    }

    public boolean isEmpty() {
        return sac == null && limit == null && metricDefinition == null;
    }
}
