package dev.meterbill.billing.pricing;

import java.math.BigDecimal;

/** The aggregated usage of one metric in one period, as the columns of usage_aggregates hold it. */
public record UsageQuantities(BigDecimal sum, long count, BigDecimal max, BigDecimal latest) {

    public static final UsageQuantities NONE = new UsageQuantities(BigDecimal.ZERO, 0, BigDecimal.ZERO, BigDecimal.ZERO);
}
