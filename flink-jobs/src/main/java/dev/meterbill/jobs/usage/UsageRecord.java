package dev.meterbill.jobs.usage;

import dev.meterbill.events.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A decoded usage event reduced to what metering needs, in types Flink serializes as a POJO.
 *
 * <p>Ids travel as strings and metadata is dropped: a {@code UUID} or a {@code Map<String, Object>}
 * would fall back to Kryo. {@code idempotencyKey} is null when the producer sent none.
 * {@code receivedAt} is the gateway's stamp, kept for late_usage_events.
 */
public record UsageRecord(
        String eventId,
        String projectId,
        String organisationId,
        String metricName,
        BigDecimal value,
        String unit,
        Instant timestamp,
        Instant receivedAt,
        String billingTimezone,
        String idempotencyKey) {

    public static UsageRecord from(UsageEvent e) {
        return new UsageRecord(
                e.eventId().toString(),
                e.projectId().toString(),
                e.organisationId().toString(),
                e.metricName(),
                e.metricValue(),
                e.unit(),
                e.timestamp(),
                e.receivedAt(),
                e.billingTimezone(),
                e.idempotencyKey());
    }
}
