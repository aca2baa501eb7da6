package dev.meterbill.gateway;

import dev.meterbill.events.UsageTopics;
import java.time.Duration;
import java.util.Map;

/** Gateway configuration, read once from the environment; defaults serve the local stack. */
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
        long rateLimitEventsPerSecond) {

    /** Events per second per project and gateway instance; generous, it guards against runaway loops. */
    public static final int DEFAULT_RATE_LIMIT = 50_000;

    /**
     * Reads the environment. Outside the local stack {@code KAFKA_BOOTSTRAP_SERVERS} is required:
     * a gateway silently publishing to a default broker would lose producers' events.
     */
    public static GatewayConfig fromEnv(Map<String, String> env) {
        String bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS");
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalStateException("KAFKA_BOOTSTRAP_SERVERS is required (host:port of the Kafka brokers)");
        }
        return new GatewayConfig(
                bootstrap,
                UsageTopics.USAGE,
                env.getOrDefault("BILLING_DB_URL", "jdbc:postgresql://localhost:5432/billing"),
                env.getOrDefault("BILLING_DB_USER", "postgres"),
                env.getOrDefault("BILLING_DB_PASSWORD", ""),
                intVar(env, "GATEWAY_PORT", 8080),
                Duration.ofDays(intVar(env, "GATEWAY_BACKFILL_DAYS", 35)),
                Duration.ofSeconds(intVar(env, "GATEWAY_KEY_CACHE_SECONDS", 10)),
                Duration.ofMillis(intVar(env, "GATEWAY_PUBLISH_TIMEOUT_MS", 15_000)),
                intVar(env, "GATEWAY_RATE_LIMIT_EVENTS_PER_SECOND", DEFAULT_RATE_LIMIT));
    }

    /** The local stack's configuration: everything on this machine. */
    public static GatewayConfig local(String kafkaBootstrapServers, String dbUrl, int port) {
        return new GatewayConfig(kafkaBootstrapServers, UsageTopics.USAGE, dbUrl, "postgres", "", port,
                Duration.ofDays(35), Duration.ofSeconds(10), Duration.ofSeconds(15), DEFAULT_RATE_LIMIT);
    }

    private static int intVar(Map<String, String> env, String name, int fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " must be an integer, got '" + v + "'");
        }
    }
}
