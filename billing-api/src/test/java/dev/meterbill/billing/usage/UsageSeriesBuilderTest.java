package dev.meterbill.billing.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * How {@link UsageSeries.Builder} adds rows up when they do not come in time order (a sequential scan, a partial day
 * read after whole days): each series' points still come out by start, a bucket's rows added up. Expectations by hand.
 */
class UsageSeriesBuilderTest {

    private static final ZoneId IST = ZoneId.of("Asia/Kolkata");

    private static UsageSeries.Row row(String name, String hour, long sum, String latestAt) {
        BigDecimal value = BigDecimal.valueOf(sum);
        return new UsageSeries.Row(name, Instant.parse(hour), "tokens", value, 1, value, value, value,
                Instant.parse(latestAt), true);
    }

    private static List<String> points(UsageQuery query, List<UsageSeries.Row> rows) {
        UsageSeries.Builder builder = new UsageSeries.Builder(query, IST);
        rows.forEach(builder::add);
        return builder.build().stream()
                .map(s -> s.groups() + ": " + s.points().stream()
                        .map(p -> p.start() + "=" + p.sum() + "/" + p.count() + " latest " + p.latest())
                        .collect(Collectors.joining(", ")))
                .toList();
    }

    private static UsageQuery query(String granularity, List<String> groupBy) {
        return new UsageQuery(Instant.parse("2026-10-31T18:30:00Z"), Instant.parse("2026-11-02T18:30:00Z"), granularity,
                "llm_tokens", groupBy, Map.<String, Set<String>>of());
    }

    @Test
    void hoursOutOfOrderComeOutByStart() {
        assertThat(points(query("hour", List.of()), List.of(
                row("llm_tokens{model=a}", "2026-11-01T20:30:00Z", 5, "2026-11-01T20:31:00Z"),
                row("llm_tokens{model=a}", "2026-10-31T18:30:00Z", 7, "2026-10-31T18:31:00Z"),
                row("llm_tokens{model=a}", "2026-11-01T19:30:00Z", 3, "2026-11-01T19:31:00Z"))))
                .containsExactly("{model=a}: 2026-10-31T18:30:00Z=7/1 latest 7, 2026-11-01T19:30:00Z=3/1 latest 3,"
                        + " 2026-11-01T20:30:00Z=5/1 latest 5");
    }

    @Test
    void aBucketsRowsAreAddedUpWhereverTheyCome() {
        // per day of IST: 1 Nov is 31 Oct 18:30Z to 1 Nov 18:30Z; model=a and model=b regrouped into one series
        assertThat(points(query("day", List.of("region")), List.of(
                row("llm_tokens{model=a,region=in}", "2026-11-01T19:30:00Z", 100, "2026-11-01T19:40:00Z"), // 2 Nov
                row("llm_tokens{model=a,region=in}", "2026-10-31T18:30:00Z", 10, "2026-10-31T18:59:00Z"), // 1 Nov
                row("llm_tokens{model=b,region=in}", "2026-11-01T20:30:00Z", 200, "2026-11-01T20:35:00Z"), // 2 Nov
                row("llm_tokens{model=b,region=in}", "2026-11-01T17:30:00Z", 20, "2026-11-01T17:45:00Z")))) // 1 Nov
                // 1 Nov: 10 + 20, latest the 20 of 17:45Z; 2 Nov: 100 + 200, latest the 200 of 20:35Z
                .containsExactly("{region=in}: 2026-10-31T18:30:00Z=30/2 latest 20, 2026-11-01T18:30:00Z=300/2 latest 200");
    }
}
