package dev.meterbill.billing.invoice;

import dev.meterbill.billing.pricing.UsageQuantities;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Applies late events to aggregated usage the way the aggregation job would have: the sum grows by
 * their values, the count by their number, the max is the larger one, and latest is the value of
 * the event with the latest event time.
 *
 * @param quantities the usage
 * @param latestAt   event time of {@code quantities.latest()}; {@link Instant#MIN} when there is none
 */
public record LateUsage(UsageQuantities quantities, Instant latestAt) {

    public static final LateUsage NONE = new LateUsage(UsageQuantities.NONE, Instant.MIN);

    public LateUsage plus(List<LateEvent> events) {
        BigDecimal sum = quantities.sum();
        long count = quantities.count();
        BigDecimal max = quantities.max();
        BigDecimal latest = quantities.latest();
        Instant at = latestAt;
        boolean hadValues = count > 0;
        for (LateEvent event : events) {
            sum = sum.add(event.value());
            count++;
            max = hadValues ? max.max(event.value()) : event.value();
            hadValues = true;
            if (!event.eventTime().isBefore(at)) {
                latest = event.value();
                at = event.eventTime();
            }
        }
        return new LateUsage(new UsageQuantities(sum, count, max, latest), at);
    }
}
