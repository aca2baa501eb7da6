package dev.meterbill.jobs.usage.metric;

import dev.meterbill.events.GroupedMetricName;
import dev.meterbill.jobs.usage.UsageRecord;
import dev.meterbill.jobs.usage.aggregate.PeriodUsage;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The ceiling of distinct groups per (project, metric definition, billing period): the first {@code ceiling} groups
 * of a definition's usage in a project's period are kept as they are; usage of any further group is kept under
 * {@code <key>{k1=__overflow__,…}} (counted, never dropped) and the job's metric {@code groupsOverflowed} counts the
 * events kept so: alert on it (docs/metering.md). Keyed by {@link Key}; the groups seen are remembered for 40 days of
 * processing time, longer than a period and its grace.
 *
 * <p>It sits after the combiner, so it sees a group's usage a few times per interval, not once per event: which groups
 * are the first {@code ceiling} is decided in the order their combined usage arrives.
 */
public class GroupCeiling extends KeyedProcessFunction<String, PeriodUsage, PeriodUsage> {

    private static final long serialVersionUID = 1L;

    public static final String OVERFLOW = "__overflow__";

    private final int ceiling;
    private transient MapState<String, Boolean> seen;
    private transient ValueState<Integer> groups;
    private transient Counter overflowed;

    public GroupCeiling(int ceiling) {
        this.ceiling = ceiling;
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl = StateTtlConfig.newBuilder(Duration.ofDays(40)).build();
        MapStateDescriptor<String, Boolean> seenDescriptor = new MapStateDescriptor<>("groups-seen", Types.STRING, Types.BOOLEAN);
        seenDescriptor.enableTimeToLive(ttl);
        ValueStateDescriptor<Integer> countDescriptor = new ValueStateDescriptor<>("groups", Types.INT);
        countDescriptor.enableTimeToLive(ttl);
        seen = getRuntimeContext().getMapState(seenDescriptor);
        groups = getRuntimeContext().getState(countDescriptor);
        overflowed = getRuntimeContext().getMetricGroup().counter("groupsOverflowed");
    }

    @Override
    public void processElement(PeriodUsage usage, Context ctx, Collector<PeriodUsage> out) throws Exception {
        String name = usage.metricName();
        if (seen.contains(name)) {
            out.collect(usage);
            return;
        }
        int count = groups.value() == null ? 0 : groups.value();
        if (count < ceiling) {
            seen.put(name, Boolean.TRUE);
            groups.update(count + 1);
            out.collect(usage);
            return;
        }
        overflowed.inc(usage.count());
        out.collect(usage.as(overflowName(name)));
    }

    /** The name a group past the ceiling is kept under: every group-by key's value {@value #OVERFLOW}. */
    static String overflowName(String name) {
        GroupedMetricName grouped = GroupedMetricName.parse(name);
        Map<String, String> overflow = new LinkedHashMap<>();
        grouped.groups().keySet().forEach(k -> overflow.put(k, OVERFLOW));
        return GroupedMetricName.of(grouped.key(), List.copyOf(overflow.keySet()), overflow);
    }

    /** Project, definition key and billing period of a grouped record. */
    public static final class Key implements KeySelector<PeriodUsage, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(PeriodUsage usage) {
            String name = usage.metricName();
            // the definition's key: what comes before the brace (a key is a metric name, which never has one)
            return usage.projectId() + "|" + name.substring(0, name.indexOf('{')) + "|" + usage.period();
        }
    }

    /** Records of a metric definition's groups ({@code <key>{…}}); a metric of events never has a brace. */
    public static final class Grouped implements FilterFunction<UsageRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(UsageRecord usage) {
            return usage.metricName().indexOf('{') >= 0;
        }
    }

    /** Records under a metric of events' own name. */
    public static final class Plain implements FilterFunction<UsageRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(UsageRecord usage) {
            return usage.metricName().indexOf('{') < 0;
        }
    }
}
