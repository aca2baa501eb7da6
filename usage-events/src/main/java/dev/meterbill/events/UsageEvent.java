package dev.meterbill.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The envelope the gateway publishes to Kafka topic {@code usage-events}, keyed by project id.
 *
 * <p>{@code billingTimezone} is the organisation's billing timezone at ingest time; periods are
 * calendar months (and days) in that zone. {@code metricValue} is an exact decimal: no binary
 * floating point touches a quantity anywhere downstream.
 */
public record UsageEvent(
        UUID eventId,
        UUID projectId,
        UUID organisationId,
        String metricName,
        BigDecimal metricValue,
        String unit,
        Instant timestamp,
        Instant receivedAt,
        String billingTimezone,
        Map<String, Object> metadata,
        String idempotencyKey) {

    public UsageEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(organisationId, "organisationId");
        Objects.requireNonNull(metricName, "metricName");
        Objects.requireNonNull(metricValue, "metricValue");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(billingTimezone, "billingTimezone");
        metadata = metadata == null ? Map.of() : metadata;
    }

    /** The calendar month, in the billing timezone, this event is billed in. */
    public BillingPeriod period() {
        return BillingPeriod.containing(timestamp, billingTimezone);
    }
}
