package dev.meterbill.jobs.usage.metric;

import static dev.meterbill.jobs.testutils.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.jobs.testutils.TestEvents;
import dev.meterbill.jobs.usage.JobConfig;
import dev.meterbill.jobs.usage.UsageRecord;
import dev.meterbill.jobs.usage.dedupe.DedupeFunction;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** Dedupe and metering in one operator: a repeat is metered under nothing, and dedupe's savepoints restore into it. */
class DeduplicateAndMeterTest {

    private static final Duration TTL = Duration.ofDays(JobConfig.MIN_DEDUPE_TTL_DAYS);
    private static final String TOKENS = """
            {"key":"llm_tokens","versions":[{"version":1,"eventMetric":"tokens","aggregation":"sum","filters":[],
              "groupBy":["model"],"effectiveFrom":"2026-01-01T00:00:00Z"}]}""";

    private static TestEvents tokens(String key, String model) {
        return event().metric("tokens").value("10").at("2026-01-10T00:00:00Z").key(key).metadata(Map.of("model", model));
    }

    private static List<String> names(KeyedBroadcastOperatorTestHarness<?, UsageRecord, String, UsageRecord> harness) {
        return harness.extractOutputValues().stream().map(UsageRecord::metricName).toList();
    }

    private static KeyedBroadcastOperatorTestHarness<Tuple2<String, String>, UsageRecord, String, UsageRecord> restored(
            OperatorSubtaskState snapshot) throws Exception {
        var harness = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(new DeduplicateAndMeter(TTL), List.of(MeterByDefinitions.DEFINITIONS)),
                new DedupeFunction.Key(), DedupeFunction.KEY_TYPE, 1, 1, 0);
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        return harness;
    }

    @Test
    void aRepeatOfAnIdempotencyKeyIsMeteredUnderNothing() throws Exception {
        try (var harness = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new DeduplicateAndMeter(TTL),
                new DedupeFunction.Key(), DedupeFunction.KEY_TYPE, MeterByDefinitions.DEFINITIONS)) {
            harness.processBroadcastElement(TOKENS, 0);
            TestEvents first = tokens("order-1", "large");
            harness.processElement(first.record(), 0);
            harness.processElement(first.retry().record(), 0);
            harness.processElement(first.retry().metadata(Map.of("model", "small")).record(), 0);
            harness.processElement(tokens("order-2", "small").record(), 0);

            assertThat(names(harness)).containsExactly(
                    "tokens", "llm_tokens{model=large}",
                    "tokens", "llm_tokens{model=small}");
        }
    }

    @Test
    void keysSeenBeforeAndDefinitionsKnownBeforeASnapshotAreStillSoAfterTheRestore() throws Exception {
        TestEvents first = tokens("order-1", "large");
        OperatorSubtaskState snapshot;
        try (var harness = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new DeduplicateAndMeter(TTL),
                new DedupeFunction.Key(), DedupeFunction.KEY_TYPE, MeterByDefinitions.DEFINITIONS)) {
            harness.processBroadcastElement(TOKENS, 0);
            harness.processElement(first.record(), 0);
            snapshot = harness.snapshot(1, 1);
        }
        try (var harness = restored(snapshot)) {
            harness.processElement(new StreamRecord<>(first.retry().record(), 0));
            harness.processElement(new StreamRecord<>(tokens("order-2", "large").record(), 0));

            assertThat(names(harness)).containsExactly("tokens", "llm_tokens{model=large}");
        }
    }

    /** The operator has dedupe's uid: a savepoint of a job without metric definitions restores into it. */
    @Test
    void aSavepointOfTheDedupeFunctionRestoresIntoIt() throws Exception {
        TestEvents first = tokens("order-1", "large");
        OperatorSubtaskState snapshot;
        try (var dedupe = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new DedupeFunction(TTL),
                new DedupeFunction.Key(), DedupeFunction.KEY_TYPE)) {
            dedupe.processElement(first.record(), 0);
            snapshot = dedupe.snapshot(1, 1);
        }
        try (var harness = restored(snapshot)) {
            harness.processBroadcastElement(new StreamRecord<>(TOKENS, 0));
            harness.processElement(new StreamRecord<>(first.retry().record(), 0));
            harness.processElement(new StreamRecord<>(tokens("order-2", "large").record(), 0));

            assertThat(names(harness)).as("order-1 was counted before the upgrade").containsExactly(
                    "tokens", "llm_tokens{model=large}");
        }
    }
}
