package dev.meterbill.billing.plan;

import dev.meterbill.billing.pricing.ChargeRequestFields;
import java.math.BigDecimal;
import java.util.List;

/**
 * Body of {@code POST /pricing-plans}, {@code PUT /pricing-plans/{id}} and {@code POST /pricing-plans/{id}/versions}.
 * {@code pricingScope} is {@code organisation} (the default) or {@code project}.
 * Money amounts (minimumCommitment, flatFee) are major units, unit prices up to eight decimals.
 */
public record PlanRequest(String name, String currency, BigDecimal minimumCommitment, String pricingScope,
                          List<ChargeRequest> charges) {

    /** One charge of the plan; the model's record checks the fields of its model. */
    public record ChargeRequest(String metricName, String aggregation, String model, BigDecimal unitPrice,
                                BigDecimal packageSize, BigDecimal flatFee, BigDecimal freeUnits,
                                List<TierRequest> tiers, String sac, BigDecimal limit, String limitKind)
            implements ChargeRequestFields {}

    /** One tier; {@code upTo} null is the open last tier. */
    public record TierRequest(BigDecimal upTo, BigDecimal unitPrice, BigDecimal flatFee)
            implements ChargeRequestFields.TierFields {}
}
