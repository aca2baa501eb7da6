package dev.meterbill.jobs.usage.metric;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A metric definition as billing-api publishes it to {@code metric-definitions} (docs/metering.md): every version,
 * oldest first. The job meters an event under the last version whose {@code effectiveFrom} is not after the event's
 * timestamp.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MetricDefinitionSpec(String key, List<Version> versions) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One version: what it meters, and how. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Version(int version, String eventMetric, String aggregation, String uniqueProperty, List<Filter> filters,
                          List<String> groupBy, String effectiveFrom) {

        /** {@code effectiveFrom} as an instant (billing-api writes ISO-8601). */
        public Instant effective() {
            return Instant.parse(effectiveFrom);
        }
    }

    /** equals a value, in a list of values, or exists. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Filter(String property, String op, String value, List<String> values) {

        boolean holds(Map<String, String> labels) {
            String label = labels.get(property);
            return switch (op) {
                case "exists" -> label != null;
                case "equals" -> Objects.equals(label, value);
                case "in" -> label != null && values != null && values.contains(label);
                default -> false;
            };
        }
    }

    public static MetricDefinitionSpec parse(String json) {
        try {
            return JSON.readValue(json, MetricDefinitionSpec.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not a metric definition: " + json, e);
        }
    }

}
