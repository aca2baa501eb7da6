package dev.meterbill.jobs.usage;

import dev.meterbill.events.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A decoded usage event reduced to what metering needs, in types Flink serializes as a POJO.
 *
 * <p>Ids travel as strings: a {@code UUID} would fall back to Kryo. {@code idempotencyKey} is null when the producer
 * sent none. {@code receivedAt} is the gateway's stamp, kept for late_usage_events. {@code labels} are the metadata's
 * top-level strings, numbers and booleans as text, what metric definitions filter and group by (docs/metering.md);
 * nested objects and arrays are not carried.
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
        String idempotencyKey,
        Map<String, String> labels) {

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
                e.idempotencyKey(),
                labels(e.metadata()));
    }

    /**
     * The same usage under another metric name: what a metric definition meters of this event. Without labels, like
     * the records below: once metered, an event's labels are not needed, and every record leaves the task.
     */
    public UsageRecord as(String otherMetricName) {
        return new UsageRecord(eventId, projectId, organisationId, otherMetricName, value, unit, timestamp, receivedAt,
                billingTimezone, idempotencyKey, Map.of());
    }

    /**
     * This usage once metered by every definition, as the combiner sends a single event on: its labels are left behind
     * (they would cross the network).
     */
    public UsageRecord withoutLabels() {
        return labels == null || labels.isEmpty() ? this : as(metricName);
    }

    /**
     * One distinct value of a unique_count definition: value 1 under {@code otherMetricName}, with {@code firstSeenKey}
     * (name, period and value) as the idempotency key the first-seen filter keeps.
     */
    public UsageRecord firstOf(String otherMetricName, String firstSeenKey) {
        return new UsageRecord(eventId, projectId, organisationId, otherMetricName, BigDecimal.ONE, unit, timestamp,
                receivedAt, billingTimezone, firstSeenKey, Map.of());
    }

    private static Map<String, String> labels(Map<String, Object> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return Map.of();
        }
        Map<String, String> labels = new HashMap<>();
        for (Map.Entry<String, Object> field : metadata.entrySet()) {
            Object v = field.getValue();
            if (v instanceof String text) {
                labels.put(field.getKey(), text);
            } else if (v instanceof BigDecimal decimal) {
                labels.put(field.getKey(), decimal.toPlainString());
            } else if (v instanceof Number || v instanceof Boolean) {
                labels.put(field.getKey(), v.toString());
            }
        }
        return labels;
    }
}
