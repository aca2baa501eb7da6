package dev.meterbill.benchmarks.aggregate;

import dev.meterbill.events.UsageEvent;
import dev.meterbill.events.UsageEventCodec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Envelopes as the gateway stamps them, for several projects (half billing in UTC, half in IST) and
 * metrics, with timestamps in the last 50 minutes so that no period closes during the run.
 * {@code keyedPercent} of them carry their own idempotency key (the job keeps dedupe state for
 * each); 100 is the worst case for the job.
 */
final class BenchEvents {

    static final String[] METRICS = {"api_calls", "storage_gb", "compute_seconds", "egress_gb", "seats"};

    private final UUID[] projects;
    private final UUID[] organisations;
    private final SplittableRandom random;
    private final String keyPrefix;
    private final int keyedPercent;
    private final long now = Instant.now().toEpochMilli();

    BenchEvents(int projectCount, long seed, String keyPrefix, int keyedPercent) {
        this.random = new SplittableRandom(seed);
        this.keyPrefix = keyPrefix;
        this.keyedPercent = keyedPercent;
        projects = new UUID[projectCount];
        organisations = new UUID[projectCount];
        for (int p = 0; p < projectCount; p++) {
            projects[p] = uuid();
            organisations[p] = uuid();
        }
    }

    /** The i-th event: project and metric round-robin, a value with two decimals. */
    UsageEvent event(long i) {
        int p = (int) (i % projects.length);
        String metric = METRICS[(int) ((i / projects.length) % METRICS.length)];
        return event(projects[p], organisations[p], metric, p % 2 == 0 ? "UTC" : "Asia/Kolkata", i);
    }

    UsageEvent event(UUID project, UUID organisation, String metric, String zone, long i) {
        Instant timestamp = Instant.ofEpochMilli(now - (i % 3_000_000L));
        return new UsageEvent(uuid(), project, organisation, metric, BigDecimal.valueOf(random.nextInt(1, 100_000), 2),
                "count", timestamp, timestamp.plusMillis(3), zone, metadata(i), i % 100 < keyedPercent ? keyPrefix + i : null);
    }

    static ProducerRecord<byte[], byte[]> record(String topic, UsageEvent e) {
        return new ProducerRecord<>(topic, e.projectId().toString().getBytes(StandardCharsets.UTF_8), UsageEventCodec.encode(e));
    }

    /** -Dbench.groups=3: every event carries model, region and tier, what a definition per metric groups by. */
    static final int GROUPS = Integer.getInteger("bench.groups", 0);
    private static final String[][] GROUP_VALUES = {{"large", "medium", "small"}, {"in", "us"}, {"free", "pro", "team", "enterprise"}};
    private static final String[] GROUP_KEYS = {"model", "region", "tier"};

    private static Map<String, Object> metadata(long i) {
        if (GROUPS == 0) {
            return Map.of();
        }
        Map<String, Object> m = new java.util.HashMap<>();
        for (int g = 0; g < GROUPS; g++) {
            m.put(GROUP_KEYS[g], GROUP_VALUES[g][(int) (i % GROUP_VALUES[g].length)]);
        }
        return m;
    }

    /** The group-by keys of the definitions of -Dbench.groups (none without). */
    static List<String> groupBy() {
        return Arrays.asList(GROUP_KEYS).subList(0, GROUPS);
    }

    /** The definitions of -Dbench.groups: one per metric, {@code <metric>_grouped}, grouped by the first GROUPS keys. */
    static List<String> definitions() {
        List<String> out = new ArrayList<>();
        String groupBy = String.join("\",\"", groupBy());
        for (String metric : METRICS) {
            out.add("{\"key\":\"" + metric + "_grouped\",\"versions\":[{\"version\":1,\"eventMetric\":\"" + metric
                    + "\",\"aggregation\":\"sum\",\"filters\":[],\"groupBy\":[\"" + groupBy
                    + "\"],\"effectiveFrom\":\"2000-01-01T00:00:00Z\"}]}");
        }
        return out;
    }

    /** Random, not SecureRandom: generating a million ids must not dominate the run. */
    UUID uuid() {
        return new UUID(random.nextLong(), random.nextLong());
    }
}
