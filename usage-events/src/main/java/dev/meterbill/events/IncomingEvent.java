package dev.meterbill.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** A producer's event after validation, before the gateway stamps ids and tenancy on it. */
public record IncomingEvent(
        String metricName,
        BigDecimal metricValue,
        String unit,
        Instant timestamp,
        Map<String, Object> metadata,
        String idempotencyKey) {}
