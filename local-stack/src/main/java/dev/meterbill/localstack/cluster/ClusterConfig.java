package dev.meterbill.localstack.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where {@code ./billing cluster} runs the production topology on this machine: ports, the
 * PostgreSQL database, the work dir (PID files, logs, Kafka data, checkpoints, savepoints).
 * The services get the same environment variables they read in production.
 */
public record ClusterConfig(
        Path workDir,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int kafkaPort,
        int kafkaControllerPort,
        int flinkRestPort,
        int flinkRpcPort,
        int taskManagers,
        List<Integer> gatewayPorts,
        int billingApiPort,
        String adminToken,
        String billingApiHeap) {

    /** billing-api's heap when none is given (CLUSTER_BILLING_API_HEAP). */
    public static final String DEFAULT_BILLING_API_HEAP = "512m";

    public ClusterConfig {
        if (billingApiHeap == null || billingApiHeap.isBlank()) {
            billingApiHeap = DEFAULT_BILLING_API_HEAP;
        } else if (!billingApiHeap.matches("[0-9]+[mg]")) {
            throw new IllegalArgumentException("CLUSTER_BILLING_API_HEAP must be a size such as 512m or 2g, got '"
                    + billingApiHeap + "'");
        }
    }

    /** With billing-api's default heap. */
    public ClusterConfig(Path workDir, String dbUrl, String dbUser, String dbPassword, int kafkaPort, int kafkaControllerPort,
                         int flinkRestPort, int flinkRpcPort, int taskManagers, List<Integer> gatewayPorts, int billingApiPort,
                         String adminToken) {
        this(workDir, dbUrl, dbUser, dbPassword, kafkaPort, kafkaControllerPort, flinkRestPort, flinkRpcPort, taskManagers,
                gatewayPorts, billingApiPort, adminToken, null);
    }

    /**
     * Defaults: Kafka 9092, Flink REST/web UI 8090 (8081, Flink's default, is billing-api's), two
     * TaskManagers, gateways on GATEWAY_PORT (8080) and CLUSTER_GATEWAY2_PORT (8082), billing-api on
     * BILLING_API_PORT (8081), database {@code billing_cluster} unless BILLING_DB_URL names one.
     * A null admin token means "generate one and keep it in the work dir".
     */
    public static ClusterConfig fromEnv(Map<String, String> env, Path workDir) {
        return new ClusterConfig(
                workDir,
                env.getOrDefault("BILLING_DB_URL", "jdbc:postgresql://localhost:5432/billing_cluster"),
                env.getOrDefault("BILLING_DB_USER", "postgres"),
                env.getOrDefault("BILLING_DB_PASSWORD", ""),
                port(env, "CLUSTER_KAFKA_PORT", 9092),
                port(env, "CLUSTER_KAFKA_CONTROLLER_PORT", 9093),
                port(env, "CLUSTER_FLINK_REST_PORT", 8090),
                port(env, "CLUSTER_FLINK_RPC_PORT", 6123),
                port(env, "CLUSTER_TASK_MANAGERS", 2),
                List.of(port(env, "GATEWAY_PORT", 8080), port(env, "CLUSTER_GATEWAY2_PORT", 8082)),
                port(env, "BILLING_API_PORT", 8081),
                env.get("BILLING_ADMIN_TOKEN"),
                env.get("CLUSTER_BILLING_API_HEAP"));
    }

    public String kafkaBootstrap() {
        return "localhost:" + kafkaPort;
    }

    /** Where the archive job writes the raw events and billing-api reads them (BILLING_ARCHIVE_PATH). */
    public Path archiveDir() {
        return workDir.resolve("archive");
    }

    public Path pidDir() {
        return workDir.resolve("pids");
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String v = env.get(name);
        try {
            return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + v + "'", e);
        }
    }
}
