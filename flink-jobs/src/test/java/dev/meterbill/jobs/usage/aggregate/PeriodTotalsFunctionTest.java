package dev.meterbill.jobs.usage.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

/** Open periods: exact totals of the month and its days, emitted at most once per refresh interval. */
class PeriodTotalsFunctionTest extends PeriodTotalsHarness {

    @Test
    void decimalsAreSummedExactlyInTheMonthAndItsDays() throws Exception {
        harness = open(0, true, null, 0);
        send("0.1", "2026-01-10T00:00:00Z");
        send("0.2", "2026-01-10T23:00:00Z");
        send("0.3", "2026-01-11T00:00:00Z");

        assertThat(months()).last().isEqualTo("2026-01 0.6 3 open");
        assertThat(days()).containsExactly("2026-01-10 0.1 1 open", "2026-01-10 0.3 2 open", "2026-01-11 0.3 1 open");
    }

    @Test
    void hoursAreThoseOfTheBillingTimezonesClock() throws Exception {
        harness = open(0, true, null, 0);
        // Asia/Kolkata is UTC+05:30: 10:15Z is 15:45 there (the hour from 09:30Z), 10:45Z is 16:15 (from 10:30Z)
        send(at("1", "2026-01-10T10:15:00Z").zone("Asia/Kolkata"));
        send(at("2", "2026-01-10T10:29:59Z").zone("Asia/Kolkata"));
        send(at("4", "2026-01-10T10:45:00Z").zone("Asia/Kolkata"));

        assertThat(hours()).containsExactly("2026-01-10T09:30:00Z 1 1 open", "2026-01-10T09:30:00Z 3 2 open",
                "2026-01-10T10:30:00Z 4 1 open");
        assertThat(months()).last().isEqualTo("2026-01 7 3 open");
    }

    @Test
    void minMaxAndLatestFollowEventTimeNotArrivalOrder() throws Exception {
        harness = open(0, true, null, 0);
        send("5", "2026-01-20T00:00:00Z");
        send("2", "2026-01-05T00:00:00Z");
        send("9", "2026-01-10T00:00:00Z");

        UsageTotal t = harness.extractOutputValues().get(2);
        assertThat(List.of(t.min(), t.max(), t.latest(), t.sum()))
                .containsExactly(new BigDecimal("2"), new BigDecimal("9"), new BigDecimal("5"), new BigDecimal("16"));
        assertThat(t.latestAt()).isEqualTo(Instant.parse("2026-01-20T00:00:00Z"));
    }

    @Test
    void onATimestampTieTheGreaterEventIdIsLatestWhateverTheArrivalOrder() throws Exception {
        harness = open(0, true, null, 0);
        send(at("7", "2026-01-20T00:00:00Z").eventId("00000000-0000-0000-0000-00000000000b"));
        send(at("3", "2026-01-20T00:00:00Z").eventId("00000000-0000-0000-0000-00000000000a"));

        assertThat(harness.extractOutputValues().get(1).latest()).isEqualTo(new BigDecimal("7"));
    }

    @Test
    void openTotalsAreEmittedAtMostOncePerRefreshIntervalAsAbsoluteValuesOfWhatChanged() throws Exception {
        harness = open(1000, true, null, 0);
        send("1", "2026-01-10T00:00:00Z");
        harness.setProcessingTime(400);
        send("2", "2026-01-11T00:00:00Z");
        assertThat(months()).isEmpty();

        harness.setProcessingTime(1000);
        assertThat(months()).containsExactly("2026-01 3 2 open");
        assertThat(days()).containsExactlyInAnyOrder("2026-01-10 1 1 open", "2026-01-11 2 1 open");

        harness.setProcessingTime(5000);
        send("4", "2026-01-11T01:00:00Z");
        harness.setProcessingTime(6000);
        assertThat(months()).containsExactly("2026-01 3 2 open", "2026-01 7 3 open");
        assertThat(days()).as("only the changed day again").hasSize(3).last().isEqualTo("2026-01-11 6 2 open");
    }

    @Test
    void combinedUsageCountsAsTheEventsItHolds() throws Exception {
        harness = open(0, true, null, 0);
        send("0.5", "2026-01-10T00:00:00Z");
        sendCombined(at("1.25", "2026-01-10T01:00:00Z"), at("0.25", "2026-01-10T03:00:00Z"), at("3", "2026-01-10T02:00:00Z"));

        UsageTotal t = harness.extractOutputValues().get(1);
        // 0.5 + 1.25 + 0.25 + 3; the latest is the 03:00 event's 0.25, whatever the order of arrival
        assertThat(List.of(t.sum(), t.min(), t.max(), t.latest()))
                .containsExactly(new BigDecimal("5.00"), new BigDecimal("0.25"), new BigDecimal("3"), new BigDecimal("0.25"));
        assertThat(t.count()).isEqualTo(4);
        assertThat(days()).last().isEqualTo("2026-01-10 5.00 4 open");
    }

    @Test
    void anIstMonthAndDayStartAtEighteenThirtyUtc() throws Exception {
        harness = open(0, true, null, 0);
        send(at("1", "2026-01-31T18:29:59.999Z").zone("Asia/Kolkata"));
        send(at("2", "2026-01-31T18:30:00Z").zone("Asia/Kolkata"));

        assertThat(months()).containsExactly("2026-01 1 1 open", "2026-02 2 1 open");
        assertThat(days()).containsExactly("2026-01-31 1 1 open", "2026-02-01 2 1 open");
    }

    @Test
    void totalsSurviveACheckpointAndRestore() throws Exception {
        harness = open(0, true, null, 0);
        send("1.5", "2026-01-10T00:00:00Z");
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = open(0, true, snapshot, 1);
        send("2.5", "2026-01-11T00:00:00Z");

        UsageTotal t = harness.extractOutputValues().get(0);
        assertThat(t.sum()).isEqualTo(new BigDecimal("4.0"));
        assertThat(t.count()).isEqualTo(2);
        assertThat(t.organisationId()).isEqualTo(org.toString());
        assertThat(t.projectId()).isEqualTo(project.toString());
    }
}
