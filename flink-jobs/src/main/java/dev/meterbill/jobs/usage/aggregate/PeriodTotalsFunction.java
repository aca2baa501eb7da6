package dev.meterbill.jobs.usage.aggregate;

import dev.meterbill.jobs.usage.ClosingPeriod;
import dev.meterbill.jobs.usage.UsageAccumulator;
import dev.meterbill.jobs.usage.UsageRecord;

import dev.meterbill.events.BillingPeriod;
import java.io.Serializable;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The life of one (projectId, metricName, period): its month total and day totals while open,
 * their final rows, then a marker that sends later events to late_usage_events.
 *
 * <p>Month and days live in one keyed function so that "is this event late?" is decided once:
 * a month row and its day rows always hold the same events. Open totals are emitted as absolute
 * values at most once per refresh interval (at-least-once upserts of checkpointed state are exact).
 *
 * <p>The period closes when the watermark passes its end plus the grace, or, when processing time
 * has passed that point, once the watermark has stood still for {@code quietMs} (an idle or stuck
 * stream; a job catching up on a backlog moves the watermark and keeps waiting). Closing is not
 * replay-deterministic, so its effects wait for the checkpoint that contains it: the final rows and
 * the events that arrived late meanwhile are emitted only after that checkpoint completed. A
 * restore therefore never un-decides what the database shows as final. Then the key's totals are
 * cleared and only a "final until" marker remains, for {@code retentionMs} of processing time (a
 * timer, not state TTL: TTL's incremental cleanup on heap state cost a third of this operator's CPU).
 *
 * <p>The end-of-input watermark ({@code Long.MAX_VALUE}: a bounded source, or a stop with
 * {@code --drain}) flushes but never finalises: it says the input stopped, not that time passed.
 */
public class PeriodTotalsFunction extends KeyedProcessFunction<Tuple3<String, String, String>, PeriodUsage, UsageTotal>
        implements CheckpointedFunction, CheckpointListener {

    private static final long serialVersionUID = 1L;

    public static final TypeInformation<Tuple3<String, String, String>> KEY_TYPE =
            Types.TUPLE(Types.STRING, Types.STRING, Types.STRING);
    public static final OutputTag<UsageTotal> DAILY_TOTALS =
            new OutputTag<>("daily-totals", TypeInformation.of(UsageTotal.class));
    /** Hourly totals; the bucket is the instant the hour starts at in the billing timezone (ISO-8601, UTC). */
    public static final OutputTag<UsageTotal> HOURLY_TOTALS =
            new OutputTag<>("hourly-totals", TypeInformation.of(UsageTotal.class));
    public static final OutputTag<LateEvent> LATE_EVENTS =
            new OutputTag<>("late-events", TypeInformation.of(LateEvent.class));

    /**
     * @param refreshIntervalMs 0 emits after every event
     * @param awaitCheckpoints false only without checkpointing, where nothing could be rolled back
     */
    public record Settings(long graceMs, long quietMs, long retentionMs, long refreshIntervalMs,
            boolean awaitCheckpoints) implements Serializable {}

    private final Settings settings;

    // While open: the month total, the day and hour totals, which days and hours changed since the last emission,
    // and the pending refresh (set exactly when there are unemitted changes).
    private transient ValueState<UsageAccumulator> month;
    private transient MapState<String, UsageAccumulator> days;
    private transient MapState<String, Boolean> changedDays;
    private transient MapState<Long, UsageAccumulator> hours;
    private transient MapState<Long, Boolean> changedHours;
    private transient ValueState<Long> refreshTimer;
    // While closing: the frozen month and the events that arrived meanwhile (late).
    private transient ValueState<ClosingPeriod> closing;
    private transient ListState<UsageRecord> lateWhileClosing;
    /** Once final: processing time until which the period is remembered as final. */
    private transient ValueState<Long> finalUntil;
    private transient SubtaskProgress progress;

    public PeriodTotalsFunction(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        progress = SubtaskProgress.initialize(context);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        progress.snapshot(context.getCheckpointId());
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        progress.completed(checkpointId);
    }

    @Override
    public void open(OpenContext openContext) {
        TypeInformation<UsageAccumulator> acc = TypeInformation.of(UsageAccumulator.class);
        month = getRuntimeContext().getState(new ValueStateDescriptor<>("month", acc));
        days = getRuntimeContext().getMapState(new MapStateDescriptor<>("days", Types.STRING, acc));
        changedDays = getRuntimeContext().getMapState(new MapStateDescriptor<>("changed-days", Types.STRING, Types.BOOLEAN));
        hours = getRuntimeContext().getMapState(new MapStateDescriptor<>("hours", Types.LONG, acc));
        changedHours = getRuntimeContext().getMapState(new MapStateDescriptor<>("changed-hours", Types.LONG, Types.BOOLEAN));
        refreshTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("refresh-timer", Types.LONG));
        closing = getRuntimeContext().getState(new ValueStateDescriptor<>("closing", TypeInformation.of(ClosingPeriod.class)));
        lateWhileClosing = getRuntimeContext().getListState(
                new ListStateDescriptor<>("late-while-closing", TypeInformation.of(UsageRecord.class)));
        finalUntil = getRuntimeContext().getState(new ValueStateDescriptor<>("final-until", Types.LONG));
    }

    @Override
    public void processElement(PeriodUsage usage, Context ctx, Collector<UsageTotal> out) throws Exception {
        TimerService timers = ctx.timerService();
        progress.observe(timers.currentWatermark());
        UsageAccumulator added = usage.totals();
        UsageAccumulator current = month.value();
        if (current != null) {
            month.update(current.merge(added));
        } else if (finalUntil.value() != null) {
            ctx.output(LATE_EVENTS, LateEvent.of(singleEvent(usage), usage.period()));
            return;
        } else if (closing.value() != null) {
            lateWhileClosing.add(singleEvent(usage));
            return;
        } else {
            long finalAt = finalAt(usage.period(), added.timezone());
            // A period that closed before this key saw an event, or whose final marker expired.
            if (progress.watermark(timers.currentWatermark()) >= finalAt) {
                lateWhileClosing.add(singleEvent(usage));
                close(ctx, out);
                return;
            }
            timers.registerEventTimeTimer(finalAt);
            timers.registerProcessingTimeTimer(Math.max(finalAt + 1, timers.currentProcessingTime()));
            month.update(added);
        }
        UsageAccumulator dayTotal = days.get(usage.day());
        days.put(usage.day(), dayTotal == null ? added : dayTotal.merge(added));
        changedDays.put(usage.day(), Boolean.TRUE);
        UsageAccumulator hourTotal = hours.get(usage.hour());
        hours.put(usage.hour(), hourTotal == null ? added : hourTotal.merge(added));
        changedHours.put(usage.hour(), Boolean.TRUE);

        if (settings.refreshIntervalMs() == 0) {
            emit(ctx, out);
        } else if (refreshTimer.value() == null) {
            long at = timers.currentProcessingTime() + settings.refreshIntervalMs();
            timers.registerProcessingTimeTimer(at);
            refreshTimer.update(at);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<UsageTotal> out) throws Exception {
        TimerService timers = ctx.timerService();
        progress.observe(timers.currentWatermark());
        boolean processingTime = ctx.timeDomain() == TimeDomain.PROCESSING_TIME;
        UsageAccumulator current = month.value();
        if (current == null) {
            Long until = finalUntil.value();
            if (until != null && processingTime && timestamp >= until) {
                finalUntil.clear();
            } else if (until == null && processingTime && closing.value() != null) {
                publishIfDurable(ctx, out);
            }
            return;
        }
        if (!processingTime) {
            if (timers.currentWatermark() == Long.MAX_VALUE) {
                flush(ctx, out);
            } else {
                close(ctx, out);
            }
            return;
        }
        Long refreshAt = refreshTimer.value();
        if (refreshAt != null && timestamp >= refreshAt) {
            flush(ctx, out);
        }
        long now = timers.currentProcessingTime();
        long finalAt = finalAt(ctx.getCurrentKey().f2, current.timezone());
        if (now > finalAt) {
            long watermark = timers.currentWatermark();
            long stillSince = progress.stillSince(watermark, now);
            // The watermark test covers an event-time timer spent by a drain (flush) before a restore.
            if ((watermark >= finalAt && watermark != Long.MAX_VALUE) || now - stillSince >= settings.quietMs()) {
                close(ctx, out);
            } else {
                timers.registerProcessingTimeTimer(stillSince + settings.quietMs());
            }
        }
    }

    /** Decides that the period is final; the effects wait for the checkpoint holding the decision. */
    private void close(Context ctx, Collector<UsageTotal> out) throws Exception {
        UsageAccumulator current = month.value();
        if (current != null) {
            flush(ctx, out);
            long finalAt = finalAt(ctx.getCurrentKey().f2, current.timezone());
            ctx.timerService().deleteEventTimeTimer(finalAt);
            ctx.timerService().deleteProcessingTimeTimer(finalAt + 1);
            month.clear();
        }
        closing.update(new ClosingPeriod(progress.lastSnapshot(), current));
        if (settings.awaitCheckpoints()) {
            schedulePoll(ctx.timerService());
        } else {
            publish(ctx, out);
        }
    }

    private void publishIfDurable(Context ctx, Collector<UsageTotal> out) throws Exception {
        if (!settings.awaitCheckpoints() || progress.isDurable(closing.value().afterSnapshot())) {
            publish(ctx, out);
        } else {
            schedulePoll(ctx.timerService());
        }
    }

    /** Writes the final rows and the late events once, then forgets everything but the final marker. */
    private void publish(Context ctx, Collector<UsageTotal> out) throws Exception {
        Tuple3<String, String, String> key = ctx.getCurrentKey();
        UsageAccumulator frozen = closing.value().month();
        if (frozen != null) {
            out.collect(UsageTotal.of(frozen, key.f0, key.f1, key.f2, true));
            for (Map.Entry<String, UsageAccumulator> day : days.entries()) {
                ctx.output(DAILY_TOTALS, UsageTotal.of(day.getValue(), key.f0, key.f1, day.getKey(), true));
            }
            for (Map.Entry<Long, UsageAccumulator> hour : hours.entries()) {
                ctx.output(HOURLY_TOTALS, UsageTotal.of(hour.getValue(), key.f0, key.f1, hourBucket(hour.getKey()), true));
            }
        }
        for (UsageRecord late : lateWhileClosing.get()) {
            ctx.output(LATE_EVENTS, LateEvent.of(late, key.f2));
        }
        days.clear();
        changedDays.clear();
        hours.clear();
        changedHours.clear();
        closing.clear();
        lateWhileClosing.clear();
        long until = ctx.timerService().currentProcessingTime() + settings.retentionMs();
        finalUntil.update(until);
        ctx.timerService().registerProcessingTimeTimer(until);
    }

    /** Emits pending changes, if any, and cancels the refresh that would have emitted them. */
    private void flush(Context ctx, Collector<UsageTotal> out) throws Exception {
        Long pending = refreshTimer.value();
        if (pending != null) {
            ctx.timerService().deleteProcessingTimeTimer(pending);
            refreshTimer.clear();
            emit(ctx, out);
        }
    }

    /** The month and the changed days as open (non-final) absolute totals. */
    private void emit(Context ctx, Collector<UsageTotal> out) throws Exception {
        Tuple3<String, String, String> key = ctx.getCurrentKey();
        out.collect(UsageTotal.of(month.value(), key.f0, key.f1, key.f2, false));
        for (String day : changedDays.keys()) {
            ctx.output(DAILY_TOTALS, UsageTotal.of(days.get(day), key.f0, key.f1, day, false));
        }
        changedDays.clear();
        for (Long hour : changedHours.keys()) {
            ctx.output(HOURLY_TOTALS, UsageTotal.of(hours.get(hour), key.f0, key.f1, hourBucket(hour), false));
        }
        changedHours.clear();
    }

    /** The bucket of an hourly total: the instant the hour starts at, ISO-8601. */
    static String hourBucket(long hourStart) {
        return Instant.ofEpochMilli(hourStart).toString();
    }

    /** Polls for the checkpoint; timestamps on a grid, so repeated polls of a key collapse into one timer. */
    private void schedulePoll(TimerService timers) {
        long every = settings.refreshIntervalMs() > 0 ? settings.refreshIntervalMs() : 200;
        timers.registerProcessingTimeTimer((timers.currentProcessingTime() / every + 1) * every);
    }

    /**
     * Usage that reached a final or closing period as an event of its own, to be recorded as late.
     * Combined usage never should (see {@link PeriodUsageCombiner}); if it does, the job fails
     * rather than drop or miscount it, and the restore replays its events one by one.
     */
    private static UsageRecord singleEvent(PeriodUsage usage) {
        if (usage.event() == null) {
            throw new IllegalStateException("combined usage of " + usage.count() + " events of project "
                    + usage.projectId() + ", metric " + usage.metricName() + " reached period " + usage.period()
                    + " after it closed (the combiner's margin of " + PeriodUsageCombiner.MARGIN
                    + " was exceeded: clock skew or a stall); failing so that the restore replays them one by one");
        }
        return usage.event();
    }

    private long finalAt(String period, String zone) {
        return finalAt(new BillingPeriod(YearMonth.parse(period), ZoneId.of(zone)), settings.graceMs());
    }

    /** The last millisecond the watermark must pass: end of the period plus the grace, minus one. */
    static long finalAt(BillingPeriod period, long graceMs) {
        return period.end().toEpochMilli() + graceMs - 1;
    }

    /** (projectId, metricName, period in the event's billing timezone). */
    public static final class Key implements KeySelector<PeriodUsage, Tuple3<String, String, String>> {
        private static final long serialVersionUID = 1L;

        @Override
        public Tuple3<String, String, String> getKey(PeriodUsage u) {
            return Tuple3.of(u.projectId(), u.metricName(), u.period());
        }
    }
}
