package dev.meterbill.billing.http;

import dev.meterbill.billing.db.StorableText;
import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.events.TextRules;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * The text rules of everything a request carries outside its JSON body, applied in one before-handler
 * right after authentication: every path parameter, query parameter (name and value) and the
 * Idempotency-Key header must be storable text ({@link TextRules}: no NUL, no unpaired surrogate)
 * within its length limit, or the request is a 400 naming it. Body fields are checked by the mapper
 * ({@link Json}); the limits are listed in docs/api.md.
 */
public final class RequestText {

    /** Limit of a path parameter (all of them are ids). */
    public static final int PATH_PARAMETER_LIMIT = 100;
    /** Limit of a query parameter without a limit of its own. */
    public static final int QUERY_PARAMETER_LIMIT = 200;
    /** Limit of a query parameter's name. */
    public static final int QUERY_NAME_LIMIT = 100;
    private static final Map<String, Integer> QUERY_LIMITS = Map.of(
            "entityType", 100,
            "entityId", 200,
            "name", 200);
    /** IdempotentHandler.HEADER; named here too, since idempotency depends on http and not the reverse. */
    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final int IDEMPOTENCY_KEY_LIMIT = 255;

    private RequestText() {}

    /** Before-handler: throws a {@link dev.meterbill.billing.error.ValidationException} listing every refused value. */
    public static void check(Context ctx) {
        FieldErrors errors = new FieldErrors();
        for (Map.Entry<String, String> parameter : ctx.pathParamMap().entrySet()) {
            check(errors, parameter.getKey(), parameter.getValue(), PATH_PARAMETER_LIMIT);
        }
        for (Map.Entry<String, List<String>> parameter : ctx.queryParamMap().entrySet()) {
            String name = parameter.getKey();
            String nameViolation = TextRules.violation(name, QUERY_NAME_LIMIT);
            if (nameViolation != null) {
                errors.add(StorableText.of(name, QUERY_NAME_LIMIT), "is not a valid query parameter name: " + nameViolation);
                continue;
            }
            int limit = QUERY_LIMITS.getOrDefault(name, QUERY_PARAMETER_LIMIT);
            for (String value : parameter.getValue()) {
                check(errors, name, value, limit);
            }
        }
        check(errors, IDEMPOTENCY_KEY, ctx.header(IDEMPOTENCY_KEY), IDEMPOTENCY_KEY_LIMIT);
        errors.throwIfAny();
    }

    private static void check(FieldErrors errors, String field, String value, int limit) {
        String violation = TextRules.violation(value, limit);
        if (violation != null) {
            errors.add(field, violation);
        }
    }
}
