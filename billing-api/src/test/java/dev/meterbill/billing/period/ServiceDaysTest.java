package dev.meterbill.billing.period;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Proration by days, computed by hand: amount x billed days / days in the month, HALF_UP to the paisa. */
class ServiceDaysTest {

    private static LocalDate day(String value) {
        return value == null ? null : LocalDate.parse(value);
    }

    @ParameterizedTest(name = "{0}: starts {1}, ends {2}, trial to {3} -> {4} of {5} days, 999.00 -> {6} paise")
    @CsvSource(nullValues = "-", value = {
            // a whole month, whatever its length
            "2026-01, 2025-06-01, -,          -,          31, 31, 99900",
            "2026-04, 2025-06-01, -,          -,          30, 30, 99900",
            "2026-02, 2025-06-01, -,          -,          28, 28, 99900",
            "2028-02, 2025-06-01, -,          -,          29, 29, 99900",
            // ended within a 31-day month: 15 days served (1st to 15th): 99900 x 15 / 31 = 48338.709 -> 48339
            "2026-01, 2025-06-01, 2026-01-16, -,          15, 31, 48339",
            // ended within a 30-day month: 99900 x 15 / 30 = 49950
            "2026-04, 2025-06-01, 2026-04-16, -,          15, 30, 49950",
            // ended within February: 99900 x 14 / 28 = 49950; leap year 99900 x 14 / 29 = 48227.586 -> 48228
            "2026-02, 2025-06-01, 2026-02-15, -,          14, 28, 49950",
            "2028-02, 2025-06-01, 2028-02-15, -,          14, 29, 48228",
            // served one day only: 99900 / 31 = 3222.58 -> 3223
            "2026-01, 2025-06-01, 2026-01-02, -,           1, 31, 3223",
            // ended on the first day of the next month: the whole month
            "2026-01, 2025-06-01, 2026-02-01, -,          31, 31, 99900",
            // ended before the month: nothing
            "2026-02, 2025-06-01, 2026-01-20, -,           0, 28, 0",
            // a trial to the 11th: the 11th to the 31st are billed, 21 days: 99900 x 21 / 31 = 67674.19 -> 67674
            "2026-01, 2026-01-01, -,          2026-01-11, 21, 31, 67674",
            // a trial covering the whole month, and one that ended before it
            "2026-01, 2026-01-01, -,          2026-02-01,  0, 31, 0",
            "2026-02, 2026-01-01, -,          2026-01-15, 28, 28, 99900",
            // trial to the 11th and an end on the 21st: 10 days, 99900 x 10 / 31 = 32225.8 -> 32226
            "2026-01, 2026-01-01, 2026-01-21, 2026-01-11, 10, 31, 32226",
    })
    void proratesByTheDaysBilled(String period, String startsOn, String endsOn, String trialEndsOn, int billed,
                                 int ofDays, long proratedMinor) {
        ServiceDays days = ServiceDays.of(YearMonth.parse(period), day(startsOn), day(endsOn), day(trialEndsOn));

        assertThat(days.billedDays()).isEqualTo(billed);
        assertThat(days.periodDays()).isEqualTo(ofDays);
        assertThat(days.prorate(99_900)).isEqualTo(proratedMinor);
        assertThat(days.isWholePeriod()).isEqualTo(billed == ofDays);
    }

    @ParameterizedTest(name = "ended at {0} in {1}: serves through {2}")
    @CsvSource({
            // the last second of January in India is still January: January is billed in full
            "2026-01-31T18:29:59Z, Asia/Kolkata, 2026-02-01",
            // the first second of February in India: February 1st is served
            "2026-01-31T18:30:00Z, Asia/Kolkata, 2026-02-02",
            // the same instant in UTC is still January 31st
            "2026-01-31T18:30:00Z, UTC,          2026-02-01",
            "2026-03-15T00:00:00Z, UTC,          2026-03-16",
    })
    void endingNowServesTheWholeCurrentDayOfTheBillingTimezone(String now, String zone, String endsOn) {
        assertThat(ServiceDays.endOfToday(Instant.parse(now), ZoneId.of(zone))).isEqualTo(LocalDate.parse(endsOn));
    }
}
