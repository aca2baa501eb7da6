package dev.meterbill.jobs.usage.parse;

/**
 * One record as read from Kafka topic {@code usage-events}: raw bytes plus where it came from.
 *
 * <p>Decoded by {@link EnvelopeParser}, which turns a malformed record into a dead letter instead
 * of failing the source. {@code kafkaTimestamp} is the record's Kafka timestamp in epoch
 * milliseconds (the broker's clock when the topic uses {@code LogAppendTime}). {@code topic} is
 * null and {@code partition}, {@code offset} and {@code kafkaTimestamp} are -1 when the record did
 * not come from Kafka (tests).
 */
public record RawEnvelope(String topic, int partition, long offset, long kafkaTimestamp, byte[] key, byte[] value) {

    /** A record without Kafka coordinates, e.g. from a bounded test source. */
    public static RawEnvelope of(byte[] value) {
        return new RawEnvelope(null, -1, -1L, -1L, null, value);
    }
}
