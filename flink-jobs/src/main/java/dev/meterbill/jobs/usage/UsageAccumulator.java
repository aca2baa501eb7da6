package dev.meterbill.jobs.usage;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Running totals of one (project, metric, bucket): exact decimals, serialized by Flink as a POJO.
 *
 * <p>{@code latest} is the value of the event with the greatest event timestamp; on a tie the
 * greater eventId wins. The rule depends only on the events, not on their arrival order, so a
 * replay after a restore computes the same row. {@code organisationId}, {@code unit} and
 * {@code timezone} are taken from the first event and never flip afterwards.
 */
public record UsageAccumulator(
        String organisationId,
        String unit,
        String timezone,
        BigDecimal sum,
        long count,
        BigDecimal min,
        BigDecimal max,
        BigDecimal latest,
        Instant latestAt,
        String latestEventId) {

    public static UsageAccumulator of(UsageRecord r) {
        return new UsageAccumulator(r.organisationId(), r.unit(), r.billingTimezone(),
                r.value(), 1, r.value(), r.value(), r.value(), r.timestamp(), r.eventId());
    }

    /** The totals with one more event. */
    public UsageAccumulator add(UsageRecord r) {
        boolean newer = r.timestamp().isAfter(latestAt)
                || (r.timestamp().equals(latestAt) && r.eventId().compareTo(latestEventId) > 0);
        return new UsageAccumulator(organisationId, unit, timezone,
                sum.add(r.value()),
                count + 1,
                min.compareTo(r.value()) <= 0 ? min : r.value(),
                max.compareTo(r.value()) >= 0 ? max : r.value(),
                newer ? r.value() : latest,
                newer ? r.timestamp() : latestAt,
                newer ? r.eventId() : latestEventId);
    }

    public UsageTotal toTotal(String projectId, String metricName, String bucket, boolean isFinal) {
        return new UsageTotal(projectId, organisationId, metricName, bucket, timezone, unit,
                sum, count, min, max, latest, latestAt, isFinal);
    }
}
