package dev.meterbill.billing.usage;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meterbill.billing.auth.Authenticator;
import dev.meterbill.billing.http.PathIds;
import dev.meterbill.billing.period.PeriodCalendar;
import dev.meterbill.billing.pricing.Money;
import dev.meterbill.events.EventValidator;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/**
 * HTTP for the usage of a project and of an organisation: in a period ({@code ?period=YYYY-MM}: totals with their
 * days), or over a range ({@code ?from=&to=&granularity=&metric=&groupBy=&filter=}: series, {@link UsageQuery}).
 */
public record UsageHandler(UsageService service, ObjectMapper json) {

    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/api/v1/projects/{projectId}/usage", this::usage);
        routes.get("/api/v1/organisations/{orgId}/usage", this::organisationUsage);
    }

    /** Response body; {@code final} is a Java keyword, hence the explicit property name. */
    public record UsageResponse(UUID projectId, String period, @JsonProperty("final") boolean isFinal,
                                List<MetricResponse> metrics) {
        static UsageResponse of(ProjectUsage usage) {
            return new UsageResponse(usage.projectId(), usage.period().toString(), usage.isFinal(),
                    usage.metrics().stream().map(m -> MetricResponse.of(m, usage)).toList());
        }
    }

    /** Response of the organisation view. */
    public record OrganisationUsageResponse(UUID organisationId, String period, @JsonProperty("final") boolean isFinal,
                                            List<ProjectUsageResponse> projects) {}

    /** One project of the organisation view. */
    public record ProjectUsageResponse(UUID projectId, String name, @JsonProperty("final") boolean isFinal,
                                       List<MetricResponse> metrics) {}

    /**
     * One metric with its days; decimals are written as plain JSON numbers without trailing zeros. {@code events} is the
     * export of the raw events behind the total (the period's month in the billing timezone); null for a metric
     * definition's groups, whose events are those of its event metric matching its filters.
     */
    public record MetricResponse(String metricName, String unit, BigDecimal sum, long count, BigDecimal min,
                                 BigDecimal max, BigDecimal latest, @JsonProperty("final") boolean isFinal,
                                 List<DayResponse> days, String events) {
        static MetricResponse of(MetricUsage m, ProjectUsage usage) {
            return new MetricResponse(m.metricName(), m.unit(), Money.canonical(m.sum()), m.count(), Money.canonical(m.min()),
                    Money.canonical(m.max()), Money.canonical(m.latest()), m.isFinal(), m.days().stream().map(DayResponse::of).toList(),
                    eventsLink(usage, m.metricName()));
        }
    }

    /** {@code /api/v1/projects/{id}/events?from=&to=&metric=} for the period's month in the billing timezone. */
    static String eventsLink(ProjectUsage usage, String metricName) {
        if (!EventValidator.METRIC_NAME.matcher(metricName).matches()) {
            return null;
        }
        String from = usage.period().atDay(1).atStartOfDay(usage.zone()).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        String to = usage.period().plusMonths(1).atDay(1).atStartOfDay(usage.zone()).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        return "/api/v1/projects/" + usage.projectId() + "/events?from=" + from.replace("+", "%2B") + "&to="
                + to.replace("+", "%2B") + "&metric=" + metricName;
    }

    /** One day of the billing timezone. */
    public record DayResponse(LocalDate day, BigDecimal sum, long count, BigDecimal min, BigDecimal max,
                              BigDecimal latest) {
        static DayResponse of(DailyUsage d) {
            return new DayResponse(d.day(), Money.canonical(d.sum()), d.count(), Money.canonical(d.min()), Money.canonical(d.max()),
                    Money.canonical(d.latest()));
        }
    }

    private void usage(Context ctx) throws IOException {
        UUID projectId = PathIds.uuid(ctx, "projectId", "Project");
        if (UsageQuery.asked(ctx)) {
            write(ctx, service.series(Authenticator.caller(ctx), projectId, UsageQuery.of(ctx)));
            return;
        }
        YearMonth period = PeriodCalendar.parse(ctx.queryParam("period"));
        ctx.json(UsageResponse.of(service.usage(Authenticator.caller(ctx), projectId, period)));
    }

    private void organisationUsage(Context ctx) throws IOException {
        UUID organisationId = PathIds.uuid(ctx, "orgId", "Organisation");
        if (UsageQuery.asked(ctx)) {
            write(ctx, service.organisationSeries(Authenticator.caller(ctx), organisationId, UsageQuery.of(ctx)));
            return;
        }
        YearMonth period = PeriodCalendar.parse(ctx.queryParam("period"));
        OrganisationUsage usage = service.organisationUsage(Authenticator.caller(ctx), organisationId, period);
        ctx.json(new OrganisationUsageResponse(organisationId, period.toString(), usage.isFinal(),
                usage.projects().stream().map(p -> new ProjectUsageResponse(p.projectId(), p.name(),
                        p.usage().isFinal(), p.usage().metrics().stream().map(m -> MetricResponse.of(m, p.usage())).toList()))
                        .toList()));
    }

    /**
     * Writes a series answer (up to megabytes: a month of 60 metrics per hour is 4 MB) straight into the response
     * instead of into a String that Javalin encodes and copies again.
     */
    private void write(Context ctx, UsageSeries series) throws IOException {
        ctx.contentType(ContentType.APPLICATION_JSON);
        json.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(ctx.outputStream(), series);
    }

}
