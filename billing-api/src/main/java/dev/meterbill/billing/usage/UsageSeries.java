package dev.meterbill.billing.usage;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meterbill.billing.pricing.Money;
import dev.meterbill.events.GroupedMetricName;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * The usage of one hour, day or month; {@code start} is when it starts, as ISO-8601 text (what Jackson writes for an
     * instant: each series' hours are the same instants, formatted once per answer instead of once per point).
     */
    public record Point(String start, BigDecimal sum, long count, BigDecimal min, BigDecimal max, BigDecimal latest,
                        @JsonProperty("final") boolean isFinal) {}

    /** One hourly row of a metric: its usage in the hour (or, added up, in a bucket) that starts at {@code start}. */
    record Row(String metricName, Instant start, String unit, BigDecimal sum, long count, BigDecimal min,
               BigDecimal max, BigDecimal latest, Instant latestAt, boolean isFinal) {

        /**
         * This row's usage in the bucket starting at {@code bucket}, without its name and unit (its series has them):
         * a series holds its points until the answer is written, and every byte of them held is copied again by each
         * young collection during a request.
         */
        Row in(Instant bucket) {
            return new Row(null, bucket, null, sum, count, min, max, latest, latestAt, isFinal);
        }
    }

    /**
     * Adds rows up into the series the query asks for, as they are read, in buckets of {@code zone}'s clock. Rows come
     * in the order of their index, hour by hour (or day by day), so a series' next row is almost always in its last
     * bucket or a later one: points are appended, or added to the last one, and sorted at the end only when a row
     * came earlier than the last (a map per series cost a hash and a tree per point, a fifth of a 43,200-point answer).
     */
    static final class Builder {
        private final UsageQuery query;
        private final ZoneId zone;
        /** By metric name, parsed once; null for a name the filters leave out. */
        private final Map<String, Points> heads = new HashMap<>();
        /** By series key: metric names regrouped into one series share its points. */
        private final Map<String, Points> bySeries = new HashMap<>();
        private Instant lastHour;
        private Instant lastBucket;

        Builder(UsageQuery query, ZoneId zone) {
            this.query = query;
            this.zone = zone;
        }

        void add(Row row) {
            Points points = heads.get(row.metricName());
            if (points == null) {
                if (heads.containsKey(row.metricName())) {
                    return; // left out by the filters
                }
                Head head = head(row.metricName(), row.unit(), query);
                points = head == null ? null : bySeries.computeIfAbsent(head.key(), k -> new Points(head.series()));
                heads.put(row.metricName(), points);
                if (points == null) {
                    return;
                }
            }
            if (!row.start().equals(lastHour)) {
                lastHour = row.start();
                lastBucket = bucket(lastHour, query.granularity(), zone);
            }
            points.add(row.in(lastBucket));
        }

        List<Series> build() {
            List<Series> answer = new ArrayList<>();
            Map<Instant, String> starts = new HashMap<>();
            new TreeMap<>(bySeries).values().forEach(points -> {
                Series head = points.head;
                answer.add(new Series(head.metricName(), head.groups(), head.unit(), points.inOrder().stream()
                        .map(r -> new Point(starts.computeIfAbsent(r.start(), Instant::toString), Money.canonical(r.sum()),
                                r.count(), Money.canonical(r.min()), Money.canonical(r.max()), Money.canonical(r.latest()),
                                r.isFinal()))
                        .toList()));
            });
            return answer;
        }
    }

    /** One series' buckets as they were added up, in order unless a row came earlier than the last bucket. */
    private static final class Points {
        private final Series head;
        private final List<Row> rows = new ArrayList<>();
        private boolean inOrder = true;

        Points(Series head) {
            this.head = head;
        }

        void add(Row row) {
            int last = rows.size() - 1;
            int order = last < 0 ? -1 : rows.get(last).start().compareTo(row.start());
            if (order == 0) {
                rows.set(last, plus(rows.get(last), row));
            } else {
                inOrder &= order < 0;
                rows.add(row);
            }
        }

        /** The buckets by start, a bucket's rows added up. */
        List<Row> inOrder() {
            if (inOrder) {
                return rows;
            }
            rows.sort(Comparator.comparing(Row::start));
            List<Row> merged = new ArrayList<>(rows.size());
            for (Row row : rows) {
                int last = merged.size() - 1;
                if (last >= 0 && merged.get(last).start().equals(row.start())) {
                    merged.set(last, plus(merged.get(last), row));
                } else {
                    merged.add(row);
                }
            }
            return merged;
        }
    }

    /** Where the rows of one metric name go: its series' key and head; null when the query's filters leave it out. */
    private record Head(String key, Series series) {}

    private static Head head(String metricName, String unit, UsageQuery query) {
        GroupedMetricName grouped = GroupedMetricName.parse(metricName);
        String metric = grouped == null ? metricName : grouped.key();
        Map<String, String> groups = grouped == null ? Map.of() : grouped.groups();
        if (!matches(groups, query)) {
            return null;
        }
        Map<String, String> kept = new LinkedHashMap<>();
        if (query.groupBy().isEmpty()) {
            kept.putAll(groups);
        } else {
            query.groupBy().forEach(k -> kept.put(k, groups.getOrDefault(k, "")));
        }
        return new Head(GroupedMetricName.of(metric, List.copyOf(kept.keySet()), kept),
                new Series(metric, kept, unit, List.of()));
    }

    /** The start of the hour, day or month of {@code zone} that the hour starting at {@code hour} is in. */
    private static Instant bucket(Instant hour, String granularity, ZoneId zone) {
        return switch (granularity) {
            case "hour" -> hour;
            case "day" -> hour.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
            default -> hour.atZone(zone).toLocalDate().withDayOfMonth(1).atStartOfDay(zone).toInstant();
        };
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
        return new Row(null, a.start(), null, a.sum().add(b.sum()),
                a.count() + b.count(), a.min().min(b.min()), a.max().max(b.max()), bLater ? b.latest() : a.latest(),
                bLater ? b.latestAt() : a.latestAt(), a.isFinal() && b.isFinal());
    }
}
