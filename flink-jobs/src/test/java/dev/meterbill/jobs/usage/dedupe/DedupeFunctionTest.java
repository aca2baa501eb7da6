package dev.meterbill.jobs.usage.dedupe;

import dev.meterbill.jobs.usage.JobConfig;
import dev.meterbill.jobs.usage.UsageRecord;

import static dev.meterbill.jobs.testutils.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.jobs.testutils.TestEvents;
import java.time.Duration;
import java.util.UUID;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DedupeFunctionTest {

    private static final Duration TTL = Duration.ofDays(JobConfig.MIN_DEDUPE_TTL_DAYS);
    private final UUID project = UUID.randomUUID();
    private final UUID org = UUID.randomUUID();
    private KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, UsageRecord, UsageRecord> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void repeatsOfAnIdempotencyKeyInAProjectAreDropped() throws Exception {
        TestEvents first = event(project, org).key("order-1").value("5");
        harness.processElement(first.record(), 0);
        harness.processElement(first.retry().record(), 0);
        harness.processElement(first.retry().value("6").record(), 0);

        assertThat(harness.extractOutputValues()).containsExactly(first.record());
    }

    @Test
    void theSameIdempotencyKeyInAnotherProjectIsADifferentEvent() throws Exception {
        harness.processElement(event(project, org).key("order-1").record(), 0);
        harness.processElement(event(UUID.randomUUID(), org).key("order-1").record(), 0);

        assertThat(harness.extractOutputValues()).hasSize(2);
    }

    @Test
    void eventsWithoutAnIdempotencyKeyAreNeverMergedAndKeepNoState() throws Exception {
        TestEvents keyless = event(project, org).eventId("00000000-0000-0000-0000-000000000009");
        harness.processElement(keyless.record(), 0);
        harness.processElement(keyless.record(), 0);

        assertThat(harness.extractOutputValues()).hasSize(2);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aKeyIsRememberedForTheTtlAndForgottenAfterIt() throws Exception {
        TestEvents e = event(project, org).key("order-1");
        harness.setStateTtlProcessingTime(0);
        harness.processElement(e.record(), 0);

        harness.setStateTtlProcessingTime(TTL.toMillis() - 1);
        harness.processElement(e.retry().record(), 0);
        harness.setStateTtlProcessingTime(TTL.toMillis());
        harness.processElement(e.retry().record(), 0);

        assertThat(harness.extractOutputValues()).hasSize(2);
    }

    @Test
    void aKeySeenBeforeACheckpointIsStillSeenAfterARestore() throws Exception {
        TestEvents e = event(project, org).key("order-1");
        harness.processElement(e.record(), 0);
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = newHarness(snapshot);
        harness.processElement(e.retry().record(), 0);

        assertThat(harness.extractOutputValues()).isEmpty();
    }

    private KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, UsageRecord, UsageRecord> newHarness()
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new DedupeFunction(TTL), new DedupeFunction.Key(), DedupeFunction.KEY_TYPE);
    }

    private KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, UsageRecord, UsageRecord> newHarness(
            OperatorSubtaskState state) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DedupeFunction(TTL)),
                new DedupeFunction.Key(), DedupeFunction.KEY_TYPE);
        h.setup();
        h.initializeState(state);
        h.open();
        return h;
    }
}
