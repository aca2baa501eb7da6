package dev.meterbill.billing.invoice;

import dev.meterbill.billing.pricing.UsageQuantities;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The usage of several projects added up as if their events were one stream, which is what a plan
 * priced per organisation prices: sums and counts add, the max is the largest of the maxes, and latest
 * is the value of the project whose last event is the latest (by event time; on a tie, the larger value).
 */
final class CombinedUsage {

    private CombinedUsage() {}

    static UsageQuantities of(List<UsageRow> rows) {
        BigDecimal sum = BigDecimal.ZERO;
        long count = 0;
        BigDecimal max = null;
        BigDecimal latest = BigDecimal.ZERO;
        Instant latestAt = null;
        for (UsageRow row : rows) {
            UsageQuantities q = row.quantities();
            sum = sum.add(q.sum());
            count = Math.addExact(count, q.count());
            if (q.count() == 0) {
                continue;
            }
            max = max == null ? q.max() : max.max(q.max());
            Instant at = row.latestAt() == null ? Instant.MIN : row.latestAt();
            if (latestAt == null || at.isAfter(latestAt) || (at.equals(latestAt) && q.latest().compareTo(latest) > 0)) {
                latest = q.latest();
                latestAt = at;
            }
        }
        return new UsageQuantities(sum, count, max == null ? BigDecimal.ZERO : max, latest);
    }
}
