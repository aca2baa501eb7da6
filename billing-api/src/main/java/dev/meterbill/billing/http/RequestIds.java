package dev.meterbill.billing.http;

import io.javalin.http.Context;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a safe token, otherwise
 * a new UUID. The id is echoed in the response header, written to audit rows and problem documents.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = "meterbill.requestId";
    // Anything else could forge log lines or headers, so it is replaced rather than echoed.
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {}

    /** Before-handler: assigns the id and echoes it. */
    public static void assign(Context ctx) {
        String offered = ctx.header(HEADER);
        String id = offered != null && SAFE.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
    }

    /** The id of this request. */
    public static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id != null ? id : "unassigned";
    }
}
