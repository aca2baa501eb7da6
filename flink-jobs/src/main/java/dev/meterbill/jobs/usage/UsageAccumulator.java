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
        return merge(of(r));
    }

    /**
     * The totals of both sets of events. Associative and commutative in everything but the three
     * descriptive fields, which stay this side's: combining in any grouping gives the same totals.
     */
    public UsageAccumulator merge(UsageAccumulator other) {
        boolean newer = other.latestAt.isAfter(latestAt)
                || (other.latestAt.equals(latestAt) && other.latestEventId.compareTo(latestEventId) > 0);
        return new UsageAccumulator(organisationId, unit, timezone,
                sum.add(other.sum),
                count + other.count,
                min.compareTo(other.min) <= 0 ? min : other.min,
                max.compareTo(other.max) >= 0 ? max : other.max,
                newer ? other.latest : latest,
                newer ? other.latestAt : latestAt,
                newer ? other.latestEventId : latestEventId);
    }
}
