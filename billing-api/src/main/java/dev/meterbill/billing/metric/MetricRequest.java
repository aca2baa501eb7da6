package dev.meterbill.billing.metric;

import java.time.Instant;
import java.util.List;

/**
 * Body of {@code POST /metrics} (key, displayName, unit and aggregation required) and of {@code PATCH /metrics/{key}}
 * (key absent; every field left out keeps the current version's value; filters and groupBy given as [] clear them).
 */
public record MetricRequest(String key, String displayName, String unit, String eventMetric, String aggregation,
                            String uniqueProperty, List<MetricDefinition.Filter> filters, List<String> groupBy,
                            Instant effectiveFrom) {}
