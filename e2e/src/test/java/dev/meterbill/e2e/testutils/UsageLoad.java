package dev.meterbill.e2e.testutils;

import dev.meterbill.events.BillingPeriod;
import dev.meterbill.events.UsageEvent;
import dev.meterbill.events.UsageEventCodec;
import dev.meterbill.events.UsageTopics;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Usage envelopes as the gateway publishes them, for several projects and metrics, with a share of
 * producer retries (a later envelope with a new eventId but an earlier event's idempotency key),
 * and the totals PostgreSQL must end up with: every distinct event exactly once.
 *
 * <p>Timestamps climb through the last 50 minutes (within the current month), a few seconds out of
 * order at most, so no period can be final (grace 1 h) and no event is late: the totals depend on
 * exactly-once processing only.
 */
public final class UsageLoad {

    private static final String[][] METRICS = {{"api_calls", "count"}, {"storage_gb", "GB"}, {"compute_seconds", "s"}};

    private final List<UsageEvent> events;
    private final Map<UsageTotals.Key, UsageTotals.Row> expected;
    private final AtomicLong sent = new AtomicLong();

    private UsageLoad(List<UsageEvent> events, Map<UsageTotals.Key, UsageTotals.Row> expected) {
        this.events = events;
        this.expected = expected;
    }

    /** Metric definitions for {@link #generate(int, int, int, long, boolean) metered} loads, as billing-api publishes them. */
    public static final Map<String, String> DEFINITIONS = Map.of(
            "calls_by_model", """
                    {"key":"calls_by_model","versions":[{"version":1,"eventMetric":"api_calls","aggregation":"sum",
                     "filters":[],"groupBy":["model"],"effectiveFrom":"2020-01-01T00:00:00Z"}]}""",
            "active_users", """
                    {"key":"active_users","versions":[{"version":1,"eventMetric":"api_calls","aggregation":"unique_count",
                     "uniqueProperty":"user_id","filters":[],"groupBy":[],"effectiveFrom":"2020-01-01T00:00:00Z"}]}""");
    private static final String[] MODELS = {"large", "medium", "small"};
    private static final int USERS = 700;

    /** {@code count} envelopes, of which every {@code 1/duplicateEvery}th repeats an earlier idempotency key. */
    public static UsageLoad generate(int count, int duplicateEvery, int projects, long seed) {
        return generate(count, duplicateEvery, projects, seed, false);
    }

    /**
     * As {@link #generate(int, int, int, long)}; {@code metered}: every event carries a {@code model} and a
     * {@code user_id}, and the totals expected include those of {@link #DEFINITIONS}: api_calls per model, and the
     * distinct users of api_calls (each distinct value a 1).
     */
    public static UsageLoad generate(int count, int duplicateEvery, int projects, long seed, boolean metered) {
        Random random = new Random(seed);
        Instant now = Instant.now();
        Instant monthStart = YearMonth.from(now.atZone(ZoneOffset.UTC)).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        long spanMs = Math.max(1, Math.min(Duration.ofMinutes(50).toMillis(), now.toEpochMilli() - monthStart.toEpochMilli() - 5_000));
        Instant from = now.minusMillis(spanMs);
        List<UUID> projectIds = new ArrayList<>();
        List<UUID> orgIds = new ArrayList<>();
        for (int p = 0; p < projects; p++) {
            projectIds.add(new UUID(seed, p));
            orgIds.add(new UUID(seed, 1000 + p));
        }
        List<UsageEvent> events = new ArrayList<>(count);
        Map<UsageTotals.Key, UsageTotals.Row> expected = new HashMap<>();
        java.util.Set<String> distinctUsers = new java.util.HashSet<>();
        for (int i = 0; i < count; i++) {
            if (i > 0 && i % duplicateEvery == 0) {
                UsageEvent original = events.get(random.nextInt(i));
                events.add(new UsageEvent(UUID.randomUUID(), original.projectId(), original.organisationId(),
                        original.metricName(), original.metricValue(), original.unit(), original.timestamp(),
                        original.receivedAt().plusSeconds(1), original.billingTimezone(), original.metadata(),
                        original.idempotencyKey()));
                continue;
            }
            int p = random.nextInt(projects);
            String[] metric = METRICS[random.nextInt(METRICS.length)];
            BigDecimal value = switch (metric[0]) {
                case "api_calls" -> BigDecimal.valueOf(1 + random.nextInt(5));
                case "storage_gb" -> BigDecimal.valueOf(random.nextInt(5_000_000), 3);
                default -> BigDecimal.valueOf(random.nextInt(1_000_000_000), 6);
            };
            Instant ts = from.plusMillis(Math.max(0, spanMs * i / count - random.nextInt(3_000)));
            String model = MODELS[random.nextInt(MODELS.length)];
            String user = "user-" + random.nextInt(USERS);
            UsageEvent e = new UsageEvent(UUID.randomUUID(), projectIds.get(p), orgIds.get(p), metric[0], value, metric[1],
                    ts, now, "UTC", metered ? Map.of("model", model, "user_id", user) : Map.of(), "key-" + seed + "-" + i);
            events.add(e);
            String period = BillingPeriod.containing(ts, "UTC").key();
            expected.merge(new UsageTotals.Key(e.projectId(), e.metricName(), period), UsageTotals.Row.of(value),
                    UsageTotals.Row::plus);
            if (metered && "api_calls".equals(metric[0])) {
                expected.merge(new UsageTotals.Key(e.projectId(), "calls_by_model{model=" + model + "}", period),
                        UsageTotals.Row.of(value), UsageTotals.Row::plus);
                if (distinctUsers.add(e.projectId() + "|" + period + "|" + user)) {
                    expected.merge(new UsageTotals.Key(e.projectId(), "active_users{}", period),
                            UsageTotals.Row.of(BigDecimal.ONE), UsageTotals.Row::plus);
                }
            }
        }
        return new UsageLoad(events, Map.copyOf(expected));
    }

    /** Publishes {@link #DEFINITIONS} to the compacted topic the job reads them from, keyed as billing-api keys them. */
    public static void publishDefinitions(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            DEFINITIONS.forEach((key, json) -> producer.send(new ProducerRecord<>(UsageTopics.METRIC_DEFINITIONS,
                    key.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8))));
            producer.flush();
        }
    }

    public int size() {
        return events.size();
    }

    public long distinctEvents() {
        return UsageTotals.totalCount(expected);
    }

    public Map<UsageTotals.Key, UsageTotals.Row> expected() {
        return expected;
    }

    /** Envelopes sent and acknowledged so far. */
    public long sent() {
        return sent.get();
    }

    /**
     * Produces every envelope to {@code topic}, keyed by project id as the gateway does, at about
     * {@code perSecond}, on a thread of its own; the future completes when Kafka acknowledged all.
     */
    public CompletableFuture<Void> produce(String bootstrap, String topic, int perSecond) {
        return produce(bootstrap, topic, perSecond, events.size(), CompletableFuture.completedFuture(null));
    }

    /**
     * Like {@link #produce(String, String, int)}, but waits after {@code pauseAt} envelopes until
     * {@code resume} completes: on a slow machine, failures a test injects "while events flow" still
     * happen before the last envelope was sent.
     */
    public CompletableFuture<Void> produce(String bootstrap, String topic, int perSecond, int pauseAt,
                                           CompletableFuture<?> resume) {
        return CompletableFuture.runAsync(() -> {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            p.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                long started = System.nanoTime();
                for (int i = 0; i < events.size(); i++) {
                    if (i == pauseAt) {
                        long paused = System.nanoTime();
                        resume.join();
                        started += System.nanoTime() - paused;
                    }
                    UsageEvent e = events.get(i);
                    producer.send(new ProducerRecord<>(topic, e.projectId().toString().getBytes(StandardCharsets.UTF_8),
                            UsageEventCodec.encode(e)), (meta, error) -> {
                        if (error == null) {
                            sent.incrementAndGet();
                        }
                    });
                    long dueNanos = started + (long) ((i + 1) * 1e9 / perSecond);
                    long ahead = dueNanos - System.nanoTime();
                    if (ahead > 2_000_000) {
                        Thread.sleep(ahead / 1_000_000);
                    }
                }
                producer.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (sent.get() != events.size()) {
                throw new IllegalStateException("Kafka acknowledged " + sent.get() + " of " + events.size() + " envelopes");
            }
        });
    }
}
