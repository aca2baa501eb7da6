package dev.meterbill.gateway;

import dev.meterbill.events.UsageTopics;
import dev.meterbill.service.Env;
import java.time.Duration;
import java.util.Map;

/**
 * Gateway configuration, read once from the environment (docs/operations.md lists every variable);
 * defaults serve the local stack. Every tuning knob is here: nothing reads system properties.
 *
 * @param instanceId         stable id of this gateway ({@code GATEWAY_INSTANCE_ID}); null derives one from host and port
 * @param publishWorkers     Kafka producers, each committing one group of requests at a time ({@code GATEWAY_PUBLISH_WORKERS})
 * @param kafkaRetryBackoff  the producers' retry backoff ({@code GATEWAY_KAFKA_RETRY_BACKOFF_MS})
 */
public record GatewayConfig(
        String kafkaBootstrapServers,
        String topic,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int port,
        Duration backfillWindow,
        Duration keyCacheTtl,
        Duration publishTimeout,
        long rateLimitEventsPerSecond,
        String instanceId,
        int publishWorkers,
        Duration kafkaRetryBackoff) {

    /** Events per second per project and gateway instance; generous, it guards against runaway loops. */
    public static final int DEFAULT_RATE_LIMIT = 50_000;
    public static final int DEFAULT_PUBLISH_WORKERS = 2;
    /** A new transaction may briefly see the previous one's markers; retry that quickly, not after Kafka's 100 ms. */
    public static final int DEFAULT_KAFKA_RETRY_BACKOFF_MS = 10;

    /**
     * Reads the environment. Outside the local stack {@code KAFKA_BOOTSTRAP_SERVERS} is required:
     * a gateway silently publishing to a default broker would lose producers' events.
     */
    public static GatewayConfig fromEnv(Map<String, String> environment) {
        Env env = new Env(environment);
        return new GatewayConfig(
                env.required("KAFKA_BOOTSTRAP_SERVERS", "host:port of the Kafka brokers"),
                UsageTopics.USAGE,
                env.text("BILLING_DB_URL", "jdbc:postgresql://localhost:5432/billing"),
                env.text("BILLING_DB_USER", "postgres"),
                environment.getOrDefault("BILLING_DB_PASSWORD", ""),
                env.integer("GATEWAY_PORT", 8080, 0, 65_535),
                Duration.ofDays(env.integer("GATEWAY_BACKFILL_DAYS", 35, 1, 3_650)),
                Duration.ofSeconds(env.integer("GATEWAY_KEY_CACHE_SECONDS", 10, 0, 3_600)),
                Duration.ofMillis(env.integer("GATEWAY_PUBLISH_TIMEOUT_MS", 15_000, 100, 600_000)),
                env.integer("GATEWAY_RATE_LIMIT_EVENTS_PER_SECOND", DEFAULT_RATE_LIMIT, 1, Integer.MAX_VALUE),
                env.text("GATEWAY_INSTANCE_ID", null),
                env.integer("GATEWAY_PUBLISH_WORKERS", DEFAULT_PUBLISH_WORKERS, 1, 64),
                Duration.ofMillis(env.integer("GATEWAY_KAFKA_RETRY_BACKOFF_MS", DEFAULT_KAFKA_RETRY_BACKOFF_MS, 0, 10_000)));
    }

    /** The local stack's configuration: everything on this machine. */
    public static GatewayConfig local(String kafkaBootstrapServers, String dbUrl, int port) {
        return new GatewayConfig(kafkaBootstrapServers, UsageTopics.USAGE, dbUrl, "postgres", "", port,
                Duration.ofDays(35), Duration.ofSeconds(10), Duration.ofSeconds(15), DEFAULT_RATE_LIMIT, null,
                DEFAULT_PUBLISH_WORKERS, Duration.ofMillis(DEFAULT_KAFKA_RETRY_BACKOFF_MS));
    }

    public GatewayConfig withDatabase(String url, String user, String password) {
        return new GatewayConfig(kafkaBootstrapServers, topic, url, user, password, port, backfillWindow, keyCacheTtl,
                publishTimeout, rateLimitEventsPerSecond, instanceId, publishWorkers, kafkaRetryBackoff);
    }

    public GatewayConfig withKeyCacheTtl(Duration ttl) {
        return new GatewayConfig(kafkaBootstrapServers, topic, dbUrl, dbUser, dbPassword, port, backfillWindow, ttl,
                publishTimeout, rateLimitEventsPerSecond, instanceId, publishWorkers, kafkaRetryBackoff);
    }

    public GatewayConfig withRateLimit(long eventsPerSecond) {
        return new GatewayConfig(kafkaBootstrapServers, topic, dbUrl, dbUser, dbPassword, port, backfillWindow,
                keyCacheTtl, publishTimeout, eventsPerSecond, instanceId, publishWorkers, kafkaRetryBackoff);
    }

    public GatewayConfig withPublishWorkers(int workers) {
        return new GatewayConfig(kafkaBootstrapServers, topic, dbUrl, dbUser, dbPassword, port, backfillWindow,
                keyCacheTtl, publishTimeout, rateLimitEventsPerSecond, instanceId, workers, kafkaRetryBackoff);
    }
}
