package dev.meterbill.billing.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterbill.billing.error.BillingException;
import dev.meterbill.billing.error.PaymentProviderException;
import dev.meterbill.billing.error.PaymentsDisabledException;
import dev.meterbill.billing.error.UnauthorizedException;
import dev.meterbill.billing.error.UnavailableException;
import dev.meterbill.events.FieldError;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place failures become {@code application/problem+json}: domain exceptions, Javalin's own
 * HTTP responses (unknown route, 415, 413) and anything unexpected, which is logged with its stack
 * trace and answered with a 500 that reveals nothing but the request id.
 */
public final class ProblemMapper {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);
    private static final String RETRY_AFTER_SECONDS = "5";
    private static final Map<Integer, String[]> HTTP_PROBLEMS = Map.of(
            400, new String[] {"bad-request", "Bad request"},
            404, new String[] {"not-found", "Resource not found"},
            405, new String[] {"method-not-allowed", "Method not allowed"},
            413, new String[] {"payload-too-large", "Request body too large"},
            415, new String[] {"unsupported-media-type", "Unsupported media type"});

    private final ObjectMapper json;

    private ProblemMapper(ObjectMapper json) {
        this.json = json;
    }

    public static void register(JavalinDefaultRoutingApi routes, ObjectMapper json) {
        ProblemMapper mapper = new ProblemMapper(json);
        routes.exception(BillingException.class, mapper::billing);
        routes.exception(HttpResponseException.class, mapper::http);
        routes.exception(Exception.class, mapper::unexpected);
    }

    private void billing(BillingException e, Context ctx) {
        if (e instanceof UnauthorizedException) {
            ctx.header("WWW-Authenticate", "Bearer");
        } else if (e instanceof UnavailableException) {
            LOG.warn("Request {} failed: {}", RequestIds.of(ctx), e.getMessage(), e.getCause());
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
        } else if (e instanceof PaymentProviderException || e instanceof PaymentsDisabledException) {
            LOG.warn("Request {} failed: {}", RequestIds.of(ctx), e.getMessage(), e.getCause());
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        write(ctx, e.status(), e.slug(), e.title(), e.getMessage(), e.fieldErrors());
    }

    private void http(HttpResponseException e, Context ctx) {
        int status = e.getStatus();
        if (status >= 500) {
            unexpected(e, ctx);
            return;
        }
        String[] problem = HTTP_PROBLEMS.getOrDefault(status, new String[] {"http-" + status, "HTTP error " + status});
        write(ctx, status, problem[0], problem[1], e.getMessage(), List.of());
    }

    private void unexpected(Exception e, Context ctx) {
        String requestId = RequestIds.of(ctx);
        LOG.error("Unhandled failure of {} {} (request {})", ctx.method(), ctx.path(), requestId, e);
        write(ctx, 500, "internal-error", "Internal server error",
                "An unexpected error occurred; quote request id " + requestId + " when reporting it", List.of());
    }

    private void write(Context ctx, int status, String slug, String title, String detail, List<FieldError> errors) {
        ProblemDetails problem = new ProblemDetails(ProblemDetails.type(slug), title, status, detail, ctx.path(),
                errors, RequestIds.of(ctx));
        byte[] body;
        try {
            body = json.writeValueAsBytes(problem);
        } catch (JsonProcessingException impossible) {
            body = ("{\"type\":\"" + ProblemDetails.type(slug) + "\",\"status\":" + status + "}")
                    .getBytes(StandardCharsets.UTF_8);
        }
        ctx.status(status).contentType(ProblemDetails.CONTENT_TYPE).result(body);
    }
}
