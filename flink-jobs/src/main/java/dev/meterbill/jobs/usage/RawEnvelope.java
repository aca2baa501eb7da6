package dev.meterbill.jobs.usage;

/**
 * One record as read from Kafka topic {@code usage-events}: raw bytes plus where it came from.
 *
 * <p>Decoding happens in {@link ParseEnvelopeFunction}, not in the source, so that a malformed
 * record becomes a dead letter instead of failing the source. {@code topic} is null and
 * {@code partition}/{@code offset} are -1 when the record did not come from Kafka (tests).
 */
public record RawEnvelope(String topic, int partition, long offset, byte[] key, byte[] value) {

    /** A record without Kafka coordinates, e.g. from a bounded test source. */
    public static RawEnvelope of(byte[] value) {
        return new RawEnvelope(null, -1, -1L, null, value);
    }
}
