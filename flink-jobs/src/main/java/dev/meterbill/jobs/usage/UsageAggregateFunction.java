package dev.meterbill.jobs.usage;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps the running totals of one (projectId, metricName, bucket) and emits them as absolute
 * values, at most once per refresh interval while events arrive.
 *
 * <p>Emitting absolute totals from checkpointed state is what makes an at-least-once upsert
 * sink exact: a replay after a restore rewrites the same numbers instead of adding twice.
 *
 * <p>Two timers drive emission. A processing-time timer, armed by the first event after an
 * emission, bounds how stale the table gets in a live stream. An event-time timer at the
 * bucket's last millisecond flushes when the watermark passes the bucket; at the end of a
 * bounded input the final watermark fires it, while pending processing-time timers are
 * dropped. That event-time timer is also where finalisation and late-event handling hook in.
 */
public class UsageAggregateFunction
        extends KeyedProcessFunction<Tuple3<String, String, String>, UsageRecord, UsageTotal> {

    private static final long serialVersionUID = 1L;

    private final Granularity granularity;
    private final long refreshIntervalMs;

    private transient ValueState<UsageAccumulator> totals;
    private transient ValueState<Boolean> dirty;
    private transient ValueState<Long> refreshTimer;

    /** @param refreshIntervalMs 0 emits after every event */
    public UsageAggregateFunction(Granularity granularity, long refreshIntervalMs) {
        this.granularity = granularity;
        this.refreshIntervalMs = refreshIntervalMs;
    }

    @Override
    public void open(OpenContext openContext) {
        totals = getRuntimeContext().getState(
                new ValueStateDescriptor<>("totals", TypeInformation.of(UsageAccumulator.class)));
        dirty = getRuntimeContext().getState(new ValueStateDescriptor<>("dirty", Types.BOOLEAN));
        refreshTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("refresh-timer", Types.LONG));
    }

    @Override
    public void processElement(UsageRecord event, Context ctx, Collector<UsageTotal> out) throws Exception {
        UsageAccumulator current = totals.value();
        totals.update(current == null ? UsageAccumulator.of(event) : current.add(event));
        dirty.update(Boolean.TRUE);

        // Registering the same timestamp again is a no-op, so every event may do it.
        String bucket = ctx.getCurrentKey().f2;
        ctx.timerService().registerEventTimeTimer(granularity.endOf(bucket, event.billingTimezone()).toEpochMilli() - 1);

        if (refreshIntervalMs == 0) {
            emit(ctx.getCurrentKey(), ctx.timerService(), out);
        } else if (refreshTimer.value() == null) {
            long at = ctx.timerService().currentProcessingTime() + refreshIntervalMs;
            ctx.timerService().registerProcessingTimeTimer(at);
            refreshTimer.update(at);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<UsageTotal> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            refreshTimer.clear();
        }
        if (dirty.value() != null) {
            emit(ctx.getCurrentKey(), ctx.timerService(), out);
        }
    }

    private void emit(Tuple3<String, String, String> key, TimerService timers, Collector<UsageTotal> out) throws Exception {
        out.collect(totals.value().toTotal(key.f0, key.f1, key.f2));
        dirty.clear();
        Long pending = refreshTimer.value();
        if (pending != null) {
            timers.deleteProcessingTimeTimer(pending);
            refreshTimer.clear();
        }
    }
}
