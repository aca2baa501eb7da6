package dev.meterbill.jobs.usage.aggregate;

import dev.meterbill.jobs.usage.UsageRecord;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * An event that arrived after its period was final: a row of late_usage_events, billed later as
 * an adjustment instead of changing the final total.
 */
public record LateEvent(
        String eventId,
        String projectId,
        String organisationId,
        String metricName,
        BigDecimal value,
        String unit,
        Instant eventTime,
        String period,
        String reason,
        Instant receivedAt) {

    public static LateEvent of(UsageRecord e, String period) {
        return new LateEvent(e.eventId(), e.projectId(), e.organisationId(), e.metricName(), e.value(), e.unit(),
                e.timestamp(), period, "period " + period + " was already final", e.receivedAt());
    }
}
