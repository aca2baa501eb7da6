package dev.meterbill.jobs.usage.metric;

import dev.meterbill.jobs.usage.UsageRecord;
import dev.meterbill.jobs.usage.dedupe.DedupeFunction;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Dedupe on idempotency key ({@link DedupeFunction}), then metering under metric definitions ({@link MeterByDefinitions}),
 * in one operator: an event that is not a repeat is metered in the task that let it through. As two operators, the
 * metering one connected to the definitions could not be chained to dedupe, and every counted event was serialized
 * and read back between them (in one, the job's CPU per event fell by about 7% relative to the aggregation benchmark's
 * plain consumer: docs/benchmarks.md, seventh session).
 *
 * <p>The operator keeps dedupe's uid ({@code dedupe}) and its keyed state ({@link DedupeFunction.Seen}), so a savepoint
 * from before metric definitions restores into it; the definitions are its broadcast state.
 */
public class DeduplicateAndMeter extends KeyedBroadcastProcessFunction<Tuple2<String, String>, UsageRecord, String, UsageRecord> {

    private static final long serialVersionUID = 1L;

    private final Duration ttl;
    private transient DedupeFunction.Seen seen;
    private transient Metering metering;

    /** @param ttl how long an idempotency key is remembered (see {@link DedupeFunction}) */
    public DeduplicateAndMeter(Duration ttl) {
        this.ttl = ttl;
    }

    @Override
    public void open(OpenContext openContext) {
        seen = new DedupeFunction.Seen(getRuntimeContext(), ttl);
        metering = new Metering(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(UsageRecord event, ReadOnlyContext ctx, Collector<UsageRecord> out) throws Exception {
        if (seen.firstTime(event)) {
            metering.meter(event, ctx, out);
        }
    }

    @Override
    public void processBroadcastElement(String json, Context ctx, Collector<UsageRecord> out) throws Exception {
        metering.learn(json, ctx);
    }
}
