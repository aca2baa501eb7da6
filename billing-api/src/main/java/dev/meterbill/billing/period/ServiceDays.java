package dev.meterbill.billing.period;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;

/**
 * The days of a period a subscription is billed for: from the later of the period's first day, the
 * subscription's start and the end of its trial, to the earlier of the period's end and the
 * subscription's end (exclusive). Days are calendar days of the organisation's billing timezone.
 *
 * <p>Flat fees and the minimum commitment are prorated by days: {@code amount x billed days / days in
 * the month}, rounded HALF_UP to the minor unit once. Usage is counted for the billed days only.
 *
 * @param from first billed day (inclusive)
 * @param to   day after the last billed day (exclusive); {@code from == to} when nothing is billed
 */
public record ServiceDays(YearMonth period, LocalDate from, LocalDate to) {

    public static ServiceDays of(YearMonth period, LocalDate startsOn, LocalDate endsOn, LocalDate trialEndsOn) {
        LocalDate from = period.atDay(1);
        LocalDate to = period.plusMonths(1).atDay(1);
        from = later(later(from, startsOn), trialEndsOn);
        if (endsOn != null && endsOn.isBefore(to)) {
            to = endsOn;
        }
        if (to.isBefore(from)) {
            to = from;
        }
        return new ServiceDays(period, from, to);
    }

    /**
     * The end (exclusive) of a subscription ended "now": the day after today in the billing timezone,
     * so the current day is served and billed in full.
     */
    public static LocalDate endOfToday(Instant now, ZoneId zone) {
        return LocalDate.ofInstant(now, zone).plusDays(1);
    }

    public static ServiceDays whole(YearMonth period) {
        return new ServiceDays(period, period.atDay(1), period.plusMonths(1).atDay(1));
    }

    public int billedDays() {
        return (int) (to.toEpochDay() - from.toEpochDay());
    }

    public int periodDays() {
        return period.lengthOfMonth();
    }

    public boolean isWholePeriod() {
        return billedDays() == periodDays();
    }

    public boolean isEmpty() {
        return billedDays() == 0;
    }

    /** {@code minor x billed days / days in the month}, HALF_UP; the whole amount for a whole period. */
    public long prorate(long minor) {
        if (isWholePeriod()) {
            return minor;
        }
        return BigDecimal.valueOf(minor).multiply(BigDecimal.valueOf(billedDays()))
                .divide(BigDecimal.valueOf(periodDays()), 0, RoundingMode.HALF_UP).longValueExact();
    }

    /** "12 of 31 days (2026-01-20 to 2026-01-31)" for a line's description. */
    public String describe() {
        return billedDays() + " of " + periodDays() + " days"
                + (isEmpty() ? "" : " (" + from + " to " + to.minusDays(1) + ")");
    }

    private static LocalDate later(LocalDate a, LocalDate b) {
        return b != null && b.isAfter(a) ? b : a;
    }
}
