package dev.meterbill.billing.http;

import dev.meterbill.billing.error.FieldErrors;
import io.javalin.http.Context;

/** Query parameters read the same way by every listing. */
public final class QueryParams {

    private QueryParams() {}

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
