package dev.meterbill.billing.usage;

import java.math.BigDecimal;
import java.time.LocalDate;

/** One metric's totals of a project on one day of the billing timezone, as the aggregation job wrote them. */
public record DailyUsage(LocalDate day, BigDecimal sum, long count, BigDecimal min, BigDecimal max,
                         BigDecimal latest) {}
