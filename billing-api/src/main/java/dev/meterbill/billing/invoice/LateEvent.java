package dev.meterbill.billing.invoice;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.UUID;

/** An event that arrived after its period was final (late_usage_events). */
public record LateEvent(UUID eventId, UUID organisationId, UUID projectId, String metricName, BigDecimal value,
                        Instant eventTime, YearMonth period) {}
