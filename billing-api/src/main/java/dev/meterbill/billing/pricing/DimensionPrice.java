package dev.meterbill.billing.pricing;

import java.util.Map;

/**
 * A price of a charge on a metric definition for the groups whose values match {@code dimensions} (every named
 * group-by key has that value), e.g. {@code model=large}. Its {@code definition} carries the charge's id, metric and
 * aggregation with its own model and free units; the groups no dimension price matches get the charge's own price.
 */
public record DimensionPrice(Map<String, String> dimensions, ChargeDefinition definition) {

    public DimensionPrice {
        dimensions = Map.copyOf(dimensions);
    }
}
