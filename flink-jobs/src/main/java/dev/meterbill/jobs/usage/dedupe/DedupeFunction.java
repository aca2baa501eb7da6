package dev.meterbill.jobs.usage.dedupe;

import dev.meterbill.jobs.usage.UsageRecord;

import java.io.IOException;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops repeats of an idempotency key within a project, inside the exactly-once pipeline.
 *
 * <p>The "seen" flag is checkpointed together with the aggregates it guards, so a crash between
 * the two cannot count an event twice or zero times. Events without an idempotency key pass
 * through untouched: they are never merged, and they keep no state.
 *
 * <p>A key is forgotten {@code ttl} (processing time) after it was first seen, by state TTL: on
 * RocksDB in compaction, on the heap by an incremental sweep that visits one more entry on every
 * state access. Flink's default visits five, which took 40% of this operator's time here; one per
 * access still sweeps the whole state once per two events per entry, so expired keys never pile up.
 * (Timers instead doubled the state every checkpoint had to write.)
 */
public class DedupeFunction extends KeyedProcessFunction<Tuple2<String, String>, UsageRecord, UsageRecord> {

    private static final long serialVersionUID = 1L;

    /**
     * (projectId, idempotencyKey), serialized as {@code Types.TUPLE(Types.STRING, Types.STRING)} always was, byte for
     * byte, but by {@link KeyStringSerializer}: checkpoints write it in one call per string (see there).
     */
    public static final TypeInformation<Tuple2<String, String>> KEY_TYPE =
            Types.TUPLE(KeyStringSerializer.TYPE, KeyStringSerializer.TYPE);

    private final Duration ttl;
    private transient Seen seen;

    /** @param ttl how long a key is remembered; at least the gateway's backfill window */
    public DedupeFunction(Duration ttl) {
        this.ttl = ttl;
    }

    @Override
    public void open(OpenContext openContext) {
        seen = new Seen(getRuntimeContext(), ttl);
    }

    @Override
    public void processElement(UsageRecord event, Context ctx, Collector<UsageRecord> out) throws Exception {
        if (seen.firstTime(event)) {
            out.collect(event);
        }
    }

    /**
     * The keyed "seen" flag and its duplicates counter, for the operator keyed by {@link Key} that owns them: this
     * function, or {@code DeduplicateAndMeter}, which has this operator's uid when the job meters metric definitions.
     * One state name and TTL, so a savepoint of either restores into the other.
     */
    public static final class Seen {
        private final ValueState<Boolean> flags;
        private final Counter duplicates;

        public Seen(RuntimeContext context, Duration ttl) {
            ValueStateDescriptor<Boolean> descriptor = new ValueStateDescriptor<>("seen", Types.BOOLEAN);
            descriptor.enableTimeToLive(StateTtlConfig.newBuilder(ttl)
                    .updateTtlOnCreateAndWrite()
                    .neverReturnExpired()
                    .cleanupIncrementally(1, false)
                    .build());
            flags = context.getState(descriptor);
            duplicates = context.getMetricGroup().counter("duplicatesDropped");
        }

        /** Whether the event (of the current key) is the first with its idempotency key; always, without a key. */
        public boolean firstTime(UsageRecord event) throws IOException {
            if (event.idempotencyKey() == null) {
                return true;
            }
            if (flags.value() != null) {
                duplicates.inc();
                return false;
            }
            flags.update(Boolean.TRUE);
            return true;
        }
    }

    /**
     * (projectId, idempotencyKey); an event without a key is keyed by its own eventId only to
     * spread the load, since it touches no state.
     */
    public static final class Key implements KeySelector<UsageRecord, Tuple2<String, String>> {
        private static final long serialVersionUID = 1L;

        @Override
        public Tuple2<String, String> getKey(UsageRecord event) {
            String key = event.idempotencyKey() != null ? event.idempotencyKey() : event.eventId();
            return Tuple2.of(event.projectId(), key);
        }
    }
}
