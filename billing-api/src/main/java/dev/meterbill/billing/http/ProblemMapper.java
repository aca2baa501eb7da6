package dev.meterbill.billing.http;

import dev.meterbill.billing.error.BillingException;
import dev.meterbill.billing.error.PaymentProviderException;
import dev.meterbill.billing.error.PaymentsDisabledException;
import dev.meterbill.billing.error.UnauthorizedException;
import dev.meterbill.billing.error.UnavailableException;
import dev.meterbill.service.HttpProblems;
import dev.meterbill.service.ProblemDetails;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place failures become {@code application/problem+json}: domain exceptions here; what
 * Javalin and Jetty answer themselves (an unknown route, 413, 414, 431, anything unexpected, which
 * is logged and answered with a 500 that reveals nothing but the request id) through
 * {@link HttpProblems}, which the gateway shares.
 */
public final class ProblemMapper {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);
    private static final String RETRY_AFTER_SECONDS = "5";

    private ProblemMapper() {}

    public static void register(JavalinConfig config) {
        HttpProblems problems = HttpProblems.install(config, RequestIds::of);
        config.routes.exception(BillingException.class, (e, ctx) -> billing(problems, e, ctx));
    }

    private static void billing(HttpProblems problems, BillingException e, Context ctx) {
        if (e instanceof UnauthorizedException) {
            ctx.header("WWW-Authenticate", "Bearer");
        } else if (e instanceof UnavailableException || e instanceof PaymentProviderException
                || e instanceof PaymentsDisabledException) {
            LOG.warn("Request {} failed: {}", RequestIds.of(ctx), e.getMessage(), e.getCause());
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        problems.write(ctx, new ProblemDetails(ProblemDetails.type(e.slug()), e.title(), e.status(), e.getMessage(),
                ctx.path(), e.fieldErrors(), null));
    }
}
