package dev.meterbill.billing.pricing;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * What every charge has, whatever its model: checked by the plan validator, stored in the common
 * columns of {@code plan_charges}, and handed to the model's record to build its definition from.
 *
 * @param freeUnits deducted before pricing; null reads as zero, and a model without free units ignores it
 */
public record ChargeBasics(UUID id, String metricName, Aggregation aggregation, BigDecimal freeUnits) {

    public ChargeBasics {
        freeUnits = orZero(freeUnits);
    }

    static BigDecimal orZero(BigDecimal freeUnits) {
        return freeUnits == null ? BigDecimal.ZERO : freeUnits;
    }
}
