package dev.meterbill.jobs.usage.metric;

import dev.meterbill.events.EventValidator;
import dev.meterbill.events.GroupedMetricName;
import dev.meterbill.jobs.usage.UsageRecord;
import dev.meterbill.jobs.usage.UsageRecordSerializer;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Counted usage, after dedupe, metered again under every metric definition it matches (docs/metering.md). Each event
 * goes on under its own metric name, as before any definition existed; for each definition whose version in force at
 * the event's timestamp meters its metric name and whose filters hold, it also goes on under the name
 * {@code <key>{<k1>=<v1>,…}} (the definition's group-by keys in order, their values from the event's metadata), which
 * the combiner and the period totals add up like any other metric: exactly once, in absolute totals.
 *
 * <p>A unique_count definition counts the distinct values of its property per (project, period, group): for each event
 * that carries the property, a record of value 1 goes to {@link #FIRST_SEEN} with the idempotency key
 * {@code <name>|<period>|<value>}; a {@code DedupeFunction} keyed on it lets the first one of each value in each
 * period through (exactly once, in keyed state), and the totals add those 1s up: the sum is the exact distinct count.
 * An event without the property is not counted by such a definition.
 *
 * <p>Definitions arrive on the broadcast side from the compacted topic and are kept in broadcast state, so a restored
 * job knows them without reading the topic again; a new one applies to the events processed after it arrived.
 *
 * <p>This function meters events without an idempotency key; events with one are metered in their dedupe operator
 * ({@link DeduplicateAndMeter}), the same way ({@link Metering}).
 */
public class MeterByDefinitions extends BroadcastProcessFunction<UsageRecord, String, UsageRecord> {

    private static final long serialVersionUID = 1L;

    /** key → the definition's JSON as published (a string: the state never depends on the definition's shape). */
    public static final MapStateDescriptor<String, String> DEFINITIONS =
            new MapStateDescriptor<>("metric-definitions", Types.STRING, Types.STRING);
    /** Candidates of unique_count definitions, for the first-seen filter (see the class comment). */
    public static final OutputTag<UsageRecord> FIRST_SEEN = new OutputTag<>("unique-count-candidates",
            UsageRecordSerializer.TYPE);
    /** The longest grouping value kept as it is; a longer one is kept as {@link #TOO_LONG}. */
    public static final int MAX_GROUP_VALUE_LENGTH = EventValidator.MAX_GROUPING_VALUE_LENGTH;
    public static final String TOO_LONG = GroupedMetricName.TOO_LONG;
    /** Names a definition's version remembers by their group values; the group ceiling keeps far fewer per project. */
    static final int MAX_KNOWN_NAMES = 10_000;

    /**
     * Watermarks of the definitions source: none, and idle always, so that a connected operator's watermark is the
     * events' own. An idle input is left out of the minimum; the end of time, emitted instead, would become the
     * operator's watermark as soon as the events' input went idle (a quiet stream) and close every open period.
     */
    public static final WatermarkStrategy<String> NEVER_HOLDS_EVENT_TIME = WatermarkStrategy.forGenerator(ctx ->
            new WatermarkGenerator<String>() {
                @Override
                public void onEvent(String event, long eventTimestamp, WatermarkOutput output) {
                    output.markIdle();
                }

                @Override
                public void onPeriodicEmit(WatermarkOutput output) {
                    output.markIdle();
                }
            });

    private transient Metering metering;

    @Override
    public void open(OpenContext openContext) {
        metering = new Metering(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(UsageRecord event, ReadOnlyContext ctx, Collector<UsageRecord> out) throws Exception {
        metering.meter(event, ctx, out);
    }

    @Override
    public void processBroadcastElement(String json, Context ctx, Collector<UsageRecord> out) throws Exception {
        metering.learn(json, ctx);
    }
}
