package dev.meterbill.jobs.usage;

import java.util.Objects;
import org.apache.flink.util.ParameterTool;

/**
 * Immutable settings of {@link UsageAggregationJob}; defaults serve the local stack.
 *
 * <p>{@code parallelism} is {@code null} when the environment's default applies.
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
        int dedupeTtlDays,
        long outOfOrdernessMs,
        long idlenessMs,
        int sinkBatchSize,
        long sinkBatchIntervalMs,
        Integer parallelism) {

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
        requirePositive(dedupeTtlDays, "dedupe.ttl.days");
        requireNotNegative(outOfOrdernessMs, "out.of.orderness.ms");
        requirePositive(idlenessMs, "idleness.ms");
        requirePositive(sinkBatchSize, "sink.batch.size");
        requireNotNegative(sinkBatchIntervalMs, "sink.batch.interval.ms");
        if (parallelism != null) {
            requirePositive(parallelism, "parallelism");
        }
    }

    /** The local-stack defaults. */
    public static JobConfig defaults() {
        return fromArgs(new String[0]);
    }

    /** Parses {@code --name value} arguments; every parameter is optional. */
    public static JobConfig fromArgs(String[] args) {
        ParameterTool p = ParameterTool.fromArgs(args);
        return new JobConfig(
                text(p, "kafka.bootstrap", "localhost:9092"),
                text(p, "topic", "usage-events"),
                text(p, "dlq.topic", "usage-events-dlq"),
                text(p, "group.id", "usage-aggregation"),
                text(p, "jdbc.url", "jdbc:postgresql://localhost:5432/billing"),
                text(p, "jdbc.user", "postgres"),
                text(p, "jdbc.password", ""),
                number(p, "checkpoint.interval.ms", 5000),
                number(p, "refresh.interval.ms", 1000),
                Math.toIntExact(number(p, "dedupe.ttl.days", 35)),
                number(p, "out.of.orderness.ms", 5000),
                number(p, "idleness.ms", 30000),
                Math.toIntExact(number(p, "sink.batch.size", 500)),
                number(p, "sink.batch.interval.ms", 1000),
                p.has("parallelism") ? Math.toIntExact(number(p, "parallelism", 0)) : null);
    }

    public JobConfig withKafkaBootstrap(String bootstrap) {
        return new JobConfig(bootstrap, topic, dlqTopic, groupId, jdbcUrl, jdbcUser, jdbcPassword,
                checkpointIntervalMs, refreshIntervalMs, dedupeTtlDays, outOfOrdernessMs, idlenessMs,
                sinkBatchSize, sinkBatchIntervalMs, parallelism);
    }

    public JobConfig withJdbc(String url, String user, String password) {
        return new JobConfig(kafkaBootstrap, topic, dlqTopic, groupId, url, user, password,
                checkpointIntervalMs, refreshIntervalMs, dedupeTtlDays, outOfOrdernessMs, idlenessMs,
                sinkBatchSize, sinkBatchIntervalMs, parallelism);
    }

    public JobConfig withParallelism(Integer newParallelism) {
        return new JobConfig(kafkaBootstrap, topic, dlqTopic, groupId, jdbcUrl, jdbcUser, jdbcPassword,
                checkpointIntervalMs, refreshIntervalMs, dedupeTtlDays, outOfOrdernessMs, idlenessMs,
                sinkBatchSize, sinkBatchIntervalMs, newParallelism);
    }

    /** Hides the password so the config can be logged. */
    @Override
    public String toString() {
        return "JobConfig[kafka.bootstrap=" + kafkaBootstrap + ", topic=" + topic + ", dlq.topic=" + dlqTopic
                + ", group.id=" + groupId + ", jdbc.url=" + jdbcUrl + ", jdbc.user=" + jdbcUser
                + ", checkpoint.interval.ms=" + checkpointIntervalMs + ", refresh.interval.ms=" + refreshIntervalMs
                + ", dedupe.ttl.days=" + dedupeTtlDays + ", out.of.orderness.ms=" + outOfOrdernessMs
                + ", idleness.ms=" + idlenessMs + ", sink.batch.size=" + sinkBatchSize
                + ", sink.batch.interval.ms=" + sinkBatchIntervalMs + ", parallelism=" + parallelism + "]";
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
