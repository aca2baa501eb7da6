package dev.meterbill.jobs.usage.parse;

import java.nio.charset.StandardCharsets;

/**
 * A record the job refused, with the reason, bound for topic {@code usage-events-dlq}.
 *
 * <p>{@code payload} is the original value as UTF-8 text (invalid bytes become U+FFFD).
 * {@code topic} is null and {@code partition}/{@code offset} are -1 when unknown.
 */
public record DeadLetter(String reason, String payload, String key, String topic, int partition, long offset) {

    public static DeadLetter of(RawEnvelope raw, String reason) {
        return new DeadLetter(
                reason,
                raw.value() == null ? null : new String(raw.value(), StandardCharsets.UTF_8),
                raw.key() == null ? null : new String(raw.key(), StandardCharsets.UTF_8),
                raw.topic(),
                raw.partition(),
                raw.offset());
    }
}
