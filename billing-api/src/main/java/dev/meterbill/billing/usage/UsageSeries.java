package dev.meterbill.billing.usage;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meterbill.events.GroupedMetricName;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The answer to a {@link UsageQuery}: one series per metric and group, each a list of points (hours, days or months
 * of the organisation's timezone, only those with usage), added up from the hourly totals the way the job adds up
 * events. A unique_count metric's hourly rows hold the values first seen in their hour of the billing period, so a
 * point of it counts the values first seen in it that period (its month's points add up to the month's count).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UsageSeries(UUID projectId, UUID organisationId, Instant from, Instant to, String granularity,
                          String timezone, List<Series> series) {

    /** One metric, or one group of a metric definition (its values of the group-by keys asked for). */
    public record Series(String metricName, Map<String, String> groups, String unit, List<Point> points) {}

    /** The usage of one hour, day or month; {@code start} is when it starts. */
    public record Point(Instant start, BigDecimal sum, long count, BigDecimal min, BigDecimal max, BigDecimal latest,
                        @JsonProperty("final") boolean isFinal) {}

    /** One row of the query: a metric's usage in one bucket, as the database added up its hours. */
    record Row(String metricName, Instant start, String unit, BigDecimal sum, long count, BigDecimal min,
               BigDecimal max, BigDecimal latest, Instant latestAt, boolean isFinal) {}

    /** The series of {@code rows} (by metric name, then start) as the query asks for them. */
    static List<Series> of(List<Row> rows, UsageQuery query) {
        Map<String, Map<Instant, Row>> bySeries = new TreeMap<>();
        Map<String, Series> heads = new LinkedHashMap<>();
        for (Row row : rows) {
            GroupedMetricName grouped = GroupedMetricName.parse(row.metricName());
            String metric = grouped == null ? row.metricName() : grouped.key();
            Map<String, String> groups = grouped == null ? Map.of() : grouped.groups();
            if (!matches(groups, query)) {
                continue;
            }
            Map<String, String> kept = new LinkedHashMap<>();
            if (query.groupBy().isEmpty()) {
                kept.putAll(groups);
            } else {
                query.groupBy().forEach(k -> kept.put(k, groups.getOrDefault(k, "")));
            }
            String key = GroupedMetricName.of(metric, List.copyOf(kept.keySet()), kept);
            heads.putIfAbsent(key, new Series(metric, kept, row.unit(), List.of()));
            bySeries.computeIfAbsent(key, k -> new TreeMap<>()).merge(row.start(), row, UsageSeries::plus);
        }
        List<Series> series = new ArrayList<>();
        bySeries.forEach((key, points) -> {
            Series head = heads.get(key);
            series.add(new Series(head.metricName(), head.groups(), head.unit(), points.values().stream()
                    .map(r -> new Point(r.start(), plain(r.sum()), r.count(), plain(r.min()), plain(r.max()),
                            plain(r.latest()), r.isFinal()))
                    .toList()));
        });
        return series;
    }

    private static boolean matches(Map<String, String> groups, UsageQuery query) {
        for (Map.Entry<String, java.util.Set<String>> filter : query.filters().entrySet()) {
            if (!filter.getValue().contains(groups.get(filter.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Two groups' usage of one bucket, added up as if their events were one stream. */
    private static Row plus(Row a, Row b) {
        boolean bLater = b.latestAt().isAfter(a.latestAt())
                || b.latestAt().equals(a.latestAt()) && b.latest().compareTo(a.latest()) > 0;
        return new Row(a.metricName(), a.start(), Objects.requireNonNullElse(a.unit(), b.unit()), a.sum().add(b.sum()),
                a.count() + b.count(), a.min().min(b.min()), a.max().max(b.max()), bLater ? b.latest() : a.latest(),
                bLater ? b.latestAt() : a.latestAt(), a.isFinal() && b.isFinal());
    }

    /** NUMERIC(38,12) comes back with twelve fraction digits; 0.300000000000 is shown as 0.3. */
    static BigDecimal plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
