package dev.meterbill.billing.usage;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meterbill.billing.error.ValidationException;
import dev.meterbill.billing.http.Authenticator;
import dev.meterbill.billing.http.PathIds;
import dev.meterbill.events.BillingPeriod;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

/** HTTP for {@code GET /api/v1/projects/{projectId}/usage?period=YYYY-MM}. */
public final class UsageHandler {

    private final UsageService service;

    public UsageHandler(UsageService service) {
        this.service = service;
    }

    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/api/v1/projects/{projectId}/usage", this::usage);
    }

    /** Response body; {@code final} is a Java keyword, hence the explicit property name. */
    public record UsageResponse(UUID projectId, String period, @JsonProperty("final") boolean isFinal,
                                List<MetricResponse> metrics) {}

    /** One metric; decimals are written as plain JSON numbers without trailing zeros. */
    public record MetricResponse(String metricName, String unit, BigDecimal sum, long count, BigDecimal min,
                                 BigDecimal max, BigDecimal latest) {
        static MetricResponse of(MetricUsage m) {
            return new MetricResponse(m.metricName(), m.unit(), plain(m.sum()), m.count(), plain(m.min()),
                    plain(m.max()), plain(m.latest()));
        }
    }

    private void usage(Context ctx) {
        UUID projectId = PathIds.uuid(ctx, "projectId", "Project");
        YearMonth period = period(ctx.queryParam("period"));
        ProjectUsage usage = service.usage(Authenticator.caller(ctx), projectId, period);
        ctx.json(new UsageResponse(usage.projectId(), usage.period().toString(), usage.isFinal(),
                usage.metrics().stream().map(MetricResponse::of).toList()));
    }

    private static YearMonth period(String value) {
        if (value == null || value.isBlank()) {
            throw ValidationException.ofField("period", "is required, as YYYY-MM");
        }
        try {
            return BillingPeriod.parseMonth(value);
        } catch (IllegalArgumentException e) {
            throw ValidationException.ofField("period", "must be a month as YYYY-MM");
        }
    }

    /** NUMERIC(38,12) comes back with twelve fraction digits; 0.300000000000 is shown as 0.3. */
    private static BigDecimal plain(BigDecimal value) {
        return value.stripTrailingZeros();
    }
}
