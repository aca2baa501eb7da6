package dev.meterbill.service;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error a service answers is problem+json: this installs the renderer for what Javalin and
 * Jetty produce themselves (an unknown route, a method not allowed, a body over the size limit, a
 * URI or headers too large, an unexpected exception), so that a service only adds the mapping of
 * its own domain exceptions. A 5xx never carries a stack trace or an exception's text.
 */
public final class HttpProblems {

    private static final Logger LOG = LoggerFactory.getLogger(HttpProblems.class);

    private final Function<Context, String> requestId;

    private HttpProblems(Function<Context, String> requestId) {
        this.requestId = requestId;
    }

    /**
     * Installs the renderers. Register the service's own, more specific exception handlers after
     * this call.
     *
     * @param requestId the request id to quote in problems, or a function returning null
     */
    public static HttpProblems install(JavalinConfig config, Function<Context, String> requestId) {
        HttpProblems problems = new HttpProblems(requestId);
        config.jetty.modifyServer(server -> server.setErrorHandler(new JettyProblems()));
        config.routes.exception(HttpResponseException.class, (e, ctx) -> {
            if (e.getStatus() >= 500) {
                problems.unexpected(e, ctx);
            } else {
                problems.write(ctx, JettyProblems.problem(e.getStatus(), e.getMessage(), ctx.path()));
            }
        });
        config.routes.exception(Exception.class, problems::unexpected);
        config.routes.error(404, ctx -> problems.writeUnlessProblem(ctx,
                ProblemDetails.of(404, "not-found", "Not found", "No route " + ctx.method() + " " + ctx.path(), ctx.path())));
        config.routes.error(405, ctx -> problems.writeUnlessProblem(ctx, ProblemDetails.of(405, "method-not-allowed",
                "Method not allowed", ctx.method() + " is not allowed on " + ctx.path(), ctx.path())));
        return problems;
    }

    /** Logs an unexpected failure with its stack trace and answers a 500 that reveals nothing but the request id. */
    public void unexpected(Exception e, Context ctx) {
        String id = requestId.apply(ctx);
        LOG.error("Unhandled failure of {} {} (request {})", ctx.method(), loggable(ctx.path()), id, e);
        write(ctx, ProblemDetails.of(500, "internal-error", "Internal server error",
                id == null ? "The request failed; it was not accepted." :
                        "An unexpected error occurred; quote request id " + id + " when reporting it", ctx.path()));
    }

    /** Answers {@code problem}, with the request id when there is one. */
    public void write(Context ctx, ProblemDetails problem) {
        String id = requestId.apply(ctx);
        ProblemDetails withId = id == null || problem.requestId() != null ? problem
                : new ProblemDetails(problem.type(), problem.title(), problem.status(), problem.detail(),
                        problem.instance(), problem.errors(), id);
        ctx.status(withId.status()).contentType(ProblemDetails.CONTENT_TYPE).result(withId.toJson());
    }

    /**
     * A path fit for a log line: a segment shaped like a link token (43 base64url characters: a hosted invoice's,
     * a portal link's) is a credential and is replaced by {@code …}.
     */
    static String loggable(String path) {
        return path == null ? null : path.replaceAll("(?<=/)[A-Za-z0-9_-]{43}(?=/|$)", "\u2026");
    }

    /** Unless the answer is a problem already, or a handler's own (a page's 404 written as HTML, say). */
    private void writeUnlessProblem(Context ctx, ProblemDetails problem) {
        if (!ProblemDetails.CONTENT_TYPE.equals(ctx.res().getContentType()) && ctx.resultInputStream() == null) {
            write(ctx, problem);
        }
    }
}
