package dev.meterbill.billing.plan;

import dev.meterbill.billing.pricing.ChargeRequestFields;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /pricing-plans}, {@code PUT /pricing-plans/{id}} and {@code POST /pricing-plans/{id}/versions}.
 * {@code pricingScope} is {@code organisation} (the default) or {@code project}.
 * Money amounts (minimumCommitment, flatFee) are major units, unit prices up to eight decimals.
 */
public record PlanRequest(String name, String currency, BigDecimal minimumCommitment, String pricingScope,
                          List<ChargeRequest> charges) {

    /**
     * One charge of the plan; the model's record checks the fields of its model. A charge on a metric definition
     * ({@code metricDefinition}, its key) prices each group of the definition's usage on its own, with the first of
     * its {@code dimensionPrices} whose dimensions the group matches, or its own price.
     */
    public record ChargeRequest(String metricName, String aggregation, String model, BigDecimal unitPrice,
                                BigDecimal packageSize, BigDecimal flatFee, BigDecimal freeUnits,
                                List<TierRequest> tiers, String sac, BigDecimal limit, String limitKind,
                                String metricDefinition, List<DimensionPriceRequest> dimensionPrices)
            implements ChargeRequestFields {

        /** A charge on a metric of events, without dimensions. */
        public ChargeRequest(String metricName, String aggregation, String model, BigDecimal unitPrice,
                             BigDecimal packageSize, BigDecimal flatFee, BigDecimal freeUnits, List<TierRequest> tiers,
                             String sac, BigDecimal limit, String limitKind) {
            this(metricName, aggregation, model, unitPrice, packageSize, flatFee, freeUnits, tiers, sac, limit, limitKind,
                    null, null);
        }
    }

    /** The price of the groups whose values match {@code dimensions}, e.g. {@code {"model": "large"}}. */
    public record DimensionPriceRequest(Map<String, String> dimensions, String model, BigDecimal unitPrice,
                                        BigDecimal packageSize, BigDecimal freeUnits, List<TierRequest> tiers)
            implements ChargeRequestFields {

        /** A flat fee prices no usage: a dimension price never has one (tiers carry their own). */
        @Override
        public BigDecimal flatFee() {
            return null;
        }
    }

    /** One tier; {@code upTo} null is the open last tier. */
    public record TierRequest(BigDecimal upTo, BigDecimal unitPrice, BigDecimal flatFee)
            implements ChargeRequestFields.TierFields {}
}
