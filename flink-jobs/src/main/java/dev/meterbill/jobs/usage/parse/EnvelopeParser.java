package dev.meterbill.jobs.usage.parse;

import dev.meterbill.jobs.usage.UsageRecord;

import dev.meterbill.events.EventValidator;
import dev.meterbill.events.UsageEvent;
import dev.meterbill.events.UsageEventCodec;
import dev.meterbill.events.UsageEventCodec.MalformedEventException;
import java.time.Duration;

/**
 * Decodes one Kafka envelope into a meterable event or a dead letter with a reason; never throws.
 *
 * <p>Bad data never fails the job: a poison record would otherwise stop metering for every
 * tenant behind it.
 */
public final class EnvelopeParser {

    /**
     * The gateway refuses timestamps more than 5 minutes ahead of its clock (EventValidator's
     * default), so an envelope further ahead of its own receivedAt did not come through the
     * gateway. It is refused because one such event would drag event time forward and finalise
     * every open period early. For the same reason an envelope whose receivedAt is further ahead
     * of the Kafka record's own timestamp is refused: the gateway stamps receivedAt before it sends,
     * and a topic with {@code message.timestamp.type=LogAppendTime} gets that timestamp from the
     * broker, so a writer that bypasses the gateway cannot forge it. Both tests read only what is
     * stored in the record, so a replay decides the same way ({@link dev.meterbill.events.UsageTopics#CONFIG}).
     */
    public static final Duration MAX_AHEAD_OF_RECEIPT = Duration.ofMinutes(5);

    private EnvelopeParser() {}

    public static ParsedEnvelope parse(RawEnvelope raw) {
        String reason;
        try {
            UsageEvent event = UsageEventCodec.decode(raw.value());
            // The gateway's rules again: the topic may hold envelopes of an older gateway, or of anyone
            // with access to it, and one that PostgreSQL cannot store would stop every tenant's metering.
            reason = EventValidator.envelopeViolation(event);
            if (reason == null && event.timestamp().isAfter(event.receivedAt().plus(MAX_AHEAD_OF_RECEIPT))) {
                reason = "timestamp is more than " + MAX_AHEAD_OF_RECEIPT.toMinutes() + " minutes after receivedAt";
            }
            if (reason == null && raw.kafkaTimestamp() >= 0
                    && event.receivedAt().toEpochMilli() > raw.kafkaTimestamp() + MAX_AHEAD_OF_RECEIPT.toMillis()) {
                reason = "receivedAt is more than " + MAX_AHEAD_OF_RECEIPT.toMinutes()
                        + " minutes after the Kafka record's timestamp";
            }
            if (reason == null) {
                return ParsedEnvelope.valid(UsageRecord.from(event));
            }
        } catch (MalformedEventException e) {
            reason = e.getMessage();
        } catch (RuntimeException e) {
            // The codec promises MalformedEventException, but a surprise must still not fail the job.
            reason = "undecodable envelope: " + e;
        }
        return ParsedEnvelope.refused(DeadLetter.of(raw, reason));
    }
}
