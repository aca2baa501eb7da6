package dev.meterbill.jobs.usage;

import static dev.meterbill.jobs.testutils.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.jobs.testutils.TestEvents;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UsageAggregateFunctionTest {

    private final UUID project = UUID.randomUUID();
    private final UUID org = UUID.randomUUID();
    private KeyedOneInputStreamOperatorTestHarness<Tuple3<String, String, String>, UsageRecord, UsageTotal> harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void decimalsAreSummedExactly() throws Exception {
        harness = open(Granularity.MONTH, 0, null);
        send("0.1", "2026-01-10T00:00:00Z");
        send("0.2", "2026-01-11T00:00:00Z");

        assertThat(last().sum()).isEqualTo(new BigDecimal("0.3"));
        assertThat(last().count()).isEqualTo(2);
    }

    @Test
    void minMaxAndLatestFollowEventTimeNotArrivalOrder() throws Exception {
        harness = open(Granularity.MONTH, 0, null);
        send("5", "2026-01-20T00:00:00Z");
        send("2", "2026-01-05T00:00:00Z");
        send("9", "2026-01-10T00:00:00Z");

        UsageTotal t = last();
        assertThat(t.min()).isEqualTo(new BigDecimal("2"));
        assertThat(t.max()).isEqualTo(new BigDecimal("9"));
        assertThat(t.latest()).isEqualTo(new BigDecimal("5"));
        assertThat(t.latestAt()).isEqualTo(Instant.parse("2026-01-20T00:00:00Z"));
        assertThat(t.sum()).isEqualTo(new BigDecimal("16"));
    }

    @Test
    void onATimestampTieTheGreaterEventIdIsLatestWhateverTheArrivalOrder() throws Exception {
        harness = open(Granularity.MONTH, 0, null);
        harness.processElement(at("7", "2026-01-20T00:00:00Z").eventId("00000000-0000-0000-0000-00000000000b").record(), 0);
        harness.processElement(at("3", "2026-01-20T00:00:00Z").eventId("00000000-0000-0000-0000-00000000000a").record(), 0);

        assertThat(last().latest()).isEqualTo(new BigDecimal("7"));
    }

    @Test
    void totalsAreEmittedAtMostOncePerRefreshIntervalAndOnlyWhenChanged() throws Exception {
        harness = open(Granularity.MONTH, 1000, null);
        harness.setProcessingTime(0);
        send("1", "2026-01-10T00:00:00Z");
        harness.setProcessingTime(400);
        send("2", "2026-01-10T00:00:01Z");
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.setProcessingTime(1000);
        assertThat(harness.extractOutputValues()).singleElement()
                .satisfies(t -> assertThat(t.sum()).isEqualTo(new BigDecimal("3")));
        assertThat(harness.numProcessingTimeTimers()).isZero();

        harness.setProcessingTime(5000);
        assertThat(harness.extractOutputValues()).hasSize(1);

        send("4", "2026-01-10T00:00:02Z");
        harness.setProcessingTime(6000);
        assertThat(harness.extractOutputValues()).hasSize(2);
        assertThat(last().sum()).as("absolute, not a delta").isEqualTo(new BigDecimal("7"));
        assertThat(last().count()).isEqualTo(3);
    }

    @Test
    void aWatermarkPastTheEndOfTheBucketFlushesWithoutWaitingForTheRefresh() throws Exception {
        harness = open(Granularity.MONTH, 60_000, null);
        send("1", "2026-01-10T00:00:00Z");
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(Instant.parse("2026-01-31T23:59:59.998Z").toEpochMilli());
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.processWatermark(Instant.parse("2026-01-31T23:59:59.999Z").toEpochMilli());

        assertThat(harness.extractOutputValues()).singleElement()
                .satisfies(t -> assertThat(t.bucket()).isEqualTo("2026-01"));
        assertThat(harness.numProcessingTimeTimers()).as("pending refresh cancelled").isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void theFinalWatermarkOfABoundedInputFlushesEveryBucket() throws Exception {
        harness = open(Granularity.DAY, 60_000, null);
        send("1", "2026-01-10T00:00:00Z");
        send("2", "2026-03-10T00:00:00Z");

        harness.processWatermark(Long.MAX_VALUE);

        assertThat(harness.extractOutputValues()).extracting(UsageTotal::bucket)
                .containsExactlyInAnyOrder("2026-01-10", "2026-03-10");
    }

    @Test
    void anIstMonthStartsAtEighteenThirtyUtcOnTheLastDayOfThePreviousMonth() throws Exception {
        harness = open(Granularity.MONTH, 0, null);
        harness.processElement(at("1", "2026-01-31T18:29:59.999Z").zone("Asia/Kolkata").record(), 0);
        harness.processElement(at("2", "2026-01-31T18:30:00Z").zone("Asia/Kolkata").record(), 0);
        harness.processElement(at("4", "2026-01-31T18:30:00Z").zone("UTC").metric("utc_metric").record(), 0);

        assertThat(harness.extractOutputValues())
                .extracting(t -> t.metricName() + " " + t.bucket() + " " + t.sum() + " " + t.timezone())
                .containsExactly(
                        "api_calls 2026-01 1 Asia/Kolkata",
                        "api_calls 2026-02 2 Asia/Kolkata",
                        "utc_metric 2026-01 4 UTC");
    }

    @Test
    void anIstDayStartsAtEighteenThirtyUtcTheDayBefore() throws Exception {
        harness = open(Granularity.DAY, 0, null);
        harness.processElement(at("1", "2026-01-31T18:29:59Z").zone("Asia/Kolkata").record(), 0);
        harness.processElement(at("2", "2026-01-31T18:30:00Z").zone("Asia/Kolkata").record(), 0);

        assertThat(harness.extractOutputValues()).extracting(UsageTotal::bucket)
                .containsExactly("2026-01-31", "2026-02-01");
    }

    @Test
    void totalsSurviveACheckpointAndRestore() throws Exception {
        harness = open(Granularity.MONTH, 0, null);
        send("1.5", "2026-01-10T00:00:00Z");
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = open(Granularity.MONTH, 0, snapshot);
        send("2.5", "2026-01-11T00:00:00Z");

        assertThat(last().sum()).isEqualTo(new BigDecimal("4.0"));
        assertThat(last().count()).isEqualTo(2);
        assertThat(last().organisationId()).isEqualTo(org.toString());
        assertThat(last().projectId()).isEqualTo(project.toString());
    }

    private TestEvents at(String value, String instant) {
        return event(project, org).value(value).at(instant);
    }

    private void send(String value, String instant) throws Exception {
        harness.processElement(at(value, instant).record(), 0);
    }

    private UsageTotal last() {
        var all = harness.extractOutputValues();
        assertThat(all).isNotEmpty();
        return all.get(all.size() - 1);
    }

    private static KeyedOneInputStreamOperatorTestHarness<Tuple3<String, String, String>, UsageRecord, UsageTotal> open(
            Granularity granularity, long refreshMs, OperatorSubtaskState restore) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new UsageAggregateFunction(granularity, refreshMs)),
                granularity.keySelector(), Granularity.KEY_TYPE);
        h.setup();
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }
}
