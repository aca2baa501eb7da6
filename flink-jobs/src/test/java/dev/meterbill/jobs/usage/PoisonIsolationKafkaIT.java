package dev.meterbill.jobs.usage;

import static dev.meterbill.jobs.testutils.TestEvents.event;
import static dev.meterbill.jobs.testutils.UsageTopic.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.events.UsageTopics;
import dev.meterbill.jobs.testutils.KafkaJobArgs;
import dev.meterbill.jobs.testutils.TestEvents;
import dev.meterbill.jobs.testutils.UsageTopic;
import dev.meterbill.testkit.DatabaseExtension;
import dev.meterbill.testkit.FlinkMiniCluster;
import dev.meterbill.testkit.KafkaExtension;
import dev.meterbill.testkit.TestDatabase;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One tenant's data never stops metering for the others: the deployed job (real Kafka source and
 * DLQ, JDBC sinks into PostgreSQL, checkpoints) with restarts disabled, so that any failure would
 * leave it FAILED, reads normal traffic of three projects interleaved with one project's poison:
 * text PostgreSQL cannot store (refused to the DLQ with reasons), a month of sums past the old
 * NUMERIC(38,12) bound (stored exactly in the widened column), and a project whose rows the
 * database refuses (a constraint planted for it: isolated and recorded, every other row written).
 */
class PoisonIsolationKafkaIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final DatabaseExtension DB = new DatabaseExtension();

    /** The largest value one event may carry: just below 10^20. */
    private static final String LARGEST = "99999999999999999999.999999999999";
    /** 10^26 / LARGEST rounded up: the sum of this many events is past NUMERIC(38,12). */
    private static final int HUGE_EVENTS = 1_000_001;

    @Test
    void poisonOfOneProjectIsDeadLetteredOrIsolatedWhileEveryOtherProjectIsMeteredExactly() throws Exception {
        TestDatabase db = DB.get();
        String topic = KAFKA.get().newUsageTopics("poison");
        UUID org = UUID.randomUUID();
        List<UUID> healthy = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        UUID poisoner = UUID.randomUUID();
        UUID refused = UUID.randomUUID();
        for (String table : List.of("usage_aggregates", "usage_daily")) {
            db.update("ALTER TABLE " + table + " ADD CONSTRAINT planted_refusal CHECK (project_id <> '" + refused + "')");
        }

        List<TestEvents> poison = List.of(
                event(poisoner, org).unit("c\u0000").at("2026-03-02T00:00:00Z"),
                event(poisoner, org).unit("c\ud800").at("2026-03-02T00:00:01Z"),
                event(poisoner, org).metadata(Map.of("model", "large\u0000")).at("2026-03-02T00:00:02Z"),
                event(poisoner, org).metadata(Map.of("user", "\udfff")).at("2026-03-02T00:00:03Z"));
        long started = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < 300; i++) {
                UUID project = healthy.get(i % 3);
                send(producer, topic, project, event(project, org).value("0.25").key("k-" + i)
                        .at(String.format("2026-03-%02dT%02d:00:00Z", 1 + i % 28, i % 24)).bytes());
                if (i % 75 == 0) {
                    send(producer, topic, poisoner, poison.get(i / 75).bytes());
                }
                if (i % 30 == 0) {
                    send(producer, topic, refused, event(refused, org).value("7").at("2026-03-03T00:00:00Z").bytes());
                }
            }
            // The poisoner's month: a legal event each, a sum the old column could not hold. Events
            // without an idempotency key are never merged, so a few envelopes sent again and again
            // (as a producer without keys would) count once per send, and spare the test encoding.
            List<byte[]> days = new ArrayList<>();
            for (int day = 1; day <= 28; day++) {
                days.add(event(poisoner, org).value(LARGEST).at(String.format("2026-03-%02dT12:00:00Z", day)).bytes());
            }
            for (int i = 0; i < HUGE_EVENTS; i++) {
                send(producer, topic, poisoner, days.get(i % days.size()));
            }
            producer.flush();
        }
        System.out.printf("produced %,d envelopes in %,d ms%n", HUGE_EVENTS + 300 + 4 + 10,
                (System.nanoTime() - started) / 1_000_000);

        List<String> args = KafkaJobArgs.of(KAFKA.get(), topic, db);
        args.addAll(List.of("--checkpoint.interval.ms", "1000", "--refresh.interval.ms", "500",
                "--sink.batch.interval.ms", "200", "--finalise.quiet.ms", "600000", "--parallelism", "2"));
        JobConfig config = JobConfig.fromArgs(args.toArray(String[]::new));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration noRestarts = new Configuration();
        noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "disable");
        env.configure(noRestarts);
        UsageAggregationJob.build(env, config);
        JobClient job = env.executeAsync("poison-isolation-it");
        try {
            BigDecimal huge = new BigDecimal(LARGEST).multiply(BigDecimal.valueOf(HUGE_EVENTS));
            db.awaitRows("SELECT sum_value, event_count FROM usage_aggregates WHERE project_id = '" + poisoner + "'",
                    List.of(huge.stripTrailingZeros().toPlainString() + " " + HUGE_EVENTS), Duration.ofSeconds(180));
            System.out.printf("the poisoner's month was exact %,d ms after the start%n",
                    (System.nanoTime() - started) / 1_000_000);
            for (UUID project : healthy) {
                db.awaitRows("SELECT sum_value, event_count FROM usage_aggregates WHERE project_id = '" + project + "'",
                        List.of("25 100"), Duration.ofSeconds(30));
                assertThat(db.rows("SELECT sum(sum_value), sum(event_count) FROM usage_daily WHERE project_id = '"
                        + project + "'")).containsExactly("25 100");
            }
            assertThat(db.rows("SELECT count(*) FROM usage_aggregates WHERE project_id = '" + refused + "'"))
                    .containsExactly("0");
            assertThat(db.rows("SELECT DISTINCT sink, organisation_id, project_id, sql_state FROM usage_refused_rows"
                    + " ORDER BY sink")).containsExactly(
                    "usage_aggregates " + org + " " + refused + " 23514",
                    "usage_daily " + org + " " + refused + " 23514");

            List<String> reasons = deadLetterReasons(UsageTopics.deadLettersOf(topic), poison.size());
            assertThat(reasons).containsExactlyInAnyOrder(
                    "unit must not contain NUL characters or unpaired UTF-16 surrogates",
                    "unit must not contain NUL characters or unpaired UTF-16 surrogates",
                    "metadata.model must not contain NUL characters or unpaired UTF-16 surrogates",
                    "metadata.user must not contain NUL characters or unpaired UTF-16 surrogates");
            assertThat(job.getJobStatus().get()).as("restarts are disabled: any failure would end the job")
                    .isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get();
        }
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.get().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static List<String> deadLetterReasons(String dlqTopic, int count) throws Exception {
        return UsageTopic.deadLetters(KAFKA.get(), dlqTopic, count, Duration.ofSeconds(30)).stream()
                .map(letter -> letter.get("reason").asText()).toList();
    }
}
