package dev.meterbill.jobs.usage;

import dev.meterbill.jobs.usage.aggregate.UsageTotal;

import static dev.meterbill.jobs.testutils.TestEvents.event;
import static dev.meterbill.jobs.testutils.UsageTopic.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meterbill.jobs.testutils.FailOnceSink;
import dev.meterbill.jobs.testutils.KafkaJobArgs;
import dev.meterbill.jobs.testutils.TestEvents;
import dev.meterbill.jobs.testutils.UsageTopic;
import dev.meterbill.testkit.DatabaseExtension;
import dev.meterbill.testkit.FlinkMiniCluster;
import dev.meterbill.testkit.KafkaExtension;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link UsageAggregationJob#build} as deployed: the real Kafka source (read_committed) and DLQ
 * sink against an in-process broker, the real JDBC sinks against PostgreSQL, with checkpoints.
 */
class UsageAggregationJobKafkaIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final DatabaseExtension DB = new DatabaseExtension();


    @Test
    void committedEventsFromKafkaAreMeteredAndBadOnesDeadLettered() throws Exception {
        String topic = KAFKA.get().newUsageTopics("metered");
        UUID org = UUID.randomUUID();
        UUID project = UUID.randomUUID();
        TestEvents first = event(project, org).value("0.1").at("2026-03-01T10:00:00Z").key("k-1");
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer()) {
            producer.initTransactions();
            producer.beginTransaction();
            send(producer, topic, project, event(project, org).value("1000").at("2026-03-01T09:00:00Z").bytes());
            producer.abortTransaction();

            producer.beginTransaction();
            send(producer, topic, project, first.bytes());
            send(producer, topic, project, first.retry().bytes());
            send(producer, topic, project, event(project, org).value("0.2").at("2026-03-02T10:00:00Z").bytes());
            send(producer, topic, project, "{\"broken\":".getBytes(StandardCharsets.UTF_8));
            // written past the gateway: the broker stamps the record now, so this receivedAt is forged
            send(producer, topic, project, event(project, org).value("5").at("2099-01-01T00:00:00Z")
                    .receivedAt("2099-01-01T00:00:00Z").bytes());
            producer.commitTransaction();
        }

        JobConfig config = config(topic, "--checkpoint.interval.ms", "500", "--refresh.interval.ms", "200",
                "--sink.batch.interval.ms", "200", "--parallelism", "2");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        UsageAggregationJob.build(env, config);
        JobClient job = env.executeAsync(UsageAggregationJob.JOB_NAME);
        try {
            assertThat(awaitAggregate(project, "2026-03", Duration.ofSeconds(60)))
                    .as("aborted event and idempotent retry not counted")
                    .isEqualByComparingTo("0.3");
            List<JsonNode> letters = awaitDeadLetters(topic + "-dlq", 2, Duration.ofSeconds(30));
            assertThat(letters).extracting(l -> l.get("reason").asText()).anySatisfy(r -> assertThat(r).startsWith("not JSON"))
                    .contains("receivedAt is more than 5 minutes after the Kafka record's timestamp");
            JsonNode letter = letters.stream().filter(l -> l.get("reason").asText().startsWith("not JSON")).findFirst().orElseThrow();
            assertThat(letter.get("payload").asText()).isEqualTo("{\"broken\":");
            assertThat(letter.get("key").asText()).isEqualTo(project.toString());
            assertThat(letter.get("topic").asText()).isEqualTo(topic);
            assertThat(letter.has("offset")).isTrue();
        } finally {
            job.cancel().get();
        }
    }

    /**
     * March 2026 is far past, so its events reach the totals one by one; events of the current
     * month are combined before the shuffle (PeriodUsageCombiner), and must survive the crash too.
     */
    @ParameterizedTest(name = "current month: {0}")
    @ValueSource(booleans = {false, true})
    void aCrashAfterACheckpointNeitherLosesNorDoublesAnEvent(boolean currentMonth) throws Exception {
        String topic = KAFKA.get().newUsageTopics("crash");
        UUID org = UUID.randomUUID();
        UUID project = UUID.randomUUID();
        Instant now = Instant.now();
        // a minute ago, but never before the month began; 80 events 100 ms apart stay within the gateway's 5 minutes ahead
        Instant first = Collections.max(List.of(now.minusSeconds(60),
                YearMonth.from(now.atZone(ZoneOffset.UTC)).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
        String period = currentMonth ? YearMonth.from(first.atZone(ZoneOffset.UTC)).toString() : "2026-03";
        List<TestEvents> before = currentMonth ? recentEvents(project, org, "before", 40, first) : events(project, org, "before", 40);
        List<TestEvents> after = currentMonth
                ? recentEvents(project, org, "after", 40, first.plusSeconds(4)) : events(project, org, "after", 40);
        produce(topic, project, before);

        JobConfig config = config(topic, "--checkpoint.interval.ms", "300", "--refresh.interval.ms", "100",
                "--sink.batch.interval.ms", "100", "--parallelism", "2");
        FailOnceSink<UsageTotal> aggregates = new FailOnceSink<>(JobSinks.of(config).aggregates());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        UsageAggregationJob.configure(env, config);
        UsageAggregationJob.attach(UsageAggregationJob.source(env, config), config,
                JobSinks.of(config).withAggregates(aggregates));
        JobClient job = env.executeAsync("usage-aggregation-crash-it");
        try {
            awaitCount(project, period, 40, Duration.ofSeconds(60));
            Thread.sleep(1000); // let a checkpoint complete with the first half in state
            aggregates.arm();
            List<TestEvents> retries = before.subList(0, 10).stream().map(TestEvents::retry).toList();
            produce(topic, project, after);
            produce(topic, project, retries);

            awaitCount(project, period, 80, Duration.ofSeconds(60));
            Thread.sleep(1500); // a double count would surface here
            assertThat(aggregates.failures()).as("the job really failed and restarted").isEqualTo(1);
            assertThat(DB.get().rows("SELECT sum_value, event_count FROM usage_aggregates WHERE project_id = '" + project + "'"))
                    .containsExactly("0.8 80");
            assertThat(DB.get().rows("SELECT sum(sum_value), sum(event_count) FROM usage_daily WHERE project_id = '" + project + "'"))
                    .containsExactly("0.8 80");
        } finally {
            job.cancel().get();
        }
    }

    /** March 2026 is long over on the wall clock: a quiet period longer than any test keeps it open. */
    private static JobConfig config(String topic, String... extra) {
        List<String> args = KafkaJobArgs.of(KAFKA.get(), topic, DB.get());
        args.addAll(List.of("--finalise.quiet.ms", "600000"));
        args.addAll(List.of(extra));
        return JobConfig.fromArgs(args.toArray(String[]::new));
    }

    private static List<TestEvents> events(UUID project, UUID org, String prefix, int n) {
        List<TestEvents> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(event(project, org).value("0.01").key(prefix + "-" + i)
                    .at(String.format("2026-03-%02dT%02d:00:00Z", 1 + i % 28, i % 24)));
        }
        return out;
    }

    private static List<TestEvents> recentEvents(UUID project, UUID org, String prefix, int n, Instant first) {
        List<TestEvents> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(event(project, org).value("0.01").key(prefix + "-" + i).at(first.plusMillis(100L * i).toString()));
        }
        return out;
    }

    private static void produce(String topic, UUID project, List<TestEvents> events) {
        KAFKA.get().produceInTransaction(topic, project.toString(), events.stream().map(TestEvents::bytes).toList());
    }

    private static void awaitCount(UUID project, String period, long count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String sql = "SELECT event_count FROM usage_aggregates WHERE project_id = '" + project + "' AND period = '" + period + "'";
        while (System.nanoTime() < deadline) {
            List<String> r = DB.get().rows(sql);
            if (!r.isEmpty() && Long.parseLong(r.get(0)) >= count) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(period + " of " + project + " did not reach " + count + " events: " + DB.get().rows(sql));
    }

    private static KafkaProducer<byte[], byte[]> transactionalProducer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.get().bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-gateway-" + UUID.randomUUID(),
                ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Polls usage_aggregates until the row has two events, the expected final state here. */
    private static BigDecimal awaitAggregate(UUID project, String period, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = DB.get().connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT sum_value, event_count FROM usage_aggregates WHERE project_id = '" + project
                            + "' AND period = '" + period + "'")) {
                if (rs.next() && rs.getLong("event_count") >= 2) {
                    // give a wrongly counted third event the chance to show up before asserting
                    Thread.sleep(1000);
                    return currentSum(project, period);
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no total for " + project + " " + period + " within " + timeout);
    }

    private static BigDecimal currentSum(UUID project, String period) throws Exception {
        try (Connection c = DB.get().connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT sum_value FROM usage_aggregates WHERE project_id = '" + project + "' AND period = '" + period + "'")) {
            rs.next();
            return rs.getBigDecimal(1);
        }
    }

    private static List<JsonNode> awaitDeadLetters(String dlqTopic, int count, Duration timeout) throws Exception {
        List<JsonNode> letters = UsageTopic.deadLetters(KAFKA.get(), dlqTopic, count, timeout);
        assertThat(letters).as("dead letters").hasSize(count);
        return letters;
    }
}
