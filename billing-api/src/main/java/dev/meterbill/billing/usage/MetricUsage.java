package dev.meterbill.billing.usage;

import java.math.BigDecimal;

/** One metric's totals of a project for a billing period, as the aggregation job wrote them. */
public record MetricUsage(String metricName, String unit, BigDecimal sum, long count, BigDecimal min,
                          BigDecimal max, BigDecimal latest, boolean isFinal) {}
