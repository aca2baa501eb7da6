package dev.meterbill.jobs.usage;

import static dev.meterbill.jobs.testutils.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.jobs.usage.aggregate.PeriodUsage;
import dev.meterbill.jobs.usage.aggregate.PeriodUsageSerializer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Usage records and period usage cross the network between tasks field for field, nulls and labels included. */
class StreamSerializerTest {

    /** Twice in a row, so that a field read short or long shows in the second one. */
    private static <T> T roundTrip(StreamSerializer<T> serializer, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        serializer.serialize(value, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        serializer.deserialize(in);
        T back = serializer.deserialize(in);
        assertThat(in.available()).isZero();
        return back;
    }

    private static UsageRecord roundTrip(UsageRecord r) throws Exception {
        return roundTrip(UsageRecordSerializer.INSTANCE, r);
    }

    @Test
    void everyFieldComesBackAsItWas() throws Exception {
        UsageRecord r = event(UUID.randomUUID(), UUID.randomUUID()).metric("llm_tokens").value("0.000000000001")
                .key("k-1").metadata(Map.of("model", "large", "région", "ap-south-1 \uD83D\uDE80 東京", "n", 3))
                .at("2026-03-01T00:00:00.123456789Z")
                .record();

        assertThat(roundTrip(r)).isEqualTo(r);
        assertThat(r.labels()).containsEntry("n", "3").containsEntry("région", "ap-south-1 \uD83D\uDE80 東京");
    }

    @Test
    void nullsAndEmptyLabelsComeBackAsTheyWere() throws Exception {
        UsageRecord bare = new UsageRecord("e", "p", "o", "m", null, null, null, null, null, null, null);
        UsageRecord unlabelled = new UsageRecord("e", "p", "o", "m", new BigDecimal("-1E+3"), "count",
                Instant.EPOCH, Instant.EPOCH, "UTC", null, Map.of());

        assertThat(roundTrip(bare)).isEqualTo(bare);
        assertThat(roundTrip(unlabelled)).isEqualTo(unlabelled);
    }

    @Test
    void aNameReadAgainIsTheSameStringAndEveryOtherNameIsItsOwn() throws Exception {
        String longName = "m".repeat(300) + "{model=large}"; // beyond the table's longest: read as a fresh copy
        DataOutputSerializer out = new DataOutputSerializer(64);
        List<UsageRecord> sent = new ArrayList<>();
        for (int i = 0; i < 80_000; i++) {
            // 40,000 names (more than the table's slots, so that slots are shared and taken over), each sent twice
            String metric = i % 1_000 == 999 ? longName : "metric-" + (i % 40_000);
            sent.add(new UsageRecord("e-" + i, "p-" + (i % 7), "o", metric, BigDecimal.ONE, "count", Instant.EPOCH,
                    Instant.EPOCH, "Asia/Kolkata", null, Map.of("model", "m" + (i % 3))));
        }
        for (UsageRecord r : sent) {
            UsageRecordSerializer.INSTANCE.serialize(r, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        List<UsageRecord> back = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            back.add(UsageRecordSerializer.INSTANCE.deserialize(in));
        }
        assertThat(back).isEqualTo(sent);
        assertThat(back.get(7).projectId()).isSameAs(back.get(0).projectId());
        assertThat(back.get(1).billingTimezone()).isSameAs(back.get(0).billingTimezone());
        assertThat(back.get(40_001).metricName()).isEqualTo("metric-1");
    }

    @Test
    void periodUsageComesBackAsOneEventOrAsTotals() throws Exception {
        UsageRecord e = event(UUID.randomUUID(), UUID.randomUUID()).value("2.5").key("k").record();
        PeriodUsage single = PeriodUsage.of(e, "2026-03", "2026-03-01", 1_772_323_200_000L);
        PeriodUsage combined = PeriodUsage.combined(e.projectId(), "t{model=large}", "2026-03", "2026-03-01",
                1_772_323_200_000L, UsageAccumulator.of(e).add(e.as("t{model=large}")));

        assertThat(roundTrip(PeriodUsageSerializer.INSTANCE, single)).isEqualTo(single);
        assertThat(roundTrip(PeriodUsageSerializer.INSTANCE, combined)).isEqualTo(combined);
    }
}
