package dev.meterbill.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client's pure rules: backoff with jitter under Retry-After, field errors by event, event JSON, settings. */
class MeterbillClientTest {

    @Test
    void backoffDoublesUpToTheCapWithFullJitterAndNeverUndercutsRetryAfter() {
        // attempt, Retry-After (s), initial, max, random draw -> ms
        long[][] cases = {
            {0, -1, 100, 30_000, 0, 0},
            {0, -1, 100, 30_000, 999, 99},
            {3, -1, 100, 30_000, 500, 400},
            {10, -1, 100, 30_000, 999, 29_970},
            {40, -1, 100, 30_000, 500, 15_000},
            {0, 5, 100, 30_000, 500, 5_000},
            {8, 5, 100, 30_000, 999, 25_574},
        };
        for (long[] c : cases) {
            assertThat(MeterbillClient.backoffMillis((int) c[0], c[1], c[2], c[3], c[4] / 1000.0))
                    .as("attempt %d, Retry-After %d, draw %d", c[0], c[1], c[4]).isEqualTo(c[5]);
        }
    }

    @Test
    void aProblemsFieldErrorsAreSortedByTheEventTheyName() {
        byte[] problem = ("{\"type\":\"x\",\"status\":400,\"errors\":["
                + "{\"field\":\"events[17].timestamp\",\"message\":\"is in the future\"},"
                + "{\"field\":\"events[3].unit\",\"message\":\"is required\"},"
                + "{\"field\":\"events[17].unit\",\"message\":\"is too long\"},"
                + "{\"field\":\"body\",\"message\":\"ignored: names no event\"}]}").getBytes(StandardCharsets.UTF_8);
        Map<Integer, Map<String, String>> byEvent = MeterbillClient.eventErrors(problem);
        assertThat(byEvent).containsOnlyKeys(3, 17);
        assertThat(byEvent.get(17)).containsEntry("timestamp", "is in the future").containsEntry("unit", "is too long");
        assertThat(byEvent.get(3)).containsExactly(Map.entry("unit", "is required"));
        assertThat(MeterbillClient.eventErrors("not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void anEventKeepsItsKeyThroughEveryChangeAndWritesExactDecimals() {
        UsageEvent e = UsageEvent.of("tokens", new java.math.BigDecimal("0.1"), "count");
        UsageEvent changed = e.with("model", "large").at(java.time.Instant.parse("2026-11-30T10:00:00Z"));
        assertThat(changed.idempotencyKey()).isEqualTo(e.idempotencyKey());
        assertThat(new String(MeterbillClient.encode(changed), StandardCharsets.UTF_8)).isEqualTo(
                "{\"metricName\":\"tokens\",\"metricValue\":0.1,\"unit\":\"count\","
                        + "\"timestamp\":\"2026-11-30T10:00:00Z\",\"metadata\":{\"model\":\"large\"},"
                        + "\"idempotencyKey\":\"" + e.idempotencyKey() + "\"}");
        assertThat(new String(MeterbillClient.encode(UsageEvent.of("big", new java.math.BigDecimal("1E+3"), "count")),
                StandardCharsets.UTF_8)).as("never in exponent form").contains("\"metricValue\":1000,");
        assertThat(UsageEvent.of("a", 1, "count").idempotencyKey()).isNotEqualTo(e.idempotencyKey());
        assertThatThrownBy(() -> MeterbillClient.builder("http://x", "k").maxBatchEvents(1_001))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> e.with("when", java.time.Instant.now()))
                .as("metadata the gateway could not store as sent is refused at once")
                .isInstanceOf(IllegalArgumentException.class);
    }
}
