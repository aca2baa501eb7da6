package dev.meterbill.billing.http;

import dev.meterbill.billing.error.FieldErrors;
import io.javalin.http.Context;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * A page of a listing newest first with a keyset cursor: {@code ?limit=} rows (from 1 to a maximum) with
 * ids below {@code ?before=}, the {@code nextBefore} of the previous page. A present but unreadable value is
 * a field error, never the default.
 *
 * @param before only rows with a smaller id; null for the newest
 */
public record CursorPage(int limit, Long before) {

    /** Reads {@code limit} and {@code before}; their problems are added to {@code errors}. */
    public static CursorPage of(Context ctx, int defaultLimit, int maxLimit, FieldErrors errors) {
        int limit = defaultLimit;
        Long before = null;
        try {
            if (ctx.queryParam("limit") != null) {
                limit = Integer.parseInt(ctx.queryParam("limit"));
            }
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > maxLimit) {
            errors.add("limit", "must be a whole number from 1 to " + maxLimit);
        }
        try {
            if (ctx.queryParam("before") != null) {
                before = Long.parseLong(ctx.queryParam("before"));
            }
        } catch (NumberFormatException e) {
            errors.add("before", "must be the nextBefore cursor of a previous page");
        }
        return new CursorPage(limit, before);
    }

    /** The cursor of the page after {@code rows}: the last row's id when the page is full, else null (the last page). */
    public <T> Long next(List<T> rows, ToLongFunction<T> id) {
        return rows.size() == limit ? id.applyAsLong(rows.get(rows.size() - 1)) : null;
    }
}
