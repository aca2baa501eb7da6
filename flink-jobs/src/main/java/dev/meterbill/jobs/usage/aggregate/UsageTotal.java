package dev.meterbill.jobs.usage.aggregate;

import dev.meterbill.jobs.usage.UsageAccumulator;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Absolute totals of one (project, metric, bucket) as upserted into SQL; {@code bucket} is a
 * period {@code YYYY-MM} (usage_aggregates), a day {@code YYYY-MM-DD} (usage_daily) or the instant an hour of the
 * billing timezone starts at, ISO-8601 (usage_hourly).
 * {@code isFinal} marks the one write after which the row never changes.
 */
public record UsageTotal(
        String projectId,
        String organisationId,
        String metricName,
        String bucket,
        String timezone,
        String unit,
        BigDecimal sum,
        long count,
        BigDecimal min,
        BigDecimal max,
        BigDecimal latest,
        Instant latestAt,
        boolean isFinal) {

    /** The absolute totals of {@code acc} for one (project, metric, bucket). */
    public static UsageTotal of(UsageAccumulator acc, String projectId, String metricName, String bucket,
                                boolean isFinal) {
        return new UsageTotal(projectId, acc.organisationId(), metricName, bucket, acc.timezone(), acc.unit(),
                acc.sum(), acc.count(), acc.min(), acc.max(), acc.latest(), acc.latestAt(), isFinal);
    }
}
