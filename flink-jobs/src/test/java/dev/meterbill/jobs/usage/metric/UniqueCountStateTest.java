package dev.meterbill.jobs.usage.metric;

import static dev.meterbill.jobs.testutils.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.jobs.usage.UsageRecord;
import dev.meterbill.jobs.usage.dedupe.DedupeFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Exact unique counts in keyed state: the first-seen filter of a unique_count definition lets each distinct value
 * of a period through once, across a snapshot and a rescale from parallelism 2 to 3 (the sum of the 1s it lets
 * through is the distinct count).
 */
class UniqueCountStateTest {

    private static final int MAX_PARALLELISM = 128;
    private static final String NAME = "monthly_active_users{}";
    private static final UUID PROJECT = UUID.fromString("0000000a-0000-0000-0000-00000000000a");
    private static final UUID ORG = UUID.fromString("0000000a-0000-0000-0000-000000000000");

    private static KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, UsageRecord, UsageRecord> subtask(
            int parallelism, int index, OperatorSubtaskState restoreFrom) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DedupeFunction(Duration.ofDays(40))), new DedupeFunction.Key(),
                DedupeFunction.KEY_TYPE, MAX_PARALLELISM, parallelism, index);
        harness.setup();
        harness.initializeState(restoreFrom);
        harness.open();
        return harness;
    }

    private static UsageRecord user(int user, String period) {
        return event(PROJECT, ORG).metric("api_requests").at(period + "-10T10:00:00Z").key("r-" + user).record()
                .firstOf(NAME, NAME + "|" + period + "|user-" + user);
    }

    /** Sends each user's record to the subtask that owns its key; returns how many were let through. */
    private static int send(List<KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, UsageRecord, UsageRecord>> subtasks,
                            int fromUser, int toUser, String period) throws Exception {
        int before = subtasks.stream().mapToInt(h -> h.extractOutputValues().size()).sum();
        for (int u = fromUser; u < toUser; u++) {
            UsageRecord r = user(u, period);
            int owner = KeyGroupRangeAssignment.assignKeyToParallelOperator(new DedupeFunction.Key().getKey(r), MAX_PARALLELISM,
                    subtasks.size());
            subtasks.get(owner).processElement(r, 0);
        }
        return subtasks.stream().mapToInt(h -> h.extractOutputValues().size()).sum() - before;
    }

    @Test
    void eachValueOfAPeriodCountsOnceAcrossARestoreAndARescaleFromTwoToThree() throws Exception {
        List<KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, UsageRecord, UsageRecord>> two = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            two.add(subtask(2, i, null));
        }
        assertThat(send(two, 0, 1_000, "2026-03")).isEqualTo(1_000);
        assertThat(send(two, 0, 1_000, "2026-03")).as("the same users again").isZero();
        assertThat(send(two, 0, 10, "2026-04")).as("another period counts them anew").isEqualTo(10);
        OperatorSubtaskState snapshot = AbstractStreamOperatorTestHarness.repackageState(
                two.get(0).snapshot(1, 1), two.get(1).snapshot(1, 1));
        for (var h : two) {
            h.close();
        }

        List<KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, UsageRecord, UsageRecord>> three = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            three.add(subtask(3, i, AbstractStreamOperatorTestHarness.repartitionOperatorState(snapshot, MAX_PARALLELISM, 2, 3, i)));
        }
        assertThat(send(three, 500, 1_500, "2026-03")).as("users 1,000 to 1,499 are new, 500 to 999 were seen").isEqualTo(500);
        assertThat(send(three, 0, 1_500, "2026-03")).isZero();
        for (var h : three) {
            h.close();
        }
    }
}
