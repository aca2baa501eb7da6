package dev.meterbill.jobs.usage;

import dev.meterbill.events.UsageTopics;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.util.ParameterTool;

/**
 * Immutable settings of {@link UsageAggregationJob}; defaults serve the local stack.
 *
 * <p>{@code parallelism}, {@code checkpointDir} and {@code stateBackend} are {@code null} when the
 * cluster's own configuration applies.
 */
public record JobConfig(
        String kafkaBootstrap,
        String topic,
        String dlqTopic,
        String groupId,
        String jdbcUrl,
        String jdbcUser,
        String jdbcPassword,
        long checkpointIntervalMs,
        long refreshIntervalMs,
        long combineIntervalMs,
        int dedupeTtlDays,
        long outOfOrdernessMs,
        long idlenessMs,
        long graceMs,
        long finaliseQuietMs,
        int sinkBatchSize,
        long sinkBatchIntervalMs,
        long sinkDetailIntervalMs,
        int groupCeiling,
        Integer parallelism,
        String checkpointDir,
        String stateBackend) {

    /**
     * The gateway accepts timestamps up to 35 days back and 5 minutes ahead, so a producer's
     * retry can reach the job up to 35 days and 5 minutes after the first copy: whole days, 36.
     */
    public static final int MIN_DEDUPE_TTL_DAYS = 36;
    /** Distinct groups per project, metric definition and billing period kept as they are (docs/metering.md). */
    public static final int DEFAULT_GROUP_CEILING = 1_000;
    public static final Set<String> STATE_BACKENDS = Set.of("hashmap", "rocksdb");
    /**
     * Where the job's {@code main} takes the database password from when {@code --jdbc.password} is
     * not given: the same variable the gateway and billing-api read. A program argument shows in
     * Flink's web UI and in process listings; an environment variable from a secret does not.
     */
    public static final String JDBC_PASSWORD_ENV = "BILLING_DB_PASSWORD";

    // ParameterTool stores "--key" without a value under this marker (AbstractParameterTool.NO_VALUE_KEY).
    private static final String NO_VALUE = "__NO_VALUE_KEY";

    public JobConfig {
        requireText(kafkaBootstrap, "kafka.bootstrap");
        requireText(topic, "topic");
        requireText(dlqTopic, "dlq.topic");
        requireText(groupId, "group.id");
        requireText(jdbcUrl, "jdbc.url");
        requireText(jdbcUser, "jdbc.user");
        jdbcPassword = jdbcPassword == null ? "" : jdbcPassword;
        requirePositive(checkpointIntervalMs, "checkpoint.interval.ms");
        requireNotNegative(refreshIntervalMs, "refresh.interval.ms");
        requireNotNegative(combineIntervalMs, "combine.interval.ms");
        if (dedupeTtlDays < MIN_DEDUPE_TTL_DAYS) {
            throw new IllegalArgumentException("--dedupe.ttl.days must be at least " + MIN_DEDUPE_TTL_DAYS
                    + " to cover the gateway's 35-day backfill window, got " + dedupeTtlDays);
        }
        requireNotNegative(outOfOrdernessMs, "out.of.orderness.ms");
        requirePositive(idlenessMs, "idleness.ms");
        requireNotNegative(graceMs, "grace.ms");
        if (finaliseQuietMs <= idlenessMs) {
            // After a restart, a silent partition holds the watermark still until it is declared idle.
            throw new IllegalArgumentException("--finalise.quiet.ms must be greater than --idleness.ms ("
                    + idlenessMs + "), got " + finaliseQuietMs);
        }
        requirePositive(sinkBatchSize, "sink.batch.size");
        requireNotNegative(sinkBatchIntervalMs, "sink.batch.interval.ms");
        requireNotNegative(sinkDetailIntervalMs, "sink.detail.interval.ms");
        requirePositive(groupCeiling, "group.ceiling");
        if (parallelism != null) {
            requirePositive(parallelism, "parallelism");
        }
        if (checkpointDir != null) {
            requireText(checkpointDir, "checkpoint.dir");
        }
        if (stateBackend != null && !STATE_BACKENDS.contains(stateBackend)) {
            throw new IllegalArgumentException("--state.backend must be hashmap or rocksdb, got '" + stateBackend + "'");
        }
    }

    /** The local-stack defaults. */
    public static JobConfig defaults() {
        return fromArgs(new String[0]);
    }

    /** Parses {@code --name value} arguments; every parameter is optional. Ignores the environment. */
    public static JobConfig fromArgs(String[] args) {
        return fromArgs(args, Map.of());
    }

    /**
     * As the job's {@code main} reads its configuration: the arguments, and the password from
     * {@code env}'s {@value #JDBC_PASSWORD_ENV} unless {@code --jdbc.password} is given.
     */
    public static JobConfig fromArgs(String[] args, Map<String, String> env) {
        ParameterTool p = ParameterTool.fromArgs(args);
        return new JobConfig(
                text(p, "kafka.bootstrap", "localhost:9092"),
                text(p, "topic", UsageTopics.USAGE),
                text(p, "dlq.topic", UsageTopics.DEAD_LETTERS),
                text(p, "group.id", "usage-aggregation"),
                text(p, "jdbc.url", "jdbc:postgresql://localhost:5432/billing"),
                text(p, "jdbc.user", "postgres"),
                text(p, "jdbc.password", env.getOrDefault(JDBC_PASSWORD_ENV, "")),
                number(p, "checkpoint.interval.ms", 5000),
                number(p, "refresh.interval.ms", 1000),
                number(p, "combine.interval.ms", 200),
                Math.toIntExact(number(p, "dedupe.ttl.days", MIN_DEDUPE_TTL_DAYS)),
                number(p, "out.of.orderness.ms", 5000),
                number(p, "idleness.ms", 30000),
                number(p, "grace.ms", 3_600_000),
                number(p, "finalise.quiet.ms", 60_000),
                Math.toIntExact(number(p, "sink.batch.size", 500)),
                number(p, "sink.batch.interval.ms", 1000),
                number(p, "sink.detail.interval.ms", 2000),
                Math.toIntExact(number(p, "group.ceiling", DEFAULT_GROUP_CEILING)),
                p.has("parallelism") ? Math.toIntExact(number(p, "parallelism", 0)) : null,
                text(p, "checkpoint.dir", null),
                text(p, "state.backend", null));
    }

    public JobConfig withKafkaBootstrap(String bootstrap) {
        return new JobConfig(bootstrap, topic, dlqTopic, groupId, jdbcUrl, jdbcUser, jdbcPassword,
                checkpointIntervalMs, refreshIntervalMs, combineIntervalMs, dedupeTtlDays, outOfOrdernessMs, idlenessMs,
                graceMs, finaliseQuietMs, sinkBatchSize, sinkBatchIntervalMs, sinkDetailIntervalMs, groupCeiling,
                parallelism, checkpointDir, stateBackend);
    }

    public JobConfig withJdbc(String url, String user, String password) {
        return new JobConfig(kafkaBootstrap, topic, dlqTopic, groupId, url, user, password,
                checkpointIntervalMs, refreshIntervalMs, combineIntervalMs, dedupeTtlDays, outOfOrdernessMs, idlenessMs,
                graceMs, finaliseQuietMs, sinkBatchSize, sinkBatchIntervalMs, sinkDetailIntervalMs, groupCeiling,
                parallelism, checkpointDir, stateBackend);
    }

    public JobConfig withParallelism(Integer newParallelism) {
        return new JobConfig(kafkaBootstrap, topic, dlqTopic, groupId, jdbcUrl, jdbcUser, jdbcPassword,
                checkpointIntervalMs, refreshIntervalMs, combineIntervalMs, dedupeTtlDays, outOfOrdernessMs, idlenessMs,
                graceMs, finaliseQuietMs, sinkBatchSize, sinkBatchIntervalMs, sinkDetailIntervalMs, groupCeiling,
                newParallelism, checkpointDir, stateBackend);
    }

    /** Hides the password so the config can be logged. */
    @Override
    public String toString() {
        return "JobConfig[kafka.bootstrap=" + kafkaBootstrap + ", topic=" + topic + ", dlq.topic=" + dlqTopic
                + ", group.id=" + groupId + ", jdbc.url=" + jdbcUrl + ", jdbc.user=" + jdbcUser
                + ", checkpoint.interval.ms=" + checkpointIntervalMs + ", refresh.interval.ms=" + refreshIntervalMs
                + ", combine.interval.ms=" + combineIntervalMs + ", dedupe.ttl.days=" + dedupeTtlDays
                + ", out.of.orderness.ms=" + outOfOrdernessMs
                + ", idleness.ms=" + idlenessMs + ", grace.ms=" + graceMs + ", finalise.quiet.ms=" + finaliseQuietMs
                + ", sink.batch.size=" + sinkBatchSize + ", sink.batch.interval.ms=" + sinkBatchIntervalMs
                + ", sink.detail.interval.ms=" + sinkDetailIntervalMs
                + ", group.ceiling=" + groupCeiling
                + ", parallelism=" + parallelism + ", checkpoint.dir=" + checkpointDir
                + ", state.backend=" + stateBackend + "]";
    }

    private static String text(ParameterTool p, String name, String fallback) {
        String v = p.get(name);
        if (v == null) {
            return fallback;
        }
        return NO_VALUE.equals(v) ? "" : v;
    }

    private static long number(ParameterTool p, String name, long fallback) {
        String v = text(p, name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + v + "'", e);
        }
    }

    private static void requireText(String v, String name) {
        if (Objects.requireNonNull(v, "--" + name).isBlank()) {
            throw new IllegalArgumentException("--" + name + " must not be blank");
        }
    }

    private static void requirePositive(long v, String name) {
        if (v <= 0) {
            throw new IllegalArgumentException("--" + name + " must be positive, got " + v);
        }
    }

    private static void requireNotNegative(long v, String name) {
        if (v < 0) {
            throw new IllegalArgumentException("--" + name + " must not be negative, got " + v);
        }
    }
}
