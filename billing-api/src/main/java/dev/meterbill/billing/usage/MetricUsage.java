package dev.meterbill.billing.usage;

import java.math.BigDecimal;
import java.util.List;

/**
 * One metric's totals of a project for a billing period, as the aggregation job wrote them, with
 * the days of the period that have usage, in order.
 */
public record MetricUsage(String metricName, String unit, BigDecimal sum, long count, BigDecimal min,
                          BigDecimal max, BigDecimal latest, boolean isFinal, List<DailyUsage> days) {

    public MetricUsage {
        days = List.copyOf(days);
    }
}
