package dev.meterbill.jobs.usage.metric;

import dev.meterbill.events.BillingPeriod;
import dev.meterbill.events.GroupedMetricName;
import dev.meterbill.jobs.usage.UsageRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.BaseBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * What {@link MeterByDefinitions} and {@link DeduplicateAndMeter} do with a counted event and with a definition: the
 * metering itself, over the definitions in the operator's broadcast state {@link MeterByDefinitions#DEFINITIONS}.
 */
final class Metering {

    /** Parsed definitions by the metric names their versions meter: rebuilt from the state when it changed or was restored. */
    private Map<String, List<Compiled>> byMetric;
    private final Counter tooLong;

    Metering(MetricGroup metrics) {
        tooLong = metrics.counter("groupValuesTooLong");
    }

    /** The event under its own name, and under each definition that meters it (see {@link MeterByDefinitions}). */
    void meter(UsageRecord event, BaseBroadcastProcessFunction.ReadOnlyContext ctx, Collector<UsageRecord> out)
            throws Exception {
        // with its labels: they stay in this task, and the combiner drops them from what it sends on
        out.collect(event);
        if (byMetric == null) {
            byMetric = index(ctx.getBroadcastState(MeterByDefinitions.DEFINITIONS).immutableEntries());
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
                ctx.output(MeterByDefinitions.FIRST_SEEN, event.firstOf(name, name + "|" + period + "|" + distinct));
            }
        }
    }

    /** A definition from the topic, into the broadcast state. */
    void learn(String json, BaseBroadcastProcessFunction.Context ctx) throws Exception {
        if (json == null) {
            return;
        }
        MetricDefinitionSpec spec = MetricDefinitionSpec.parse(json);
        ctx.getBroadcastState(MeterByDefinitions.DEFINITIONS).put(spec.key(), json);
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
        /** Per version, the names given so far by their group values (emptied at {@link MeterByDefinitions#MAX_KNOWN_NAMES}). */
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
                if (values[i].length() > MeterByDefinitions.MAX_GROUP_VALUE_LENGTH) {
                    tooLong.inc();
                }
            }
            Map<List<String>, String> known = names.get(v);
            List<String> group = Arrays.asList(values);
            String name = known.get(group);
            if (name == null) {
                if (known.size() >= MeterByDefinitions.MAX_KNOWN_NAMES) {
                    known.clear();
                }
                name = GroupedMetricName.of(key, groupBy, labels);
                known.put(group, name);
            }
            return name;
        }
    }
}
