package dev.meterbill.billing.http;

import dev.meterbill.billing.error.FieldErrors;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Query parameters read the same way by every listing. */
public final class QueryParams {

    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");

    private QueryParams() {}

    /** A required ISO-8601 instant with an offset, in the years 2000 to 9999; anything else a field error (and null). */
    public static Instant instant(Context ctx, String name, FieldErrors errors) {
        String value = ctx.queryParam(name);
        if (value == null) {
            errors.add(name, "is required: an ISO-8601 instant such as 2026-11-01T00:00:00+05:30");
            return null;
        }
        try {
            Instant at = OffsetDateTime.parse(value.toUpperCase(Locale.ROOT)).toInstant();
            if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
                errors.add(name, "must be in the years 2000 to 9999");
                return null;
            }
            return at;
        } catch (DateTimeParseException e) {
            errors.add(name, "must be an ISO-8601 instant with an offset, such as 2026-11-01T00:00:00+05:30");
            return null;
        }
    }

    /** A whole number from {@code min} to {@code max}; absent is {@code fallback}, anything else a field error. */
    public static int intParam(Context ctx, String name, int fallback, int min, int max, FieldErrors errors) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(name, "must be a whole number from " + min + " to " + max);
        return fallback;
    }
}
