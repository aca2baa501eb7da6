package dev.meterbill.billing.invoice;

import dev.meterbill.billing.pricing.UsageQuantities;
import java.time.Instant;
import java.util.UUID;

/** One project's aggregated usage of one metric in the invoiced period. */
public record UsageRow(UUID projectId, String projectName, String metricName, UsageQuantities quantities,
                       Instant latestAt,
                       boolean isFinal) {

    /** A project's metric. */
    public record Key(UUID projectId, String metricName) {}

    public Key key() {
        return new Key(projectId, metricName);
    }

    /** This usage and {@code more} of the same metric (sums and counts add, the greater maximum; the latest stays). */
    public UsageRow plus(UsageQuantities more) {
        return new UsageRow(projectId, projectName, metricName, new UsageQuantities(quantities.sum().add(more.sum()),
                quantities.count() + more.count(), quantities.max().max(more.max()), quantities.latest()), latestAt, isFinal);
    }
}
