package dev.meterbill.events;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * A calendar month in an organisation's billing timezone: {@code [start, end)} as instants.
 *
 * <p>IST is UTC+05:30, so a period's edges do not fall on UTC hour buckets: the only correct way
 * to place an event is to convert its instant into the billing zone and take the month there.
 */
public record BillingPeriod(YearMonth month, ZoneId zone) {

    public static BillingPeriod containing(Instant instant, String zoneId) {
        return containing(instant, ZoneId.of(zoneId));
    }

    public static BillingPeriod containing(Instant instant, ZoneId zone) {
        return new BillingPeriod(YearMonth.from(instant.atZone(zone)), zone);
    }

    /** Parses {@code YYYY-MM}; throws {@link IllegalArgumentException} on anything else. */
    public static YearMonth parseMonth(String text) {
        if (text == null || !text.matches("\\d{4}-(0[1-9]|1[0-2])")) {
            throw new IllegalArgumentException("period must be YYYY-MM");
        }
        try {
            return YearMonth.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("period must be YYYY-MM", e);
        }
    }

    /** True when {@code zoneId} names a zone the JVM knows (region ids such as Asia/Kolkata, or UTC). */
    public static boolean isValidZone(String zoneId) {
        try {
            ZoneId.of(zoneId);
            return true;
        } catch (DateTimeException | NullPointerException e) {
            return false;
        }
    }

    /** The period key as stored in SQL: {@code YYYY-MM}. */
    public String key() {
        return month.toString();
    }

    public Instant start() {
        return month.atDay(1).atStartOfDay(zone).toInstant();
    }

    public Instant end() {
        return month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
    }

    /** The calendar day, in the billing timezone, of an instant. */
    public static LocalDate dayOf(Instant instant, String zoneId) {
        return instant.atZone(ZoneId.of(zoneId)).toLocalDate();
    }
}
