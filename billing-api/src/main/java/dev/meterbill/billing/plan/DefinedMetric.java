package dev.meterbill.billing.plan;

import java.util.Set;

/**
 * What a plan charge needs to know of a metric definition it prices: its current aggregation, and every group-by key
 * some version of it has (a dimension price may name any of them).
 */
public record DefinedMetric(String key, String aggregation, Set<String> groupKeys) {

    public DefinedMetric {
        groupKeys = Set.copyOf(groupKeys);
    }
}
