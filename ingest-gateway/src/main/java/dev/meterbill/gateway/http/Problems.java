package dev.meterbill.gateway.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Renders every error as RFC 9457 application/problem+json; a 5xx never carries a stack trace. */
public final class Problems {

    public static final String TYPE_BASE = "https://meterbill.dev/problems/";
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

    private Problems() {}

    public static void install(JavalinConfig config) {
        config.routes.exception(ProblemException.class, (e, ctx) -> render(ctx, e));
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
            write(ctx, 500, "internal-error", "Internal error", "The request failed; it was not accepted.", List.of());
        });
        config.routes.error(404, ctx -> {
            if (!"application/problem+json".equals(ctx.res().getContentType())) {
                write(ctx, 404, "not-found", "Not found", "No route " + ctx.method() + " " + ctx.path(), List.of());
            }
        });
        config.routes.error(405, ctx -> write(ctx, 405, "method-not-allowed", "Method not allowed",
                ctx.method() + " is not allowed on " + ctx.path(), List.of()));
    }

    public static void render(Context ctx, ProblemException e) {
        if (e.retryAfterSeconds() != null) {
            ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
        }
        write(ctx, e.status(), e.type(), e.title(), e.getMessage(),
                e.errors().stream().map(f -> Map.of("field", f.field(), "message", f.message())).toList());
    }

    private static void write(Context ctx, int status, String type, String title, String detail,
                              List<Map<String, String>> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", ctx.path());
        if (!errors.isEmpty()) {
            body.put("errors", errors);
        }
        ctx.status(status).json(body).contentType("application/problem+json");
    }
}
