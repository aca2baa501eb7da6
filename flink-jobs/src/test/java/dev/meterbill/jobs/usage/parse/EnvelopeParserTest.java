package dev.meterbill.jobs.usage.parse;

import dev.meterbill.jobs.usage.UsageRecord;

import dev.meterbill.events.UsageTopics;
import static dev.meterbill.jobs.testutils.TestEvents.event;
import static dev.meterbill.jobs.testutils.TestEvents.rawText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.jobs.testutils.TestEvents;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class EnvelopeParserTest {

    @Test
    void aValidEnvelopeBecomesAUsageRecordWithItsExactValue() {
        ParsedEnvelope parsed = event().eventId("00000000-0000-0000-0000-000000000001").value("0.000000000001")
                .at("2026-01-31T18:30:00Z").receivedAt("2026-01-31T18:30:02Z").zone("Asia/Kolkata").key("k-1").parsed();

        assertThat(parsed.deadLetter()).isNull();
        UsageRecord r = parsed.event();
        assertThat(r.eventId()).isEqualTo("00000000-0000-0000-0000-000000000001");
        assertThat(r.value()).isEqualTo(new BigDecimal("0.000000000001"));
        assertThat(r.timestamp()).isEqualTo(Instant.parse("2026-01-31T18:30:00Z"));
        assertThat(r.receivedAt()).isEqualTo(Instant.parse("2026-01-31T18:30:02Z"));
        assertThat(r.billingTimezone()).isEqualTo("Asia/Kolkata");
        assertThat(r.idempotencyKey()).isEqualTo("k-1");
    }

    @Test
    void malformedRecordsBecomeDeadLettersWithAReason() {
        List<String> reasons = Stream.of(
                        rawText("not json at all"),
                        rawText("[1, 2]"),
                        rawText("{\"metricName\":\"api_calls\"}"),
                        RawEnvelope.of(null),
                        rawText(new String(event().zone("Mars/Olympus").bytes(), StandardCharsets.UTF_8)),
                        rawText(new String(event().bytes(), StandardCharsets.UTF_8)
                                .replaceFirst("\"metricValue\":\"1\"", "\"metricValue\":\"-1\"")),
                        event().value("0.0000000000001").raw(),
                        event().value("100000000000000000000").raw(),
                        event().unit("c\u0000").raw(),
                        event().unit("c\ud800").raw(),
                        event().metric("api calls").raw(),
                        event().metadata(java.util.Map.of("model", "gpt\u0000")).raw(),
                        event().metadata(java.util.Map.of("\udc00", "x")).raw(),
                        event().key("key with spaces").raw())
                .map(EnvelopeParser::parse)
                .peek(p -> assertThat(p.event()).isNull())
                .map(p -> p.deadLetter().reason())
                .toList();

        assertThat(reasons).satisfiesExactly(
                r -> assertThat(r).startsWith("not JSON"),
                r -> assertThat(r).isEqualTo("not a JSON object"),
                r -> assertThat(r).isEqualTo("missing billingTimezone"),
                r -> assertThat(r).isEqualTo("empty record"),
                r -> assertThat(r).isEqualTo("unknown billingTimezone Mars/Olympus"),
                r -> assertThat(r).isEqualTo("negative metricValue"),
                r -> assertThat(r).isEqualTo("metricValue must have at most 12 fractional digits"),
                r -> assertThat(r).isEqualTo("metricValue must be below 10^20"),
                r -> assertThat(r).isEqualTo("unit must not contain NUL characters or unpaired UTF-16 surrogates"),
                r -> assertThat(r).isEqualTo("unit must not contain NUL characters or unpaired UTF-16 surrogates"),
                r -> assertThat(r).startsWith("metricName does not match"),
                r -> assertThat(r).isEqualTo("metadata.model must not contain NUL characters or unpaired UTF-16 surrogates"),
                r -> assertThat(r).contains("surrogate"), // the codec itself cannot write this key as UTF-8
                r -> assertThat(r).startsWith("idempotencyKey must be"));
    }

    @Test
    void anEventStampedFurtherAheadOfItsReceiptThanTheGatewayAllowsIsRefused() {
        ParsedEnvelope fiveMinutes = event().at("2026-01-01T00:05:00Z").receivedAt("2026-01-01T00:00:00Z").parsed();
        ParsedEnvelope beyond = event().at("2026-01-01T00:05:00.001Z").receivedAt("2026-01-01T00:00:00Z").parsed();

        assertThat(fiveMinutes.event()).isNotNull();
        assertThat(beyond.deadLetter().reason()).isEqualTo("timestamp is more than 5 minutes after receivedAt");
    }

    @Test
    void anEnvelopeReceivedFurtherAheadOfItsKafkaTimestampThanFiveMinutesIsRefused() {
        TestEvents event = event().at("2026-01-01T00:04:00Z").receivedAt("2026-01-01T00:05:00Z");
        long brokerTime = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

        assertThat(EnvelopeParser.parse(new RawEnvelope(UsageTopics.USAGE, 0, 1L, brokerTime, null, event.bytes())).event())
                .isNotNull();
        assertThat(EnvelopeParser.parse(new RawEnvelope(UsageTopics.USAGE, 0, 1L, brokerTime - 1, null, event.bytes()))
                .deadLetter().reason()).isEqualTo("receivedAt is more than 5 minutes after the Kafka record's timestamp");
        assertThat(event.parsed().event()).as("no Kafka timestamp, nothing to compare").isNotNull();
    }

    @Test
    void aDeadLetterKeepsTheOriginalPayloadKeyAndKafkaCoordinates() {
        byte[] key = "project-7".getBytes(StandardCharsets.UTF_8);
        DeadLetter d = EnvelopeParser.parse(new RawEnvelope(UsageTopics.USAGE, 3, 42L, 1_000L, key,
                "{broken".getBytes(StandardCharsets.UTF_8))).deadLetter();

        assertThat(d.payload()).isEqualTo("{broken");
        assertThat(d.key()).isEqualTo("project-7");
        assertThat(d.topic()).isEqualTo(UsageTopics.USAGE);
        assertThat(d.partition()).isEqualTo(3);
        assertThat(d.offset()).isEqualTo(42L);
    }

    @Test
    void eventTimeIsTheProducersTimestampAndADeadLetterNeverMovesTheWatermark() {
        var timestamps = new EventTime.Timestamps();

        assertThat(timestamps.extractTimestamp(event().at("2026-01-15T10:00:00Z").parsed(), 99L))
                .isEqualTo(Instant.parse("2026-01-15T10:00:00Z").toEpochMilli());
        assertThat(timestamps.extractTimestamp(EnvelopeParser.parse(rawText("{")), 99L)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void theRouterSendsKeyedEventsToDedupeKeylessOnesPastItAndDeadLettersAside() throws Exception {
        try (var harness = ProcessFunctionTestHarnesses.forProcessFunction(new RouteEnvelopesFunction())) {
            ParsedEnvelope keyed = event().key("k-1").parsed();
            ParsedEnvelope keyless = event().parsed();
            harness.processElement(keyed, 0);
            harness.processElement(keyless, 0);
            harness.processElement(EnvelopeParser.parse(rawText("nope")), 0);

            assertThat(harness.extractOutputValues()).containsExactly(keyed.event());
            assertThat(harness.getSideOutput(RouteEnvelopesFunction.WITHOUT_KEY))
                    .extracting(StreamRecord::getValue).containsExactly(keyless.event());
            assertThat(harness.getSideOutput(RouteEnvelopesFunction.DEAD_LETTERS))
                    .extracting(StreamRecord::getValue).extracting(DeadLetter::payload).containsExactly("nope");
        }
    }
}
