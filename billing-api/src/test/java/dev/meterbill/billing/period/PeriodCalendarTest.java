package dev.meterbill.billing.period;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PeriodCalendarTest {

    private static final ZoneId IST = ZoneId.of("Asia/Kolkata");
    private static final ZoneId UTC = ZoneId.of("UTC");

    static Stream<Arguments> usageBelongsToTheMonthOfTheBillingTimezone() {
        return Stream.of(
                // instant, zone, period
                Arguments.of("2026-01-31T18:29:59.999Z", IST, "2026-01"),
                Arguments.of("2026-01-31T18:30:00Z", IST, "2026-02"),   // 00:00 IST on 1 February
                Arguments.of("2026-01-31T18:30:00Z", UTC, "2026-01"),
                Arguments.of("2026-01-31T23:59:59Z", UTC, "2026-01"),
                Arguments.of("2026-02-01T00:00:00Z", UTC, "2026-02"),
                Arguments.of("2025-12-31T18:30:00Z", IST, "2026-01"));  // across the year boundary
    }

    @ParameterizedTest(name = "{0} in {1} is {2}")
    @MethodSource
    void usageBelongsToTheMonthOfTheBillingTimezone(String instant, ZoneId zone, String period) {
        assertThat(PeriodCalendar.periodOf(Instant.parse(instant), zone)).isEqualTo(YearMonth.parse(period));
    }

    @Test
    void anIstMonthEndsFiveAndAHalfHoursBeforeTheUtcMonth() {
        YearMonth january = YearMonth.of(2026, 1);
        Instant istMidnight = Instant.parse("2026-01-31T18:30:00Z");

        assertThat(PeriodCalendar.endOf(january, IST)).isEqualTo(istMidnight);
        assertThat(PeriodCalendar.hasEnded(january, IST, istMidnight)).isTrue();
        assertThat(PeriodCalendar.hasEnded(january, IST, istMidnight.minusMillis(1))).isFalse();
        assertThat(PeriodCalendar.hasEnded(january, UTC, istMidnight)).isFalse();
    }

    @Test
    void aPlanChangeTakesEffectAtTheNextPeriodOfTheOrganisationsTimezone() {
        Instant lateOn31January = Instant.parse("2026-01-31T20:00:00Z");

        assertThat(PeriodCalendar.nextPeriodStart(IST, lateOn31January)).isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(PeriodCalendar.nextPeriodStart(UTC, lateOn31January)).isEqualTo(LocalDate.of(2026, 2, 1));
    }

    @Test
    void aPeriodIsDueWhenItsUsageIsFinalOrTheDeadlineHasPassed() {
        YearMonth january = YearMonth.of(2026, 1);
        Instant end = PeriodCalendar.endOf(january, IST);
        Duration deadline = Duration.ofHours(48);

        assertThat(PeriodCalendar.isDue(january, IST, end.minusSeconds(1), true, deadline))
                .as("a running period is never due").isFalse();
        assertThat(PeriodCalendar.isDue(january, IST, end.plusSeconds(60), true, deadline)).isTrue();
        assertThat(PeriodCalendar.isDue(january, IST, end.plus(Duration.ofHours(47)), false, deadline)).isFalse();
        assertThat(PeriodCalendar.isDue(january, IST, end.plus(deadline), false, deadline)).isTrue();
    }

    @Test
    void theScheduledRunLooksAtTheTwoMonthsThatEndedSomewhereOnEarth() {
        // 11:00 UTC on 1 March is already 01:00 on 2 March in UTC+14, still 28 February in UTC-12
        assertThat(PeriodCalendar.recentlyEnded(Instant.parse("2026-03-01T11:00:00Z")))
                .containsExactly(YearMonth.of(2026, 1), YearMonth.of(2026, 2));
        // 09:00 UTC on 28 February is 23:00 in UTC+14: February has ended nowhere yet
        assertThat(PeriodCalendar.recentlyEnded(Instant.parse("2026-02-28T09:00:00Z")))
                .containsExactly(YearMonth.of(2025, 12), YearMonth.of(2026, 1));
    }
}
