package dev.meterbill.jobs.usage.metric;

import dev.meterbill.events.BillingPeriod;
import dev.meterbill.events.EventValidator;
import dev.meterbill.events.GroupedMetricName;
import dev.meterbill.jobs.usage.UsageRecord;
import dev.meterbill.jobs.usage.UsageRecordSerializer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
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

    /** Parsed definitions by the metric names their versions meter: rebuilt from the state when it changed or was restored. */
    private transient Map<String, List<Compiled>> byMetric;
    private transient Counter tooLong;

    @Override
    public void open(OpenContext openContext) {
        tooLong = getRuntimeContext().getMetricGroup().counter("groupValuesTooLong");
    }

    @Override
    public void processElement(UsageRecord event, ReadOnlyContext ctx, Collector<UsageRecord> out) throws Exception {
        out.collect(event.withoutLabels());
        if (byMetric == null) {
            byMetric = index(ctx.getBroadcastState(DEFINITIONS).immutableEntries());
        }
        for (Compiled definition : byMetric.getOrDefault(event.metricName(), List.of())) {
            int in = definition.meters(event);
            if (in < 0) {
                continue;
            }
            MetricDefinitionSpec.Version v = definition.versions.get(in);
            String name = definition.nameFor(in, event, tooLong);
            if (!"unique_count".equals(v.aggregation())) {
                out.collect(event.as(name));
                continue;
            }
            String distinct = event.labels() == null ? null : event.labels().get(v.uniqueProperty());
            if (distinct != null) {
                String period = BillingPeriod.containing(event.timestamp(), event.billingTimezone()).key();
                ctx.output(FIRST_SEEN, event.firstOf(name, name + "|" + period + "|" + distinct));
            }
        }
    }

    @Override
    public void processBroadcastElement(String json, Context ctx, Collector<UsageRecord> out) throws Exception {
        if (json == null) {
            return;
        }
        MetricDefinitionSpec spec = MetricDefinitionSpec.parse(json);
        ctx.getBroadcastState(DEFINITIONS).put(spec.key(), json);
        byMetric = null;
    }

    private static Map<String, List<Compiled>> index(Iterable<Map.Entry<String, String>> definitions) {
        Map<String, List<Compiled>> index = new HashMap<>();
        for (Map.Entry<String, String> entry : definitions) {
            Compiled c = new Compiled(MetricDefinitionSpec.parse(entry.getValue()));
            c.versions.stream().map(MetricDefinitionSpec.Version::eventMetric).distinct()
                    .forEach(metric -> index.computeIfAbsent(metric, m -> new ArrayList<>()).add(c));
        }
        return index;
    }

    /** A definition parsed once, its versions' instants with it. */
    private static final class Compiled {
        private final String key;
        private final List<MetricDefinitionSpec.Version> versions;
        private final List<Instant> effective = new ArrayList<>();
        private final List<List<String>> groupBys = new ArrayList<>();
        /** Per version, the names given so far by their group values (emptied at {@link #MAX_KNOWN_NAMES}). */
        private final List<Map<List<String>, String>> names = new ArrayList<>();

        Compiled(MetricDefinitionSpec spec) {
            this.key = spec.key();
            this.versions = spec.versions();
            for (MetricDefinitionSpec.Version v : versions) {
                effective.add(v.effective());
                groupBys.add(v.groupBy() == null ? List.of() : v.groupBy());
                names.add(new HashMap<>());
            }
        }

        /** The index of the version that meters the event (in force at its timestamp, its metric, its filters hold), or -1. */
        int meters(UsageRecord event) {
            int in = -1;
            for (int i = 0; i < versions.size(); i++) {
                if (!effective.get(i).isAfter(event.timestamp())) {
                    in = i;
                }
            }
            if (in < 0 || !versions.get(in).eventMetric().equals(event.metricName())) {
                return -1;
            }
            List<MetricDefinitionSpec.Filter> filters = versions.get(in).filters();
            if (filters != null) {
                Map<String, String> labels = event.labels() == null ? Map.of() : event.labels();
                for (MetricDefinitionSpec.Filter f : filters) {
                    if (!f.holds(labels)) {
                        return -1;
                    }
                }
            }
            return in;
        }

        /**
         * The name the event is metered under by the version at index {@code v}: one String per group values, so that
         * the combiner downstream (in this task) hashes and compares it once, not per event; the name is a function of
         * the values.
         */
        String nameFor(int v, UsageRecord event, Counter tooLong) {
            Map<String, String> labels = event.labels() == null ? Map.of() : event.labels();
            List<String> groupBy = groupBys.get(v);
            String[] values = new String[groupBy.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = labels.getOrDefault(groupBy.get(i), "");
                if (values[i].length() > MAX_GROUP_VALUE_LENGTH) {
                    tooLong.inc();
                }
            }
            Map<List<String>, String> known = names.get(v);
            List<String> group = Arrays.asList(values);
            String name = known.get(group);
            if (name == null) {
                if (known.size() >= MAX_KNOWN_NAMES) {
                    known.clear();
                }
                name = GroupedMetricName.of(key, groupBy, labels);
                known.put(group, name);
            }
            return name;
        }
    }
}
