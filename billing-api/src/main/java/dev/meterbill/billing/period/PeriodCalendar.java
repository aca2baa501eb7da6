package dev.meterbill.billing.period;

import dev.meterbill.billing.error.ValidationException;
import dev.meterbill.events.BillingPeriod;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Billing periods seen from an organisation's timezone: which period an instant belongs to, when a
 * period has ended and when it is due for invoicing.
 *
 * <p>Periods are calendar months in the billing timezone ({@link BillingPeriod}); an IST month ends
 * at 18:30 UTC on its last day, a UTC month at midnight, so "has January ended" depends on who asks.
 */
public final class PeriodCalendar {

    /** The earliest timezone on Earth: the first place where a month ends. */
    private static final ZoneOffset EARLIEST = ZoneOffset.ofHours(14);

    private PeriodCalendar() {}

    /** Parses a {@code period} parameter of a request (YYYY-MM); a 400 naming the field otherwise. */
    public static YearMonth parse(String value) {
        if (value == null || value.isBlank()) {
            throw ValidationException.ofField("period", "is required, as YYYY-MM");
        }
        try {
            return BillingPeriod.parseMonth(value);
        } catch (IllegalArgumentException e) {
            throw ValidationException.ofField("period", "must be a month as YYYY-MM");
        }
    }

    public static YearMonth periodOf(Instant instant, ZoneId zone) {
        return BillingPeriod.containing(instant, zone).month();
    }

    /** The instant the period ends (exclusive), in the billing timezone. */
    public static Instant endOf(YearMonth period, ZoneId zone) {
        return new BillingPeriod(period, zone).end();
    }

    public static boolean hasEnded(YearMonth period, ZoneId zone, Instant now) {
        return !now.isBefore(endOf(period, zone));
    }

    /** When a change of billing timezone takes over, and the first period it bills. */
    public record TimezoneSwitch(Instant at, YearMonth firstPeriod) {}

    /**
     * A change of billing timezone requested at {@code now} takes effect with the next period, never within
     * the running one: the running period (in the old timezone) ends as it would have, and events from
     * {@code at} on belong to the new timezone. {@code at} is the later of the running period's end in the
     * old timezone and the start of the next month in the new one, so no event is ever put in a month
     * earlier than the old timezone would have: moving west, the hours between the two ends still belong
     * to the next month of the old timezone.
     */
    public static TimezoneSwitch timezoneSwitch(ZoneId from, ZoneId to, Instant now) {
        YearMonth next = periodOf(now, from).plusMonths(1);
        Instant oldEnd = endOf(next.minusMonths(1), from);
        Instant newStart = new BillingPeriod(next, to).start();
        return new TimezoneSwitch(oldEnd.isAfter(newStart) ? oldEnd : newStart, next);
    }

    /** First day of the period after the one running at {@code now}: where a plan change takes effect. */
    public static LocalDate nextPeriodStart(ZoneId zone, Instant now) {
        return periodOf(now, zone).plusMonths(1).atDay(1);
    }

    /**
     * Whether the scheduled run invoices the period now: it has ended, and either its usage is final
     * or the deadline after its end has passed (usage that was never finalised must not block billing).
     */
    public static boolean isDue(YearMonth period, ZoneId zone, Instant now, boolean usageFinal, Duration deadline) {
        return hasEnded(period, zone, now) && (usageFinal || !now.isBefore(endOf(period, zone).plus(deadline)));
    }

    /**
     * The periods the scheduled run looks at: the last two months that have ended somewhere on Earth.
     * Two, so that a run right after a month turned in UTC+14 still covers the month before for
     * organisations west of it, and a missed run is caught up.
     */
    public static List<YearMonth> recentlyEnded(Instant now) {
        YearMonth last = YearMonth.from(now.atOffset(EARLIEST)).minusMonths(1);
        return List.of(last.minusMonths(1), last);
    }
}
