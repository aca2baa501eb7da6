package dev.meterbill.jobs.usage;

import static dev.meterbill.jobs.testutils.TestEvents.event;
import static dev.meterbill.jobs.testutils.TestEvents.rawText;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ParseEnvelopeFunctionTest {

    private OneInputStreamOperatorTestHarness<RawEnvelope, UsageRecord> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forProcessFunction(new ParseEnvelopeFunction());
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void aValidEnvelopeBecomesAUsageRecordWithItsExactValue() throws Exception {
        harness.processElement(event().eventId("00000000-0000-0000-0000-000000000001").value("0.000000000001")
                .at("2026-01-31T18:30:00Z").zone("Asia/Kolkata").key("k-1").raw(), 0);

        List<UsageRecord> out = harness.extractOutputValues();
        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.eventId()).isEqualTo("00000000-0000-0000-0000-000000000001");
            assertThat(r.value()).isEqualTo(new BigDecimal("0.000000000001"));
            assertThat(r.timestamp()).isEqualTo(Instant.parse("2026-01-31T18:30:00Z"));
            assertThat(r.billingTimezone()).isEqualTo("Asia/Kolkata");
            assertThat(r.idempotencyKey()).isEqualTo("k-1");
        });
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void malformedRecordsGoToTheDeadLetterQueueWithAReason() throws Exception {
        harness.processElement(rawText("not json at all"), 0);
        harness.processElement(rawText("[1, 2]"), 0);
        harness.processElement(rawText("{\"metricName\":\"api_calls\"}"), 0);
        harness.processElement(RawEnvelope.of(null), 0);
        harness.processElement(rawText(new String(event().zone("Mars/Olympus").bytes(), StandardCharsets.UTF_8)), 0);
        harness.processElement(rawText(new String(event().bytes(), StandardCharsets.UTF_8)
                .replaceFirst("\"metricValue\":\"1\"", "\"metricValue\":\"-1\"")), 0);
        harness.processElement(event().value("0.0000000000001").raw(), 0);
        harness.processElement(event().value("100000000000000000000").raw(), 0);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(deadLetters()).extracting(DeadLetter::reason).satisfiesExactly(
                r -> assertThat(r).startsWith("not JSON"),
                r -> assertThat(r).isEqualTo("not a JSON object"),
                r -> assertThat(r).isEqualTo("missing billingTimezone"),
                r -> assertThat(r).isEqualTo("empty record"),
                r -> assertThat(r).isEqualTo("unknown billingTimezone Mars/Olympus"),
                r -> assertThat(r).isEqualTo("negative metricValue"),
                r -> assertThat(r).isEqualTo("metricValue has more than 12 fractional digits"),
                r -> assertThat(r).isEqualTo("metricValue is not below 10^20"));
    }

    @Test
    void aDeadLetterKeepsTheOriginalPayloadKeyAndKafkaCoordinates() throws Exception {
        byte[] key = "project-7".getBytes(StandardCharsets.UTF_8);
        harness.processElement(new RawEnvelope("usage-events", 3, 42L, key,
                "{broken".getBytes(StandardCharsets.UTF_8)), 0);

        assertThat(deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.payload()).isEqualTo("{broken");
            assertThat(d.key()).isEqualTo("project-7");
            assertThat(d.topic()).isEqualTo("usage-events");
            assertThat(d.partition()).isEqualTo(3);
            assertThat(d.offset()).isEqualTo(42L);
        });
    }

    private List<DeadLetter> deadLetters() {
        var side = harness.getSideOutput(ParseEnvelopeFunction.DEAD_LETTERS);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }
}
