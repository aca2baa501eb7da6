package dev.meterbill.jobs.usage.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.jobs.usage.UsageRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Grouped sums (usage under a definition's {@code <key>{model=…}} names) in the period totals' keyed state, across a
 * snapshot and a rescale from parallelism 2 to 3: every group's absolute total is what it was plus what came after.
 */
class GroupedTotalsRescaleTest extends PeriodTotalsHarness {

    private static final int MAX_PARALLELISM = 128;
    private static final String[] MODELS = {"large", "medium", "small", "tiny", "huge"};

    private static KeyedOneInputStreamOperatorTestHarness<Tuple3<String, String, String>, PeriodUsage, UsageTotal> subtask(
            int parallelism, int index, OperatorSubtaskState restore) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new PeriodTotalsFunction(
                new PeriodTotalsFunction.Settings(GRACE, QUIET, RETENTION, 0, true))), new PeriodTotalsFunction.Key(),
                PeriodTotalsFunction.KEY_TYPE, MAX_PARALLELISM, parallelism, index);
        h.setup();
        if (restore != null) {
            h.setRestoredCheckpointId(1);
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    /** For each model, {@code events} events of {@code tokens} each, to the subtask owning the group's key. */
    private void send(List<KeyedOneInputStreamOperatorTestHarness<Tuple3<String, String, String>, PeriodUsage, UsageTotal>> subtasks,
                      int events, String tokens) throws Exception {
        for (String model : MODELS) {
            for (int i = 0; i < events; i++) {
                UsageRecord r = at(tokens, "2026-01-1" + i % 10 + "T10:00:00Z").metric("tokens").record()
                        .as("llm_tokens{model=" + model + "}");
                PeriodUsage usage = usage(r);
                int owner = KeyGroupRangeAssignment.assignKeyToParallelOperator(new PeriodTotalsFunction.Key().getKey(usage),
                        MAX_PARALLELISM, subtasks.size());
                subtasks.get(owner).processElement(usage, 0);
            }
        }
    }

    /** The latest monthly total of each group, from every subtask's output in order. */
    private static Map<String, String> latest(List<KeyedOneInputStreamOperatorTestHarness<Tuple3<String, String, String>,
            PeriodUsage, UsageTotal>> subtasks, Map<String, String> into) {
        for (var h : subtasks) {
            for (UsageTotal t : h.extractOutputValues()) {
                into.put(t.metricName(), t.sum().stripTrailingZeros().toPlainString() + " " + t.count());
            }
        }
        return into;
    }

    @Test
    void everyGroupKeepsItsTotalAcrossARestoreAndARescaleFromTwoToThree() throws Exception {
        List<KeyedOneInputStreamOperatorTestHarness<Tuple3<String, String, String>, PeriodUsage, UsageTotal>> two = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            two.add(subtask(2, i, null));
        }
        send(two, 4, "2.5");
        Map<String, String> totals = latest(two, new TreeMap<>());
        assertThat(totals).hasSize(5).allSatisfy((group, total) -> assertThat(total).isEqualTo("10 4"));
        OperatorSubtaskState snapshot = AbstractStreamOperatorTestHarness.repackageState(two.get(0).snapshot(1, 1),
                two.get(1).snapshot(1, 1));
        for (var h : two) {
            h.close();
        }

        List<KeyedOneInputStreamOperatorTestHarness<Tuple3<String, String, String>, PeriodUsage, UsageTotal>> three = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            three.add(subtask(3, i, AbstractStreamOperatorTestHarness.repartitionOperatorState(snapshot, MAX_PARALLELISM, 2, 3, i)));
        }
        send(three, 3, "0.1");
        assertThat(latest(three, totals)).hasSize(5).allSatisfy((group, total) -> assertThat(total).as(group).isEqualTo("10.3 7"));
        for (var h : three) {
            h.close();
        }
    }
}
