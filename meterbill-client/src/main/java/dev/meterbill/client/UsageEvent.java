package dev.meterbill.client;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One usage event as the gateway takes it (docs/api.md, "Validation rules"): a metric, an exact value, a unit, the
 * moment it happened, optional metadata and an idempotency key. {@link #of} fills the timestamp with now and the key
 * with a random UUID; the key stays with the event across every retry, so the gateway counts it once however often
 * it is sent. Immutable.
 */
public final class UsageEvent {

    private final String metricName;
    private final BigDecimal value;
    private final String unit;
    private final Instant timestamp;
    private final Map<String, Object> metadata;
    private final String idempotencyKey;

    private UsageEvent(String metricName, BigDecimal value, String unit, Instant timestamp,
                       Map<String, Object> metadata, String idempotencyKey) {
        this.metricName = Objects.requireNonNull(metricName, "metricName");
        this.value = Objects.requireNonNull(value, "value");
        this.unit = Objects.requireNonNull(unit, "unit");
        this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
        this.metadata = metadata;
        this.idempotencyKey = Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    }

    /** An event of {@code value} {@code unit}s of {@code metricName}, now, with a fresh idempotency key. */
    public static UsageEvent of(String metricName, BigDecimal value, String unit) {
        return new UsageEvent(metricName, value, unit, Instant.now(), Map.of(), newKey());
    }

    /**
     * This process's random prefix (a version-4 UUID, drawn once) and a counter: unique within the process by the
     * counter and across processes by the prefix's 122 random bits. Drawing a fresh UUID per event cost a lock on
     * the JDK's shared generator and a SHA-1 round for every event recorded.
     */
    private static final String KEY_PREFIX = UUID.randomUUID() + "-";
    private static final AtomicLong KEY_SEQUENCE = new AtomicLong();

    private static String newKey() {
        return KEY_PREFIX + Long.toString(KEY_SEQUENCE.incrementAndGet(), 36);
    }

    /** As {@link #of(String, BigDecimal, String)}; {@code value} is taken as its exact decimal (no binary float). */
    public static UsageEvent of(String metricName, long value, String unit) {
        return of(metricName, BigDecimal.valueOf(value), unit);
    }

    /** The same event, at another moment. */
    public UsageEvent at(Instant when) {
        return new UsageEvent(metricName, value, unit, when, metadata, idempotencyKey);
    }

    /**
     * The same event with one more metadata entry.
     *
     * @throws IllegalArgumentException unless the value is a string, a number or a boolean
     */
    public UsageEvent with(String key, Object metadataValue) {
        if (!(metadataValue instanceof String || metadataValue instanceof Number || metadataValue instanceof Boolean)) {
            throw new IllegalArgumentException("metadata values are strings, numbers or booleans, not "
                    + (metadataValue == null ? "null" : metadataValue.getClass().getName()));
        }
        Map<String, Object> more = new LinkedHashMap<>(metadata);
        more.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(metadataValue, "metadataValue"));
        return new UsageEvent(metricName, value, unit, timestamp, Collections.unmodifiableMap(more), idempotencyKey);
    }

    /** The same event under the caller's own idempotency key (1 to 128 printable ASCII characters). */
    public UsageEvent idempotencyKey(String key) {
        return new UsageEvent(metricName, value, unit, timestamp, metadata, key);
    }

    public String metricName() {
        return metricName;
    }

    public BigDecimal value() {
        return value;
    }

    public String unit() {
        return unit;
    }

    public Instant timestamp() {
        return timestamp;
    }

    public Map<String, Object> metadata() {
        return metadata;
    }

    public String idempotencyKey() {
        return idempotencyKey;
    }

    @Override
    public String toString() {
        return "UsageEvent{" + metricName + "=" + value.toPlainString() + " " + unit + " at " + timestamp + ", key "
                + idempotencyKey + "}";
    }
}
