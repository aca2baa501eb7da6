package dev.meterbill.billing.usage;

import dev.meterbill.billing.error.FieldErrors;
import dev.meterbill.billing.http.QueryParams;
import dev.meterbill.billing.metric.MetricRules;
import dev.meterbill.events.EventValidator;
import dev.meterbill.events.TextRules;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A usage query over a range ({@code GET …/usage?from=&to=&granularity=&metric=&groupBy=&filter=}), answered from
 * the hourly totals: {@code [from, to)} on hours of the organisation's timezone, points per hour, day or month
 * there; one metric (a metric of events, or a metric definition's groups) or every metric; the groups regrouped by
 * some of a definition's group-by keys; groups kept only when their values match every filter (a key named twice
 * matches either value). docs/api.md.
 */
public record UsageQuery(Instant from, Instant to, String granularity, String metric, List<String> groupBy,
                         Map<String, Set<String>> filters) {

    /** The longest range one request reads. */
    public static final Duration MAX_RANGE = Duration.ofDays(366);
    public static final int MAX_FILTERS = 10;
    private static final List<String> GRANULARITIES = List.of("hour", "day", "month");

    /** True when the request asks for a range rather than a {@code period}. */
    static boolean asked(Context ctx) {
        return List.of("from", "to", "granularity", "metric", "groupBy", "filter").stream()
                .anyMatch(p -> !ctx.queryParams(p).isEmpty());
    }

    /** The query of the request; every malformed parameter is a field error. Alignment is checked by {@link #aligned}. */
    static UsageQuery of(Context ctx) {
        FieldErrors errors = new FieldErrors();
        if (ctx.queryParam("period") != null) {
            errors.add("period", "asks for a month; from and to ask for a range: give one or the other");
        }
        Instant from = QueryParams.instant(ctx, "from", errors);
        Instant to = QueryParams.instant(ctx, "to", errors);
        if (from != null && to != null && (!to.isAfter(from) || Duration.between(from, to).compareTo(MAX_RANGE) > 0)) {
            errors.add("to", "must be after from, at most " + MAX_RANGE.toDays() + " days later");
        }
        String granularity = ctx.queryParam("granularity") == null ? "day" : ctx.queryParam("granularity");
        if (!GRANULARITIES.contains(granularity)) {
            errors.add("granularity", "must be hour, day or month");
        }
        String metric = ctx.queryParam("metric");
        if (metric != null && !EventValidator.METRIC_NAME.matcher(metric).matches()) {
            errors.add("metric", "must be a metric or metric definition key matching " + EventValidator.METRIC_NAME.pattern());
        }
        List<String> groupBy = new ArrayList<>();
        for (String list : ctx.queryParams("groupBy")) {
            for (String key : list.split(",", -1)) {
                if (!MetricRules.PROPERTY.matcher(key).matches() || groupBy.contains(key)) {
                    errors.add("groupBy", "must list distinct group-by keys of the metric definition, comma-separated");
                } else {
                    groupBy.add(key);
                }
            }
        }
        if (groupBy.size() > MetricRules.MAX_GROUP_BY) {
            errors.add("groupBy", "at most " + MetricRules.MAX_GROUP_BY + " keys");
        }
        Map<String, Set<String>> filters = new LinkedHashMap<>();
        List<String> asked = ctx.queryParams("filter");
        if (asked.size() > MAX_FILTERS) {
            errors.add("filter", "at most " + MAX_FILTERS + " filters");
        }
        for (String filter : asked) {
            int colon = filter.indexOf(':');
            String key = colon < 0 ? "" : filter.substring(0, colon);
            String value = colon < 0 ? "" : filter.substring(colon + 1);
            if (!MetricRules.PROPERTY.matcher(key).matches()
                    || TextRules.violation(value, EventValidator.MAX_GROUPING_VALUE_LENGTH) != null) {
                errors.add("filter", "must be key:value, a group-by key and a value of at most "
                        + EventValidator.MAX_GROUPING_VALUE_LENGTH + " characters");
            } else {
                filters.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(value);
            }
        }
        if (metric == null && (!groupBy.isEmpty() || !filters.isEmpty())) {
            errors.add("metric", "is required with groupBy or filter: the metric definition whose groups they name");
        }
        errors.throwIfAny();
        return new UsageQuery(from, to, granularity, metric, List.copyOf(groupBy), filters);
    }

    /** Refuses a range whose ends are not on the hour in {@code zone}, the organisation's timezone. */
    void aligned(ZoneId zone) {
        FieldErrors errors = new FieldErrors();
        for (Map.Entry<String, Instant> end : Map.of("from", from, "to", to).entrySet()) {
            ZonedDateTime local = end.getValue().atZone(zone);
            if (local.getMinute() != 0 || local.getSecond() != 0 || local.getNano() != 0) {
                errors.add(end.getKey(), "must be on the hour in the organisation's timezone " + zone.getId()
                        + " (usage is kept per hour there)");
            }
        }
        errors.throwIfAny();
    }
}
