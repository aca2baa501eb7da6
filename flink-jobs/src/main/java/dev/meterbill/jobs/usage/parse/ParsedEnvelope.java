package dev.meterbill.jobs.usage.parse;

import dev.meterbill.jobs.usage.UsageRecord;

/**
 * A Kafka record after decoding, as the source emits it: exactly one of {@code event} (a
 * meterable usage event) and {@code deadLetter} (what was wrong with the record) is set.
 */
public record ParsedEnvelope(UsageRecord event, DeadLetter deadLetter) {

    public static ParsedEnvelope valid(UsageRecord event) {
        return new ParsedEnvelope(event, null);
    }

    public static ParsedEnvelope refused(DeadLetter deadLetter) {
        return new ParsedEnvelope(null, deadLetter);
    }
}
