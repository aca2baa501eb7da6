package dev.meterbill.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BillingPeriodTest {

    @ParameterizedTest(name = "{0} in {1} is billed in {2}")
    @CsvSource({
            "2026-01-31T18:29:59Z, Asia/Kolkata, 2026-01",
            "2026-01-31T18:30:00Z, Asia/Kolkata, 2026-02",
            "2026-01-31T23:59:59Z, UTC,          2026-01",
            "2026-02-01T00:00:00Z, UTC,          2026-02",
            "2026-12-31T18:30:00Z, Asia/Kolkata, 2027-01",
            "2026-03-01T04:59:59Z, America/New_York, 2026-02"})
    void monthIsTakenInTheBillingTimezone(String instant, String zone, String period) {
        assertThat(BillingPeriod.containing(Instant.parse(instant), zone).key()).isEqualTo(period);
    }

    @Test
    void istPeriodEdgesFallOnHalfHoursInUtc() {
        BillingPeriod feb = BillingPeriod.containing(Instant.parse("2026-02-10T00:00:00Z"), "Asia/Kolkata");
        assertThat(feb.start()).isEqualTo(Instant.parse("2026-01-31T18:30:00Z"));
        assertThat(feb.end()).isEqualTo(Instant.parse("2026-02-28T18:30:00Z"));
    }

    @Test
    void dayIsTakenInTheBillingTimezone() {
        assertThat(BillingPeriod.dayOf(Instant.parse("2026-02-10T20:00:00Z"), "Asia/Kolkata")).isEqualTo(LocalDate.parse("2026-02-11"));
    }

    @Test
    void periodTextMustBeYearDashMonth() {
        assertThat(BillingPeriod.parseMonth("2026-02").getMonthValue()).isEqualTo(2);
        for (String bad : new String[] {"2026-13", "2026-2", "26-02", "2026-02-01", ""}) {
            assertThatThrownBy(() -> BillingPeriod.parseMonth(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
