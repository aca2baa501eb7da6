package dev.meterbill.jobs.usage.aggregate;

import dev.meterbill.jobs.usage.UsageAccumulator;
import dev.meterbill.jobs.usage.UsageRecord;

import static dev.meterbill.jobs.testutils.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.jobs.testutils.TestEvents;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Combining before the shuffle: exact totals per (project, metric, day), nothing held across a
 * watermark or a checkpoint barrier, and never for a period that could be closing.
 */
class PeriodUsageCombinerTest {

    private static final long GRACE = Duration.ofHours(1).toMillis();
    private static final long INTERVAL = 200;
    /** January 2026 (UTC) ends at Feb 1 00:00; plus one hour of grace; the last millisecond before that. */
    private static final long JAN_FINAL_AT = Instant.parse("2026-02-01T01:00:00Z").toEpochMilli() - 1;
    private static final long MARGIN = PeriodUsageCombiner.MARGIN.toMillis();

    private final UUID project = UUID.randomUUID();
    private final UUID org = UUID.randomUUID();
    private OneInputStreamOperatorTestHarness<UsageRecord, PeriodUsage> harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void eventsOfOneProjectMetricAndHourBecomeOneRecordPerInterval() throws Exception {
        harness = open(INTERVAL);
        send(at("1.25", "2026-01-10T01:00:00Z"));
        send(at("0.25", "2026-01-10T01:45:00Z"));
        send(at("3", "2026-01-10T01:30:00Z"));
        send(at("5", "2026-01-10T02:00:00Z"));
        send(at("7", "2026-01-11T00:00:00Z"));
        send(at("2", "2026-01-10T00:00:00Z").metric("storage_gb"));
        send(at("4", "2026-01-31T20:00:00Z").zone("Asia/Kolkata"));
        assertThat(harness.getOutput()).isEmpty();

        harness.setProcessingTime(INTERVAL);

        assertThat(outputs()).containsExactlyInAnyOrder(
                "api_calls 2026-01 2026-01-10 4.50 3 combined",
                "api_calls 2026-01 2026-01-10 5 1 event",
                "api_calls 2026-01 2026-01-11 7 1 event",
                "storage_gb 2026-01 2026-01-10 2 1 event",
                "api_calls 2026-02 2026-02-01 4 1 event");
        PeriodUsage combined = harness.extractOutputValues().stream().filter(u -> u.event() == null).findFirst().orElseThrow();
        // min 0.25, max 3, and the latest is the 01:45 event's value although it did not arrive last
        assertThat(List.of(combined.combined().min(), combined.combined().max(), combined.combined().latest()))
                .containsExactly(new BigDecimal("0.25"), new BigDecimal("3"), new BigDecimal("0.25"));
        assertThat(combined.combined().latestAt()).isEqualTo(Instant.parse("2026-01-10T01:45:00Z"));
        assertThat(combined.hour()).isEqualTo(Instant.parse("2026-01-10T01:00:00Z").toEpochMilli());
    }

    /**
     * An event the gateway received more than {@link PeriodUsageCombiner#BEHIND} before it reaches the combiner says
     * the job is behind (a backlog after an outage, a burst): its interval is {@value PeriodUsageCombiner#CATCH_UP}
     * times as long, so the totals downstream get fewer records and the job catches up sooner; once events arrive
     * fresh again, intervals are the short ones.
     */
    @Test
    void behindRealTimeUsageIsCombinedForLonger() throws Exception {
        long now = Instant.parse("2026-01-10T02:00:00Z").toEpochMilli();
        harness = open(INTERVAL);
        harness.setProcessingTime(now);
        send(at("1", "2026-01-10T01:00:00Z").receivedAt("2026-01-10T01:59:58Z"));
        send(at("2", "2026-01-10T01:00:01Z").receivedAt("2026-01-10T01:59:59.900Z"));

        harness.setProcessingTime(now + INTERVAL);
        assertThat(harness.getOutput()).as("still combining").isEmpty();
        harness.setProcessingTime(now + PeriodUsageCombiner.CATCH_UP * INTERVAL);
        assertThat(outputs()).containsExactly("api_calls 2026-01 2026-01-10 3 2 combined");

        harness.getOutput().clear();
        long later = now + PeriodUsageCombiner.CATCH_UP * INTERVAL;
        send(at("3", "2026-01-10T01:00:02Z").receivedAt(Instant.ofEpochMilli(later - 900).toString()));
        send(at("4", "2026-01-10T01:00:03Z").receivedAt("2026-01-10T01:59:00Z"));
        harness.setProcessingTime(later + INTERVAL);
        assertThat(outputs()).as("the first event of an interval was fresh").containsExactly("api_calls 2026-01 2026-01-10 7 2 combined");
    }

    /**
     * The combiner adds up in place; its totals must be {@link UsageAccumulator#add}'s, event by event, whatever the
     * order: ties of timestamp (the greater eventId is the latest), equal values written with different scales (min and
     * max keep the first), the latest arriving first, in the middle or last.
     */
    @Test
    void combinedTotalsAreTheAccumulatorsOwn() throws Exception {
        String[][] cases = {
            // value, timestamp, eventId: one row per event, in arrival order
            {"1.50", "2026-01-10T01:00:00Z", "00000000-0000-0000-0000-000000000002"},
            {"1.5", "2026-01-10T01:00:00Z", "00000000-0000-0000-0000-000000000003"},
            {"0.10", "2026-01-10T01:59:59.999Z", "00000000-0000-0000-0000-000000000001"},
            {"0.1", "2026-01-10T01:59:59.999Z", "00000000-0000-0000-0000-000000000009"},
            {"7", "2026-01-10T01:30:00.000000001Z", "00000000-0000-0000-0000-000000000005"},
            {"7.00", "2026-01-10T01:30:00Z", "00000000-0000-0000-0000-000000000004"},
        };
        for (int rotation = 0; rotation < cases.length; rotation++) {
            harness = open(INTERVAL);
            UsageAccumulator expected = null;
            for (int i = 0; i < cases.length; i++) {
                String[] c = cases[(i + rotation) % cases.length];
                UsageRecord r = at(c[0], c[1]).eventId(c[2]).record();
                expected = expected == null ? UsageAccumulator.of(r) : expected.add(r);
                harness.processElement(r, 0);
            }
            harness.prepareSnapshotPreBarrier(1);

            List<PeriodUsage> out = harness.extractOutputValues();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).totals()).as("rotation %s", rotation).isEqualTo(expected);
            harness.close();
        }
        harness = null;
    }

    @Test
    void aWatermarkIsForwardedOnlyAfterTheUsageThatCameBeforeIt() throws Exception {
        harness = open(INTERVAL);
        send(at("1", "2026-01-10T01:00:00Z"));
        send(at("2", "2026-01-10T01:30:00Z"));
        harness.processWatermark(new Watermark(1000));

        assertThat(harness.getOutput()).hasSize(2);
        assertThat(harness.getOutput().poll()).isInstanceOf(StreamRecord.class);
        assertThat(harness.getOutput().poll()).isEqualTo(new Watermark(1000));
    }

    @Test
    void nothingIsPendingWhenTheCheckpointBarrierPasses() throws Exception {
        harness = open(INTERVAL);
        send(at("1", "2026-01-10T01:00:00Z"));
        send(at("2", "2026-01-10T01:30:00Z"));
        harness.prepareSnapshotPreBarrier(1);

        assertThat(outputs()).containsExactly("api_calls 2026-01 2026-01-10 3 2 combined");
    }

    @Test
    void withinTheMarginOfItsPeriodsEndUsageGoesOnAloneAndAtOnce() throws Exception {
        harness = open(INTERVAL);
        harness.setProcessingTime(JAN_FINAL_AT - MARGIN - 1);
        send(at("1", "2026-01-31T23:00:00Z"));
        send(at("2", "2026-01-31T23:00:01Z"));
        assertThat(harness.getOutput()).as("still combined").isEmpty();
        harness.prepareSnapshotPreBarrier(1);
        harness.getOutput().clear();

        harness.setProcessingTime(JAN_FINAL_AT - MARGIN);
        send(at("3", "2026-01-31T23:00:02Z"));
        send(at("4", "2026-01-31T23:00:03Z"));
        send(at("5", "2026-02-01T00:00:00Z"));

        assertThat(outputs()).containsExactly("api_calls 2026-01 2026-01-31 3 1 event", "api_calls 2026-01 2026-01-31 4 1 event");
    }

    @Test
    void usageOfAPeriodTheWatermarkReachedGoesOnAlone() throws Exception {
        harness = open(INTERVAL);
        harness.processWatermark(new Watermark(JAN_FINAL_AT));
        harness.getOutput().clear();
        send(at("1", "2026-01-10T00:00:00Z"));
        send(at("2", "2026-01-10T00:00:00Z"));

        assertThat(outputs()).containsExactly("api_calls 2026-01 2026-01-10 1 1 event", "api_calls 2026-01 2026-01-10 2 1 event");
    }

    @Test
    void afterARestoreTheGreatestWatermarkOfTheOldSubtasksStillCounts() throws Exception {
        OperatorSubtaskState ahead = snapshotAfter(new Watermark(JAN_FINAL_AT), 0);
        OperatorSubtaskState behind = snapshotAfter(new Watermark(JAN_FINAL_AT - 5_000), 1);

        harness = open(INTERVAL, AbstractStreamOperatorTestHarness.repackageState(ahead, behind));
        send(at("1", "2026-01-10T00:00:00Z"));

        assertThat(outputs()).containsExactly("api_calls 2026-01 2026-01-10 1 1 event");
    }

    @Test
    void theEndOfInputIsNotTheEndOfTime() throws Exception {
        OperatorSubtaskState drained = snapshotAfter(Watermark.MAX_WATERMARK, 0);

        harness = open(INTERVAL, drained);
        send(at("1", "2026-01-10T00:00:00Z"));
        send(at("2", "2026-01-10T00:00:00Z"));
        harness.setProcessingTime(INTERVAL);

        assertThat(outputs()).containsExactly("api_calls 2026-01 2026-01-10 3 2 combined");
    }

    @Test
    void withoutAnIntervalEveryEventGoesOnAtOnce() throws Exception {
        harness = open(0);
        send(at("1", "2026-01-10T00:00:00Z"));
        send(at("2", "2026-01-10T00:00:00Z"));

        assertThat(outputs()).containsExactly("api_calls 2026-01 2026-01-10 1 1 event", "api_calls 2026-01 2026-01-10 2 1 event");
    }

    @Test
    void aFullBufferIsSentWithoutWaitingForTheInterval() throws Exception {
        harness = open(INTERVAL);
        for (int i = 0; i < PeriodUsageCombiner.MAX_BUCKETS; i++) {
            send(at("1", "2026-01-10T00:00:00Z").metric("m" + i));
        }

        assertThat(harness.getOutput()).hasSize(PeriodUsageCombiner.MAX_BUCKETS);
    }

    private TestEvents at(String value, String instant) {
        return event(project, org).value(value).at(instant);
    }

    private void send(TestEvents event) throws Exception {
        harness.processElement(event.record(), 0);
    }

    /** metric, period, day, sum, count, and whether the record is one event or combined. */
    private List<String> outputs() {
        return harness.extractOutputValues().stream()
                .map(u -> u.metricName() + " " + u.period() + " " + u.day() + " " + u.totals().sum().toPlainString()
                        + " " + u.count() + (u.event() != null ? " event" : " combined"))
                .toList();
    }

    private OperatorSubtaskState snapshotAfter(Watermark watermark, int subtask) throws Exception {
        try (var h = new OneInputStreamOperatorTestHarness<>(new PeriodUsageCombiner(INTERVAL, GRACE), 128, 2, subtask)) {
            h.open();
            h.processWatermark(watermark);
            return h.snapshot(1, 1);
        }
    }

    private static OneInputStreamOperatorTestHarness<UsageRecord, PeriodUsage> open(long intervalMs) throws Exception {
        return open(intervalMs, null);
    }

    private static OneInputStreamOperatorTestHarness<UsageRecord, PeriodUsage> open(long intervalMs,
            OperatorSubtaskState restore) throws Exception {
        var h = new OneInputStreamOperatorTestHarness<UsageRecord, PeriodUsage>(new PeriodUsageCombiner(intervalMs, GRACE));
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }
}
