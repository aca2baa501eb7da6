package dev.meterbill.billing.usage;

import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

/**
 * A project's usage in one billing period.
 *
 * @param isFinal true only when at least one metric row exists and every row is final; see
 *                {@link UsageService#usage}
 * @param zone    the organisation's timezone, whose month the period is
 */
public record ProjectUsage(UUID projectId, YearMonth period, boolean isFinal, List<MetricUsage> metrics, ZoneId zone) {}
