package dev.meterbill.billing.invoice;

import dev.meterbill.billing.pricing.UsageQuantities;
import java.time.Instant;
import java.util.UUID;

/** One project's aggregated usage of one metric in the invoiced period. */
public record UsageRow(UUID projectId, String projectName, String metricName, UsageQuantities quantities,
                       Instant latestAt,
                       boolean isFinal) {}
