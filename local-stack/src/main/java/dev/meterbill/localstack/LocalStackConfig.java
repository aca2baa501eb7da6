package dev.meterbill.localstack;

import java.nio.file.Path;
import java.util.Map;

/** Where the local stack runs: ports, the PostgreSQL server and database, a scratch directory. */
public record LocalStackConfig(
        String dbServerUrl,
        String dbUser,
        String dbPassword,
        String dbName,
        int gatewayPort,
        int billingApiPort,
        int kafkaPort,
        int razorpayPort,
        String adminToken,
        Path workDir) {

    public static final String DEFAULT_ADMIN_TOKEN = "local-admin-token";

    /** Defaults for {@code ./billing up}, overridable by the documented environment variables. */
    public static LocalStackConfig fromEnv(Map<String, String> env, Path workDir) {
        return new LocalStackConfig(
                env.getOrDefault("BILLING_DB_URL", "jdbc:postgresql://localhost:5432/billing"),
                env.getOrDefault("BILLING_DB_USER", "postgres"),
                env.getOrDefault("BILLING_DB_PASSWORD", ""),
                env.getOrDefault("LOCAL_STACK_DB_NAME", "billing_local"),
                Integer.parseInt(env.getOrDefault("GATEWAY_PORT", "8080")),
                Integer.parseInt(env.getOrDefault("BILLING_API_PORT", "8081")),
                Integer.parseInt(env.getOrDefault("LOCAL_STACK_KAFKA_PORT", "9092")),
                Integer.parseInt(env.getOrDefault("LOCAL_STACK_RAZORPAY_PORT", "8089")),
                env.getOrDefault("BILLING_ADMIN_TOKEN", DEFAULT_ADMIN_TOKEN),
                workDir);
    }

    /** Random ports and a database of its own, for tests. */
    public static LocalStackConfig forTest(String dbName, Path workDir) {
        return new LocalStackConfig("jdbc:postgresql://localhost:5432/postgres", "postgres", "", dbName,
                0, 0, 0, 0, "test-admin-token", workDir);
    }

    public String dbUrl() {
        return LocalDatabase.urlOf(dbServerUrl, dbName);
    }
}
