package dev.meterbill.gateway.http;

import dev.meterbill.service.HttpProblems;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

/** Renders every error as RFC 9457 application/problem+json; a 5xx never carries a stack trace. */
public final class Problems {

    private Problems() {}

    public static void install(JavalinConfig config) {
        HttpProblems problems = HttpProblems.install(config, ctx -> null);
        config.routes.exception(ProblemException.class, (e, ctx) -> render(problems, ctx, e));
    }

    private static void render(HttpProblems problems, Context ctx, ProblemException e) {
        if (e.retryAfterSeconds() != null) {
            ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
        }
        problems.write(ctx, e.toProblem(ctx.path()));
    }
}
