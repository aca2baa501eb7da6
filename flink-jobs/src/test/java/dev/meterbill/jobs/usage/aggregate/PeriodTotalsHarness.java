package dev.meterbill.jobs.usage.aggregate;

import dev.meterbill.jobs.usage.UsageAccumulator;
import dev.meterbill.jobs.usage.UsageRecord;

import static dev.meterbill.jobs.testutils.TestEvents.event;

import dev.meterbill.events.BillingPeriod;
import dev.meterbill.jobs.testutils.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;

/** Drives {@link PeriodTotalsFunction} in Flink's keyed operator harness; describes its output as text. */
abstract class PeriodTotalsHarness {

    static final long GRACE = Duration.ofHours(1).toMillis();
    static final long QUIET = 60_000;
    static final long RETENTION = Duration.ofDays(36).toMillis();
    /** January 2026 (UTC) ends at Feb 1 00:00; plus one hour of grace; the last millisecond before that. */
    static final long JAN_FINAL_AT = Instant.parse("2026-02-01T01:00:00Z").toEpochMilli() - 1;

    final UUID project = UUID.randomUUID();
    final UUID org = UUID.randomUUID();
    KeyedOneInputStreamOperatorTestHarness<Tuple3<String, String, String>, PeriodUsage, UsageTotal> harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    TestEvents at(String value, String instant) {
        return event(project, org).value(value).at(instant);
    }

    void send(String value, String instant) throws Exception {
        send(at(value, instant));
    }

    /** The event as it reaches the totals uncombined. */
    void send(TestEvents event) throws Exception {
        harness.processElement(usage(event.record()), 0);
    }

    /** The events as the combiner would send them: their totals, in one record. */
    void sendCombined(TestEvents... events) throws Exception {
        UsageRecord first = events[0].record();
        UsageAccumulator totals = UsageAccumulator.of(first);
        for (int i = 1; i < events.length; i++) {
            totals = totals.add(events[i].record());
        }
        PeriodUsage one = usage(first);
        harness.processElement(PeriodUsage.combined(one.projectId(), one.metricName(), one.period(), one.day(),
                one.hour(), totals), 0);
    }

    static PeriodUsage usage(UsageRecord r) {
        return PeriodUsage.of(r, BillingPeriod.containing(r.timestamp(), r.billingTimezone()).key(),
                BillingPeriod.dayOf(r.timestamp(), r.billingTimezone()).toString(),
                r.timestamp().atZone(java.time.ZoneId.of(r.billingTimezone())).truncatedTo(java.time.temporal.ChronoUnit.HOURS)
                        .toInstant().toEpochMilli());
    }

    List<String> months() {
        return harness.extractOutputValues().stream().map(PeriodTotalsHarness::describe).toList();
    }

    List<String> days() {
        return side(PeriodTotalsFunction.DAILY_TOTALS).stream().map(PeriodTotalsHarness::describe).toList();
    }

    List<String> hours() {
        return side(PeriodTotalsFunction.HOURLY_TOTALS).stream().map(PeriodTotalsHarness::describe).toList();
    }

    List<LateEvent> late() {
        return side(PeriodTotalsFunction.LATE_EVENTS);
    }

    private <T> List<T> side(OutputTag<T> tag) {
        var records = harness.getSideOutput(tag);
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
    }

    private static String describe(UsageTotal t) {
        return t.bucket() + " " + t.sum().toPlainString() + " " + t.count() + (t.isFinal() ? " final" : " open");
    }

    static KeyedOneInputStreamOperatorTestHarness<Tuple3<String, String, String>, PeriodUsage, UsageTotal> open(
            long refreshMs, boolean awaitCheckpoints, OperatorSubtaskState restore, long restoredCheckpoint)
            throws Exception {
        var settings = new PeriodTotalsFunction.Settings(GRACE, QUIET, RETENTION, refreshMs, awaitCheckpoints);
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new PeriodTotalsFunction(settings)),
                new PeriodTotalsFunction.Key(), PeriodTotalsFunction.KEY_TYPE);
        h.setup();
        if (restore != null) {
            h.setRestoredCheckpointId(restoredCheckpoint);
            h.initializeState(restore);
        }
        h.open();
        return h;
    }
}
