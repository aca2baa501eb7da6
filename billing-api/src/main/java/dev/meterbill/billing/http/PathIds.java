package dev.meterbill.billing.http;

import dev.meterbill.billing.error.NotFoundException;
import io.javalin.http.Context;
import java.util.UUID;

/** Reads UUID path parameters. */
public final class PathIds {

    private PathIds() {}

    /** A malformed id names no resource, so it is answered like an unknown one: 404. */
    public static UUID uuid(Context ctx, String parameter, String entity) {
        String raw = ctx.pathParam(parameter);
        try {
            UUID id = UUID.fromString(raw);
            // UUID.fromString accepts shortened forms such as 1-2-3-4-5; only the canonical form is an id.
            if (id.toString().equalsIgnoreCase(raw)) {
                return id;
            }
        } catch (IllegalArgumentException ignored) {
            // fall through
        }
        throw NotFoundException.of(entity, raw);
    }
}
