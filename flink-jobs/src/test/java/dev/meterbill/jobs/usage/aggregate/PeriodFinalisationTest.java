package dev.meterbill.jobs.usage.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterbill.jobs.testutils.TestEvents;
import java.math.BigDecimal;
import java.time.Instant;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

/** Closing a period: by watermark or quiet wall clock, durable before it is written, late events aside. */
class PeriodFinalisationTest extends PeriodTotalsHarness {

    @Test
    void theWatermarkPastEndPlusGraceFinalisesOnceTheCheckpointHoldingTheDecisionCompleted() throws Exception {
        harness = open(60_000, true, null, 0);
        send("1", "2026-01-10T00:00:00Z");
        send("2", "2026-01-31T23:00:00Z");
        harness.processWatermark(JAN_FINAL_AT - 1);
        assertThat(months()).isEmpty();

        harness.processWatermark(JAN_FINAL_AT);
        assertThat(months()).as("flushed, not final yet").containsExactly("2026-01 3 2 open");
        TestEvents late = at("100", "2026-01-15T00:00:00Z");
        send(late);
        harness.setProcessingTime(60_000);
        assertThat(months()).hasSize(1);
        assertThat(late()).isEmpty();

        harness.snapshot(1, 1);
        harness.notifyOfCompletedCheckpoint(1);
        harness.setProcessingTime(120_000);

        assertThat(months()).containsExactly("2026-01 3 2 open", "2026-01 3 2 final");
        assertThat(days()).containsExactlyInAnyOrder("2026-01-10 1 1 open", "2026-01-31 2 1 open",
                "2026-01-10 1 1 final", "2026-01-31 2 1 final");
        assertThat(late()).singleElement().satisfies(e -> {
            assertThat(e.eventId()).isEqualTo(late.build().eventId().toString());
            assertThat(e.value()).isEqualTo(new BigDecimal("100"));
            assertThat(e.period()).isEqualTo("2026-01");
            assertThat(e.reason()).isEqualTo("period 2026-01 was already final");
        });
    }

    @Test
    void afterFinalisationOnlyAMarkerRemainsForTheRetentionAndLaterEventsAreLateAtOnce() throws Exception {
        harness = open(0, false, null, 0);
        send("1", "2026-01-10T00:00:00Z");
        harness.processWatermark(JAN_FINAL_AT);
        assertThat(months()).containsExactly("2026-01 1 1 open", "2026-01 1 1 final");

        assertThat(harness.numKeyedStateEntries()).as("the final marker").isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).as("the marker's expiry").isEqualTo(1);

        send("5", "2026-01-12T00:00:00Z");
        assertThat(late()).extracting(LateEvent::value).containsExactly(new BigDecimal("5"));
        assertThat(months()).hasSize(2);

        harness.setProcessingTime(RETENTION);
        assertThat(harness.numKeyedStateEntries()).as("nothing is kept for ever").isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void combinedUsageReachingAFinalPeriodFailsTheJobInsteadOfLosingItsEvents() throws Exception {
        harness = open(0, false, null, 0);
        send("1", "2026-01-10T00:00:00Z");
        harness.processWatermark(JAN_FINAL_AT);

        assertThatThrownBy(() -> sendCombined(at("2", "2026-01-11T00:00:00Z"), at("3", "2026-01-12T00:00:00Z")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("combined usage of 2 events")
                .hasMessageContaining("period 2026-01 after it closed");
        assertThat(months()).containsExactly("2026-01 1 1 open", "2026-01 1 1 final");
        assertThat(late()).isEmpty();
    }

    @Test
    void aRestoreToACheckpointBeforeTheDecisionForgetsItAndDecidesAgain() throws Exception {
        harness = open(0, true, null, 0);
        send("1", "2026-01-10T00:00:00Z");
        OperatorSubtaskState beforeDecision = harness.snapshot(1, 1);
        harness.processWatermark(JAN_FINAL_AT);
        TestEvents third = at("3", "2026-01-11T00:00:00Z");
        send(third);
        assertThat(months()).noneMatch(m -> m.endsWith("final"));
        harness.close();

        harness = open(0, true, beforeDecision, 1);
        send(third);
        harness.processWatermark(JAN_FINAL_AT);
        harness.snapshot(2, 2);
        harness.notifyOfCompletedCheckpoint(2);
        harness.setProcessingTime(200);

        assertThat(months()).last().isEqualTo("2026-01 4 2 final");
        assertThat(late()).isEmpty();
    }

    @Test
    void aDecisionInTheRestoredCheckpointIsPublishedAfterTheRestore() throws Exception {
        harness = open(0, true, null, 0);
        send("1", "2026-01-10T00:00:00Z");
        harness.processWatermark(JAN_FINAL_AT);
        send("5", "2026-01-12T00:00:00Z");
        OperatorSubtaskState closing = harness.snapshot(1, 1);
        harness.close();

        harness = open(0, true, closing, 1);
        harness.setProcessingTime(200);

        assertThat(months()).containsExactly("2026-01 1 1 final");
        assertThat(late()).extracting(LateEvent::value).containsExactly(new BigDecimal("5"));
    }

    @Test
    void anIdleStreamIsFinalisedOnProcessingTimeOnceTheWatermarkStoodStillForTheQuietPeriod() throws Exception {
        harness = open(0, false, null, 0);
        harness.setProcessingTime(Instant.parse("2026-01-20T00:00:00Z").toEpochMilli());
        send("1", "2026-01-20T00:00:00Z");
        harness.processWatermark(Instant.parse("2026-01-19T23:59:55Z").toEpochMilli());

        harness.setProcessingTime(JAN_FINAL_AT + 1);
        harness.setProcessingTime(JAN_FINAL_AT + QUIET);
        assertThat(months()).noneMatch(m -> m.endsWith("final"));

        harness.setProcessingTime(JAN_FINAL_AT + 1 + QUIET);
        assertThat(months()).last().isEqualTo("2026-01 1 1 final");
    }

    @Test
    void aMovingWatermarkPostponesProcessingTimeFinalisation() throws Exception {
        harness = open(0, false, null, 0);
        harness.setProcessingTime(Instant.parse("2026-01-20T00:00:00Z").toEpochMilli());
        send("1", "2026-01-20T00:00:00Z");
        harness.processWatermark(Instant.parse("2026-01-19T23:59:55Z").toEpochMilli());

        harness.setProcessingTime(JAN_FINAL_AT + 1);
        harness.processWatermark(Instant.parse("2026-01-25T00:00:00Z").toEpochMilli()); // a backlog being read
        harness.setProcessingTime(JAN_FINAL_AT + 1 + QUIET);
        assertThat(months()).noneMatch(m -> m.endsWith("final"));

        harness.setProcessingTime(JAN_FINAL_AT + 1 + 2 * QUIET);
        assertThat(months()).last().isEqualTo("2026-01 1 1 final");
    }

    @Test
    void theEndOfInputWatermarkFlushesButNeverFinalises() throws Exception {
        harness = open(60_000, false, null, 0);
        send("1", "2026-01-10T00:00:00Z");
        harness.processWatermark(Long.MAX_VALUE);

        assertThat(months()).containsExactly("2026-01 1 1 open");
        assertThat(days()).containsExactly("2026-01-10 1 1 open");
    }

    @Test
    void aPeriodFlushedByADrainBeforeASavepointStillClosesAfterTheRestore() throws Exception {
        harness = open(0, false, null, 0);
        send("1", "2026-01-10T00:00:00Z");
        harness.processWatermark(Long.MAX_VALUE);
        OperatorSubtaskState drained = harness.snapshot(1, 1);
        harness.close();

        harness = open(0, false, drained, 1);
        harness.processWatermark(JAN_FINAL_AT);
        harness.setProcessingTime(JAN_FINAL_AT + 1);

        assertThat(months()).containsExactly("2026-01 1 1 final");
    }

    @Test
    void anEventForAPeriodThatClosedBeforeItsKeyHadAnyIsLate() throws Exception {
        harness = open(0, true, null, 0);
        harness.processWatermark(JAN_FINAL_AT);
        send("8", "2026-01-10T00:00:00Z");
        harness.snapshot(1, 1);
        harness.notifyOfCompletedCheckpoint(1);
        harness.setProcessingTime(200);

        assertThat(months()).isEmpty();
        assertThat(late()).extracting(LateEvent::value).containsExactly(new BigDecimal("8"));
    }

    @Test
    void aRestoredSubtaskRemembersHowFarEventTimeHadGone() throws Exception {
        harness = open(0, true, null, 0);
        harness.processWatermark(JAN_FINAL_AT);
        send("1", "2026-02-10T00:00:00Z");
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = open(0, true, snapshot, 1);
        send("8", "2026-01-10T00:00:00Z");
        harness.snapshot(2, 2);
        harness.notifyOfCompletedCheckpoint(2);
        harness.setProcessingTime(200);

        assertThat(months()).isEmpty();
        assertThat(late()).extracting(LateEvent::value).containsExactly(new BigDecimal("8"));
    }
}
