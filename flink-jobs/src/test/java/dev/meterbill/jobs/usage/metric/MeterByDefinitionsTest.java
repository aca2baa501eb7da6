package dev.meterbill.jobs.usage.metric;

import static dev.meterbill.jobs.testutils.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.jobs.usage.UsageRecord;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

/** Which names a counted event is metered under, for each kind of definition, version and filter. */
class MeterByDefinitionsTest {

    private static final String TOKENS = """
            {"key":"llm_tokens","versions":[
              {"version":1,"eventMetric":"tokens","aggregation":"sum","filters":[{"property":"region","op":"in","values":["in","us"]}],
               "groupBy":["model","region"],"effectiveFrom":"2026-01-01T00:00:00Z","displayName":"ignored"},
              {"version":2,"eventMetric":"tokens","aggregation":"sum","filters":[],"groupBy":["model"],
               "effectiveFrom":"2026-03-01T00:00:00Z"}]}""";
    private static final String USERS = """
            {"key":"mau","versions":[{"version":1,"eventMetric":"tokens","aggregation":"unique_count","uniqueProperty":"user",
              "filters":[],"groupBy":[],"effectiveFrom":"2026-01-01T00:00:00Z"}]}""";

    private static UsageRecord tokens(String at, Map<String, Object> metadata) {
        return event().metric("tokens").value("10").at(at).metadata(metadata).record();
    }

    private static List<String> names(BroadcastOperatorTestHarness<UsageRecord, String, UsageRecord> harness) {
        return harness.extractOutputValues().stream().map(UsageRecord::metricName).toList();
    }

    @Test
    void anEventGoesOnUnderItsOwnNameAndUnderEachDefinitionThatMetersIt() throws Exception {
        try (var harness = ProcessFunctionTestHarnesses.forBroadcastProcessFunction(new MeterByDefinitions(),
                MeterByDefinitions.DEFINITIONS)) {
            harness.processElement(tokens("2026-01-10T00:00:00Z", Map.of("model", "large", "region", "in")), 0);
            assertThat(names(harness)).as("before any definition: its own name only").containsExactly("tokens");
            harness.processBroadcastElement(TOKENS, 0);
            harness.processBroadcastElement(USERS, 0);
            harness.getOutput().clear();

            harness.processElement(tokens("2026-01-10T00:00:00Z", Map.of("model", "large", "region", "in")), 0);
            harness.processElement(tokens("2026-01-10T00:00:00Z", Map.of("model", "small", "region", "eu")), 0);
            harness.processElement(tokens("2026-01-10T00:00:00Z", Map.of("region", "us", "tier", 3)), 0);
            harness.processElement(tokens("2026-03-10T00:00:00Z", Map.of("model", "small", "region", "eu")), 0);
            harness.processElement(tokens("2025-12-31T23:59:59Z", Map.of("model", "large", "region", "in")), 0);
            harness.processElement(event().metric("api_calls").at("2026-01-10T00:00:00Z").metadata(Map.of("model", "x")).record(), 0);

            assertThat(names(harness)).containsExactly(
                    "tokens", "llm_tokens{model=large,region=in}",
                    "tokens", // region eu fails version 1's filter
                    "tokens", "llm_tokens{model=,region=us}", // a missing group value is the empty value
                    "tokens", "llm_tokens{model=small}", // version 2 from March: no filter, grouped by model only
                    "tokens", // before version 1 took effect
                    "api_calls");
            assertThat(harness.extractOutputValues().get(1).value()).isEqualByComparingTo("10");
        }
    }

    @Test
    void eventsWithTheSameGroupValuesShareOneNameAndOthersGetTheirOwn() throws Exception {
        try (var harness = ProcessFunctionTestHarnesses.forBroadcastProcessFunction(new MeterByDefinitions(),
                MeterByDefinitions.DEFINITIONS)) {
            harness.processBroadcastElement(TOKENS, 0);
            for (String[] values : new String[][] {{"large", "in"}, {"small", "us"}, {"large", "in"}, {"large", "us"},
                    {"a,b=c", "in"}, {"large", "in"}}) {
                harness.processElement(tokens("2026-01-10T00:00:00Z", Map.of("model", values[0], "region", values[1])), 0);
            }
            List<String> grouped = names(harness).stream().filter(n -> !n.equals("tokens")).toList();
            assertThat(grouped).containsExactly("llm_tokens{model=large,region=in}", "llm_tokens{model=small,region=us}",
                    "llm_tokens{model=large,region=in}", "llm_tokens{model=large,region=us}",
                    "llm_tokens{model=a\\,b\\=c,region=in}", "llm_tokens{model=large,region=in}");
            // one String per group: the combiner after this operator hashes it once, not per event
            assertThat(grouped.get(2)).isSameAs(grouped.get(0));
            assertThat(grouped.get(5)).isSameAs(grouped.get(0));
        }
    }

    @Test
    void definitionsSurviveARestoreFromASnapshot() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = ProcessFunctionTestHarnesses.forBroadcastProcessFunction(new MeterByDefinitions(),
                MeterByDefinitions.DEFINITIONS)) {
            harness.processBroadcastElement(TOKENS, 0);
            snapshot = harness.snapshot(1, 1);
        }
        try (var restored = new BroadcastOperatorTestHarness<>(
                new org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator<>(new MeterByDefinitions(),
                        List.of(MeterByDefinitions.DEFINITIONS)), 1, 1, 0)) {
            restored.setup();
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(new StreamRecord<>(tokens("2026-01-10T00:00:00Z", Map.of("model", "large", "region", "in")), 0));
            assertThat(names(restored)).containsExactly("tokens", "llm_tokens{model=large,region=in}");
        }
    }

    @Test
    void aUniqueCountDefinitionSendsEachEventsValueToTheFirstSeenFilter() throws Exception {
        try (var harness = ProcessFunctionTestHarnesses.forBroadcastProcessFunction(new MeterByDefinitions(),
                MeterByDefinitions.DEFINITIONS)) {
            harness.processBroadcastElement(USERS.replace("\"groupBy\":[]", "\"groupBy\":[\"region\"]"), 0);
            harness.processElement(tokens("2026-01-10T00:00:00Z", Map.of("user", "u-1", "region", "in")), 0);
            harness.processElement(tokens("2026-01-31T23:00:00Z", Map.of("region", "in")), 0); // no user: not counted

            assertThat(names(harness)).as("its own name only on the main output").containsExactly("tokens", "tokens");
            List<UsageRecord> candidates = harness.getSideOutput(MeterByDefinitions.FIRST_SEEN).stream()
                    .map(StreamRecord::getValue).toList();
            assertThat(candidates).singleElement().satisfies(r -> {
                assertThat(r.metricName()).isEqualTo("mau{region=in}");
                assertThat(r.value()).isEqualByComparingTo("1");
                assertThat(r.idempotencyKey()).isEqualTo("mau{region=in}|2026-01|u-1");
            });
        }
    }
}
