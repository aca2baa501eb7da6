package dev.meterbill.benchmarks.aggregate;

import dev.meterbill.events.GroupedMetricName;
import dev.meterbill.events.UsageEvent;
import dev.meterbill.events.UsageEventCodec;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The two peers the job is measured against: a plain consumer that sums, and one INSERT per event. */
final class Baselines {

    private Baselines() {}

    /** What a plain consumer got: how many events, how long it took, and the exact grand total. */
    record ConsumerRun(long events, long nanos, BigDecimal total) {}

    /**
     * One KafkaConsumer thread, read_committed like the job, that decodes every envelope with
     * UsageEventCodec and sums metricValue per (project, metric): the ceiling of reading and
     * deserializing the topic, without state, checkpoints or a database. With -Dbench.groups it also
     * sums per (project, the metric's definition and the event's group-by values), the answer the job
     * gives for those definitions; the grand total is of the first sums only.
     */
    static ConsumerRun plainConsumer(String bootstrap, String topic, long events) {
        Map<String, BigDecimal> sums = new HashMap<>();
        Map<String, BigDecimal> grouped = new HashMap<>();
        List<String> groupBy = BenchEvents.groupBy();
        long count = 0;
        long start = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-plain-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (count < events) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    UsageEvent e = UsageEventCodec.decode(r.value());
                    sums.merge(e.projectId() + "/" + e.metricName(), e.metricValue(), BigDecimal::add);
                    if (!groupBy.isEmpty() && e.metadata() != null) {
                        Map<String, String> labels = new HashMap<>();
                        e.metadata().forEach((k, v) -> labels.put(k, String.valueOf(v)));
                        grouped.merge(e.projectId() + "/" + GroupedMetricName.of(e.metricName() + "_grouped", groupBy, labels),
                                e.metricValue(), BigDecimal::add);
                    }
                    count++;
                }
            }
        }
        long nanos = System.nanoTime() - start;
        return new ConsumerRun(count, nanos, sums.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add));
    }

    /**
     * The naive peer: every event its own INSERT into a plain table, autocommit, one statement per
     * round trip (a batch would already be an aggregation strategy). Returns nanoseconds for {@code events}.
     */
    static long perEventInsert(String jdbcUrl, String user, String password, List<UsageEvent> events) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE naive_usage_events (event_id UUID PRIMARY KEY, project_id UUID NOT NULL,"
                        + " organisation_id UUID NOT NULL, metric_name TEXT NOT NULL, metric_value NUMERIC(38,12) NOT NULL,"
                        + " unit TEXT NOT NULL, event_time TIMESTAMPTZ NOT NULL, received_at TIMESTAMPTZ NOT NULL)");
            }
            c.setAutoCommit(true);
            long start = System.nanoTime();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO naive_usage_events VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (UsageEvent e : events) {
                    ps.setObject(1, e.eventId());
                    ps.setObject(2, e.projectId());
                    ps.setObject(3, e.organisationId());
                    ps.setString(4, e.metricName());
                    ps.setBigDecimal(5, e.metricValue());
                    ps.setString(6, e.unit());
                    ps.setObject(7, OffsetDateTime.ofInstant(e.timestamp(), ZoneOffset.UTC));
                    ps.setObject(8, OffsetDateTime.ofInstant(e.receivedAt(), ZoneOffset.UTC));
                    ps.executeUpdate();
                }
            }
            return System.nanoTime() - start;
        }
    }
}
