package dev.meterbill.billing.period;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A change of billing timezone waits for the next period, computed by hand. */
class PeriodCalendarSwitchTest {

    @ParameterizedTest(name = "{0} -> {1} asked at {2}: from {3}, first period {4}")
    @CsvSource({
            // east: the old month ends at midnight UTC, which is 05:30 on 1 December in India
            "UTC,          Asia/Kolkata,     2026-11-15T10:00:00Z, 2026-12-01T00:00:00Z, 2026-12",
            // west: November in India ends at 18:30 UTC; the hours to midnight UTC stay December in India
            "Asia/Kolkata, UTC,              2026-11-15T10:00:00Z, 2026-12-01T00:00:00Z, 2026-12",
            // asked at 01:30 on 1 December in India: December is running, January is the first changed
            "Asia/Kolkata, America/New_York, 2026-11-30T20:00:00Z, 2027-01-01T05:00:00Z, 2027-01",
            // the first place on Earth to start a month still starts only when UTC's month ended
            "UTC,          Pacific/Kiritimati, 2026-02-10T00:00:00Z, 2026-03-01T00:00:00Z, 2026-03",
    })
    void takesEffectWithTheNextPeriod(String from, String to, String now, String at, String firstPeriod) {
        PeriodCalendar.TimezoneSwitch change = PeriodCalendar.timezoneSwitch(ZoneId.of(from), ZoneId.of(to),
                Instant.parse(now));

        assertThat(change.at()).isEqualTo(Instant.parse(at));
        assertThat(change.firstPeriod()).isEqualTo(YearMonth.parse(firstPeriod));
    }
}
