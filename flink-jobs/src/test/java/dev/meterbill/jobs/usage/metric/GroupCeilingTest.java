package dev.meterbill.jobs.usage.metric;

import static dev.meterbill.jobs.testutils.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.jobs.usage.UsageAccumulator;
import dev.meterbill.jobs.usage.UsageRecord;
import dev.meterbill.jobs.usage.aggregate.PeriodUsage;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The ceiling of distinct groups per project, definition and period, across a snapshot and restore. */
class GroupCeilingTest {

    private final UUID project = UUID.randomUUID();
    private final UUID org = UUID.randomUUID();

    private static KeyedOneInputStreamOperatorTestHarness<String, PeriodUsage, PeriodUsage> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new GroupCeiling(2)),
                new GroupCeiling.Key(), Types.STRING);
    }

    /** One event's usage, as the combiner passes a single event on. */
    private PeriodUsage usage(String name, String at) {
        UsageRecord event = event(project, org).metric(name).value("1").at(at).record();
        return PeriodUsage.of(event, at.substring(0, 7), at.substring(0, 10), 0);
    }

    /** Several events' usage, combined. */
    private PeriodUsage combined(String name, String at, int events) {
        UsageAccumulator totals = UsageAccumulator.of(event(project, org).metric(name).value("1").at(at).record());
        for (int i = 1; i < events; i++) {
            totals = totals.add(event(project, org).metric(name).value("1").at(at).record());
        }
        return PeriodUsage.combined(project.toString(), name, at.substring(0, 7), at.substring(0, 10), 0, totals);
    }

    private static List<String> names(KeyedOneInputStreamOperatorTestHarness<String, PeriodUsage, PeriodUsage> h) {
        return h.extractOutputValues().stream().map(u -> u.metricName() + (u.count() > 1 ? " x" + u.count() : "")).toList();
    }

    @Test
    void groupsPastTheCeilingAreKeptUnderOverflowPerProjectDefinitionAndPeriod() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement(usage("t{model=a,region=in}", "2026-03-01T00:00:00Z"), 0);
            h.processElement(usage("t{model=b,region=in}", "2026-03-02T00:00:00Z"), 0);
            h.processElement(combined("t{model=c,region=in}", "2026-03-03T00:00:00Z", 3), 0);   // the third group
            h.processElement(usage("t{model=a,region=in}", "2026-03-04T00:00:00Z"), 0);   // seen: as it is
            h.processElement(usage("t{model=c,region=in}", "2026-04-01T00:00:00Z"), 0);   // another period
            h.processElement(usage("u{}", "2026-03-05T00:00:00Z"), 0);                    // another definition
            assertThat(names(h)).containsExactly("t{model=a,region=in}", "t{model=b,region=in}",
                    "t{model=__overflow__,region=__overflow__} x3", "t{model=a,region=in}", "t{model=c,region=in}", "u{}");
            snapshot = h.snapshot(1, 1);
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(usage("t{model=b,region=in}", "2026-03-06T00:00:00Z"), 0);
            restored.processElement(usage("t{model=d,region=in}", "2026-03-06T00:00:00Z"), 0);
            assertThat(names(restored)).containsExactly("t{model=b,region=in}", "t{model=__overflow__,region=__overflow__}");
        }
    }
}
