package dev.meterbill.jobs.usage.aggregate;

import dev.meterbill.jobs.usage.UsageAccumulator;
import dev.meterbill.jobs.usage.UsageRecord;

import dev.meterbill.events.BillingPeriod;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Adds up counted events per (project, metric, hour) for a short interval before they are shuffled
 * to {@link PeriodTotalsFunction}, so that the totals operator and the network see one record per
 * bucket and interval instead of one per event. It sits in the same task as its input (after dedupe,
 * or after routing for events without an idempotency key) and keeps nothing across checkpoints but
 * its watermark: whatever it holds is emitted before each checkpoint barrier, before each
 * watermark, at the end of input, every {@code intervalMs} and when {@value #MAX_BUCKETS} buckets
 * are pending. A single event goes on without its labels: metric definitions have metered it in this task.
 *
 * <p>The interval is {@code intervalMs} while the job keeps up, and {@value #CATCH_UP} times that while it is behind:
 * when the event that opens an interval was received by the gateway more than {@link #BEHIND} earlier (a backlog
 * after an outage or a restore, a burst beyond the job's rate). Nobody then waits for the short interval's
 * freshness, and fewer records per bucket for the totals operator let the job catch up sooner (docs/operations.md).
 *
 * <p>A combined record cannot be written to late_usage_events event by event, so it must never
 * reach a period that is final or closing. Usage is therefore combined only while its period is far
 * from closing on both clocks PeriodTotalsFunction uses:
 * <ul>
 *   <li>event time: the period's end plus grace is beyond every watermark this subtask has
 *       forwarded (or had forwarded before a restore). Combined records are emitted before the next
 *       watermark, so the totals operator, whose watermark is at most the ones it received, cannot
 *       have closed the period by watermark when they arrive;
 *   <li>processing time: that point is more than {@link #MARGIN} away, which covers the flush
 *       interval, a stall and clock skew between TaskManagers. It also covers watermarks that reach
 *       the totals operator over other channels while this one is idle: those come from event
 *       timestamps, which the gateway keeps within 5 minutes of its clock.
 * </ul>
 * Everything else (the last {@link #MARGIN} before a period closes, and late events) goes on as
 * single events and is judged one by one. Should the margin ever be exceeded, PeriodTotalsFunction
 * fails the job instead of losing the events; the restore replays them, by then as single events.
 */
public final class PeriodUsageCombiner extends AbstractStreamOperator<PeriodUsage>
        implements OneInputStreamOperator<UsageRecord, PeriodUsage> {

    private static final long serialVersionUID = 1L;

    public static final Duration MARGIN = Duration.ofMinutes(10);
    static final int MAX_BUCKETS = 10_000;
    /** How far behind the gateway's receipt an event may reach the combiner while the job counts as keeping up. */
    public static final Duration BEHIND = Duration.ofSeconds(1);
    /** How many times longer usage is combined while the job is behind. */
    public static final int CATCH_UP = 10;

    private final long intervalMs;
    private final long graceMs;

    private transient Map<Bucket, Pending> pending;
    private transient Calendar calendar;
    private transient StreamRecord<PeriodUsage> reuse;
    private transient boolean flushScheduled;
    private transient ListState<Long> watermarkState;
    /** The greatest watermark forwarded, here or (after a restore) by any subtask before it. */
    private transient long watermark;

    /** @param intervalMs how long usage may wait to be combined; 0 sends every event on at once */
    public PeriodUsageCombiner(long intervalMs, long graceMs) {
        this.intervalMs = intervalMs;
        this.graceMs = graceMs;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        watermarkState = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("combiner-watermark", Types.LONG));
        watermark = Long.MIN_VALUE;
        for (Long w : watermarkState.get()) {
            // The greatest, not the smallest: a higher watermark only means combining less.
            watermark = Math.max(watermark, w);
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        pending = new HashMap<>();
        calendar = new Calendar(graceMs);
        reuse = new StreamRecord<>(null);
    }

    @Override
    public void processElement(StreamRecord<UsageRecord> element) throws Exception {
        UsageRecord event = element.getValue();
        Calendar.Hour hour = calendar.hourOf(event.timestamp(), event.billingTimezone());
        if (!combinable(hour.finalAt())) {
            output.collect(reuse.replace(PeriodUsage.of(event.withoutLabels(), hour.period(), hour.day(), hour.start())));
            return;
        }
        Bucket bucket = new Bucket(event.projectId(), event.metricName(), event.billingTimezone(), hour);
        Pending p = pending.get(bucket);
        if (p == null) {
            pending.put(bucket, new Pending(event));
        } else {
            p.add(event);
        }
        if (pending.size() >= MAX_BUCKETS) {
            flush();
        } else if (!flushScheduled) {
            flushScheduled = true;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            boolean behind = event.receivedAt() != null && now - event.receivedAt().toEpochMilli() > BEHIND.toMillis();
            getProcessingTimeService().registerTimer(now + (behind ? CATCH_UP * intervalMs : intervalMs), time -> flush());
        }
    }

    private boolean combinable(long finalAt) {
        return intervalMs > 0
                && finalAt > watermark
                && finalAt - MARGIN.toMillis() > getProcessingTimeService().getCurrentProcessingTime();
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        // The end-of-input watermark says the input stopped, not that time passed (as in SubtaskProgress).
        if (mark.getTimestamp() != Long.MAX_VALUE) {
            watermark = Math.max(watermark, mark.getTimestamp());
        }
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        watermarkState.update(List.of(watermark));
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    private void flush() {
        flushScheduled = false;
        for (Map.Entry<Bucket, Pending> e : pending.entrySet()) {
            Bucket b = e.getKey();
            Pending p = e.getValue();
            // One event keeps its own identity, so that it could still be judged late on its own.
            output.collect(reuse.replace(p.count == 1
                    ? PeriodUsage.of(p.first.withoutLabels(), b.hour.period(), b.hour.day(), b.hour.start())
                    : PeriodUsage.combined(b.projectId, b.metricName, b.hour.period(), b.hour.day(),
                            b.hour.start(), p.totals())));
        }
        pending.clear();
    }

    /**
     * Project, metric, zone and hour of pending usage. Its hash is computed once, and its strings are compared by
     * reference first: the stream serializer hands this thread one String per name (the lookup per event was a fifth
     * of the metering task with a record's hash and equals).
     */
    private static final class Bucket {
        final String projectId;
        final String metricName;
        final String timezone;
        final Calendar.Hour hour;
        private final int hash;

        Bucket(String projectId, String metricName, String timezone, Calendar.Hour hour) {
            this.projectId = projectId;
            this.metricName = metricName;
            this.timezone = timezone;
            this.hour = hour;
            this.hash = 31 * (31 * (31 * projectId.hashCode() + metricName.hashCode()) + timezone.hashCode())
                    + Long.hashCode(hour.start());
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bucket b && hash == b.hash && (hour == b.hour || hour.start() == b.hour.start())
                    && same(projectId, b.projectId) && same(metricName, b.metricName) && same(timezone, b.timezone);
        }

        private static boolean same(String a, String b) {
            return a == b || a.equals(b);
        }
    }

    /**
     * The totals of a bucket's pending events, added up in place ({@link UsageAccumulator#merge}'s rules: the first
     * event's descriptive fields, min and max keep the earlier on a tie, latest by timestamp then eventId).
     */
    private static final class Pending {
        final UsageRecord first;
        long count = 1;
        BigDecimal sum;
        BigDecimal min;
        BigDecimal max;
        UsageRecord latest;
        long latestSecond;
        int latestNano;

        Pending(UsageRecord first) {
            this.first = first;
            this.sum = first.value();
            this.min = first.value();
            this.max = first.value();
            latest(first);
        }

        void add(UsageRecord event) {
            BigDecimal value = event.value();
            count++;
            sum = sum.add(value);
            if (value.compareTo(min) < 0) {
                min = value;
            }
            if (value.compareTo(max) > 0) {
                max = value;
            }
            Instant at = event.timestamp();
            long second = at.getEpochSecond();
            if (second > latestSecond || second == latestSecond && (at.getNano() > latestNano
                    || at.getNano() == latestNano && event.eventId().compareTo(latest.eventId()) > 0)) {
                latest(event);
            }
        }

        private void latest(UsageRecord event) {
            latest = event;
            latestSecond = event.timestamp().getEpochSecond();
            latestNano = event.timestamp().getNano();
        }

        UsageAccumulator totals() {
            return new UsageAccumulator(first.organisationId(), first.unit(), first.billingTimezone(), sum, count, min, max,
                    latest.value(), latest.timestamp(), latest.eventId());
        }
    }

    /**
     * The hour, day and billing period of an instant in a zone and when that period can close (its end plus grace,
     * minus one millisecond, as PeriodTotalsFunction computes it). Remembers the last hour per zone: almost every
     * event falls in the same hour as the one before it. Hours are those of the zone's clock (Asia/Kolkata's start
     * at half past a UTC hour).
     */
    static final class Calendar {

        record Hour(long start, long end, String day, String period, long finalAt) {}

        private final long graceMs;
        private final Map<String, Hour> lastHour = new HashMap<>();

        Calendar(long graceMs) {
            this.graceMs = graceMs;
        }

        Hour hourOf(Instant instant, String zoneId) {
            long at = instant.toEpochMilli();
            Hour hour = lastHour.get(zoneId);
            if (hour == null || at < hour.start() || at >= hour.end()) {
                ZoneId zone = ZoneId.of(zoneId);
                ZonedDateTime start = instant.atZone(zone).truncatedTo(ChronoUnit.HOURS);
                BillingPeriod period = BillingPeriod.containing(instant, zone);
                hour = new Hour(start.toInstant().toEpochMilli(), start.plusHours(1).toInstant().toEpochMilli(),
                        start.toLocalDate().toString(), period.key(), PeriodTotalsFunction.finalAt(period, graceMs));
                lastHour.put(zoneId, hour);
            }
            return hour;
        }
    }
}
