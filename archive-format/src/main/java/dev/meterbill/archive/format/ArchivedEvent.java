package dev.meterbill.archive.format;

import java.util.HashMap;
import java.util.Map;
import org.apache.avro.reflect.Nullable;

/**
 * One accepted usage event as the archive keeps it: the envelope's fields, its metadata as text. A Parquet row through
 * Avro reflection (public fields, a no-argument constructor); exact values are kept as text (the decimal as written,
 * the timestamps as ISO-8601 with the envelope's precision), never through a double.
 */
public class ArchivedEvent {

    public String eventId;
    public String organisationId;
    public String projectId;
    public String metricName;
    /** The decimal value as plain text (BigDecimal.toPlainString). */
    public String value;
    @Nullable
    public String unit;
    /** The event's timestamp, ISO-8601 in UTC, as precise as the producer sent it. */
    public String timestamp;
    /** When the gateway accepted it, ISO-8601 in UTC. */
    public String receivedAt;
    public String billingTimezone;
    /** The day of {@link #timestamp} in the billing timezone: the archive's date partition. */
    public String day;
    @Nullable
    public String idempotencyKey;
    public Map<String, String> metadata = new HashMap<>();

    public ArchivedEvent() {
    }
}
