package dev.meterbill.billing.metric;

import java.time.Instant;
import java.util.List;

/**
 * A metric definition and every version of it, oldest first: what {@code GET /metrics/{key}} answers and what is
 * published to the compacted topic {@code metric-definitions}. The version in force for an event is the last one
 * whose {@code effectiveFrom} is not after the event's timestamp.
 */
public record MetricDefinition(String key, List<Version> versions) {

    /** The newest version. */
    public Version current() {
        return versions.get(versions.size() - 1);
    }

    /**
     * One version of a definition.
     *
     * @param eventMetric    the {@code metricName} of the events it meters
     * @param aggregation    sum, count, max, latest (of metricValue) or unique_count (of {@code uniqueProperty})
     * @param uniqueProperty the metadata property whose distinct values unique_count counts; null otherwise
     * @param filters        every filter must hold for an event to count (none: every event of eventMetric)
     * @param groupBy        up to three metadata keys; usage is kept per combination of their values
     */
    public record Version(int version, String displayName, String unit, String eventMetric, String aggregation,
                          String uniqueProperty, List<Filter> filters, List<String> groupBy, Instant effectiveFrom,
                          Instant createdAt) {}

    /**
     * A condition on one metadata property: {@code equals} a value, {@code in} a list of values, or {@code exists}.
     * Values are compared as text, the way grouping values are (a metadata number 5 equals "5").
     */
    public record Filter(String property, String op, String value, List<String> values) {}
}
