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
            assertThat(MeterbillClient.backoffMillis((int) c[0], c[1], c[2], c[3], c[4] * 1000))
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

    /** Timestamps are written as Instant.toString writes them, for instants of every precision and far-off years. */
    @Test
    void timestampsAreWrittenAsInstantWritesThem() {
        java.util.Random random = new java.util.Random(42);
        java.util.List<java.time.Instant> instants = new java.util.ArrayList<>(java.util.List.of(java.time.Instant.EPOCH,
                java.time.Instant.parse("0000-01-01T00:00:00Z"), java.time.Instant.parse("9999-12-31T23:59:59.999999999Z"),
                java.time.Instant.parse("-0001-12-31T23:59:59Z"), java.time.Instant.parse("+10000-01-01T00:00:00Z"),
                java.time.Instant.parse("2024-02-29T12:00:00.100Z"), java.time.Instant.parse("2026-11-30T10:00:00.000100Z")));
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong() % 300_000_000_000L;
            int[] byPrecision = {0, random.nextInt(1_000) * 1_000_000, random.nextInt(1_000_000) * 1_000,
                random.nextInt(1_000_000_000)};
            int nanos = byPrecision[i % 4];
            instants.add(java.time.Instant.ofEpochSecond(seconds, nanos));
        }
        for (java.time.Instant t : instants) {
            assertThat(MeterbillClient.iso(t)).isEqualTo(t.toString());
        }
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
        UsageEvent typed = e.with("n", 7).with("big", 12_345_678_901L).with("ratio", new java.math.BigDecimal("0.50"))
                .with("d", 1.5).with("ok", true).at(java.time.Instant.parse("2026-11-30T10:00:00Z"));
        assertThat(new String(MeterbillClient.encode(typed), StandardCharsets.UTF_8)).contains(
                "\"metadata\":{\"n\":7,\"big\":12345678901,\"ratio\":0.50,\"d\":1.5,\"ok\":true}");
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            keys.add(UsageEvent.of("a", 1, "count").idempotencyKey());
        }
        assertThat(keys).as("every event its own key").hasSize(100_000).allMatch(k -> k.length() <= 128);
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
