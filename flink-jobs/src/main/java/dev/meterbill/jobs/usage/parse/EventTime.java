package dev.meterbill.jobs.usage.parse;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time of the job: the producer's timestamp, with bounded out-of-orderness and idleness.
 *
 * <p>Given to the Kafka source, the strategy runs per partition, and a source subtask forwards
 * the minimum over its partitions. That matters here: a restarted job reads its partitions at
 * different speeds, and a watermark taken after the partitions were merged would run ahead with
 * the fastest one and finalise a month while the slow partition still holds its events.
 * Dead letters carry no event time and never move the watermark.
 */
public final class EventTime {

    private EventTime() {}

    public static WatermarkStrategy<ParsedEnvelope> watermarks(long outOfOrdernessMs, long idlenessMs) {
        return WatermarkStrategy
                .<ParsedEnvelope>forBoundedOutOfOrderness(Duration.ofMillis(outOfOrdernessMs))
                .withTimestampAssigner(new Timestamps())
                // A partition without traffic must not hold event time back for everyone.
                .withIdleness(Duration.ofMillis(idlenessMs));
    }

    /** The event's timestamp; {@code Long.MIN_VALUE} for a dead letter, which a max() ignores. */
    static final class Timestamps implements SerializableTimestampAssigner<ParsedEnvelope> {
        private static final long serialVersionUID = 1L;

        @Override
        public long extractTimestamp(ParsedEnvelope envelope, long kafkaTimestamp) {
            return envelope.event() == null ? Long.MIN_VALUE : envelope.event().timestamp().toEpochMilli();
        }
    }
}
