package dev.meterbill.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.archive.format.EventArchive;
import dev.meterbill.archive.format.RerateSchema;
import dev.meterbill.events.UsageEvent;
import dev.meterbill.events.UsageEventCodec;
import dev.meterbill.jobs.usage.JobConfig;
import dev.meterbill.jobs.usage.JobSinks;
import dev.meterbill.jobs.usage.UsageAggregationJob;
import dev.meterbill.testkit.DatabaseExtension;
import dev.meterbill.testkit.KafkaBroker;
import dev.meterbill.testkit.TestDatabase;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 18, re-rating: the same 200,000 envelopes (a tenth of them producer retries, a tenth without a key, and a last
 * stretch of October events sent once November's had made October final) go through the live pipeline (streaming,
 * checkpointed, as in production) and the archive job; then {@link RerateJob} recomputes each organisation's October and November from
 * the archive in batch mode, into schemas of their own. For every project and metric, the batch totals equal the live
 * totals plus the period's late events (which the live job keeps apart, billed as adjustments): sum, count, min, max.
 */
class RerateEqualsStreamIT {

    @RegisterExtension
    static final DatabaseExtension DB = new DatabaseExtension();

    private static final String TOPIC = "rerate-it-usage";
    private static final int EVENTS = 200_000;
    private static final int LATE_FROM = 180_000;
    private static final String[][] ORGS = {{"0000000a-0000-0000-0000-000000000000", "UTC"},
        {"0000000b-0000-0000-0000-000000000000", "Asia/Kolkata"}};
    private static final String[] METRICS = {"api_calls", "tokens"};

    @Test
    void batchTotalsFromTheArchiveAreTheLiveTotalsPlusTheLateEvents(@TempDir Path archiveDir) throws Exception {
        TestDatabase db = DB.get();
        Set<String> distinct = new HashSet<>();
        try (KafkaBroker kafka = KafkaBroker.start(); Load load = new Load(kafka.bootstrapServers(), distinct)) {
            kafka.createTopics(2, TOPIC, TOPIC + "-dlq");
            load.send(0, LATE_FROM);
            // a minute of grace: October closes as soon as November's events arrive
            JobConfig config = JobConfig.fromArgs(new String[] {"--kafka.bootstrap", kafka.bootstrapServers(), "--topic", TOPIC,
                "--dlq.topic", TOPIC + "-dlq", "--checkpoint.interval.ms", "500", "--parallelism", "2", "--grace.ms", "60000",
                "--out.of.orderness.ms", "1000", "--idleness.ms", "500", "--finalise.quiet.ms", "1000"})
                    .withJdbc(db.url(), TestDatabase.USER, TestDatabase.PASSWORD);

            // the live job runs as in production (unbounded, checkpointed); the late stretch is sent once October is final
            StreamExecutionEnvironment live = environment();
            UsageAggregationJob.configure(live, config);
            UsageAggregationJob.attach(UsageAggregationJob.source(live, config,
                            UsageAggregationJob.kafkaSourceBuilder(config).setGroupId("rerate-it-live").build()), config,
                    JobSinks.of(config).withDeadLetters(new DiscardingSink<>()));
            JobClient job = live.executeAsync("rerate-it live totals");
            try {
                await("October final", () -> db.queryValue(Boolean.class, "SELECT coalesce(bool_and(is_final), false) FROM"
                        + " usage_aggregates WHERE period = '2026-10'"));
                load.send(LATE_FROM, EVENTS);
                await("every event counted or kept as late", () -> db.queryValue(Long.class, "SELECT ((SELECT coalesce(sum("
                        + "event_count), 0) FROM usage_aggregates) + (SELECT count(*) FROM late_usage_events))::bigint")
                        == distinct.size());
            } finally {
                job.cancel().get();
            }

            StreamExecutionEnvironment archive = environment();
            UsageAggregationJob.configure(archive, config);
            EventArchiveJob.attach(UsageAggregationJob.source(archive, config, bounded(config, "rerate-it-archive")), config,
                    archiveDir.toUri().toString());
            archive.execute("rerate-it archive");
        }
        long late = db.queryValue(Long.class, "SELECT count(*) FROM late_usage_events");
        assertThat(late).as("late events").isPositive();

        long recomputed = 0;
        for (String[] org : ORGS) {
            for (YearMonth period : List.of(YearMonth.of(2026, 10), YearMonth.of(2026, 11))) {
                String schema = "rerate_it_" + org[0].charAt(7) + "_" + period.toString().replace('-', '_');
                try (Connection c = db.connect()) {
                    RerateSchema.create(c, schema);
                }
                JobConfig batchConfig = JobConfig.fromArgs(new String[] {"--parallelism", "2"})
                        .withJdbc(RerateSchema.jdbcUrl(db.url(), schema), TestDatabase.USER, TestDatabase.PASSWORD);
                StreamExecutionEnvironment batch = environment();
                assertThat(RerateJob.build(batch, new EventArchive(archiveDir), org[0], period, batchConfig, null)).isPositive();
                batch.execute("rerate-it " + org[0] + " " + period);

                List<String> live = db.rows("""
                        SELECT project_id, metric_name, trim_scale(sum(s)), sum(c), trim_scale(min(lo)), trim_scale(max(hi)) FROM (
                          SELECT project_id, metric_name, sum_value s, event_count c, min_value lo, max_value hi
                            FROM public.usage_aggregates WHERE organisation_id = '%1$s' AND period = '%2$s'
                          UNION ALL
                          SELECT project_id, metric_name, metric_value, 1, metric_value, metric_value
                            FROM public.late_usage_events WHERE organisation_id = '%1$s' AND period = '%2$s') t
                        GROUP BY 1, 2 ORDER BY 1, 2""".formatted(org[0], period));
                List<String> rerated = db.rows("""
                        SELECT project_id, metric_name, trim_scale(sum_value), event_count, trim_scale(min_value),
                               trim_scale(max_value)
                          FROM %s.usage_aggregates WHERE organisation_id = '%s' AND period = '%s' ORDER BY 1, 2"""
                        .formatted(schema, org[0], period));
                assertThat(rerated).as(org[0] + " " + period).isNotEmpty().containsExactlyElementsOf(live);
                recomputed += db.queryValue(Long.class, "SELECT coalesce(sum(event_count), 0)::bigint FROM " + schema
                        + ".usage_aggregates");
            }
        }
        assertThat(recomputed).as("every distinct event, once").isEqualTo(distinct.size());
        LoggerFactory.getLogger(RerateEqualsStreamIT.class).info("{} envelopes, {} distinct events, {} late: batch totals from the "
                + "archive equal the live totals plus the late events", EVENTS, distinct.size(), late);
    }

    /**
     * Envelopes {@code i} of 200,000: 80,000 October events, 100,000 of November's first two days, then 20,000 more
     * October events ({@link #LATE_FROM} on: late once October is final); every tenth envelope a retry of an earlier
     * keyed one, every tenth a new event without a key.
     */
    private static final class Load implements AutoCloseable {
        private final Random random = new Random(18);
        private final List<UsageEvent> keyed = new ArrayList<>();
        private final Set<String> distinct;
        private final KafkaProducer<String, byte[]> producer;

        Load(String bootstrap, Set<String> distinct) {
            this.distinct = distinct;
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        }

        void send(int from, int to) {
            Instant october = Instant.parse("2026-10-01T06:00:00Z");
            Instant november = Instant.parse("2026-11-01T06:00:00Z");
            for (int i = from; i < to; i++) {
                UsageEvent e;
                if (i % 10 == 5 && !keyed.isEmpty()) {
                    UsageEvent original = keyed.get(random.nextInt(keyed.size()));
                    e = new UsageEvent(UUID.randomUUID(), original.projectId(), original.organisationId(), original.metricName(),
                            original.metricValue(), original.unit(), original.timestamp(), original.receivedAt().plusSeconds(1),
                            original.billingTimezone(), original.metadata(), original.idempotencyKey());
                } else {
                    String[] org = ORGS[random.nextInt(ORGS.length)];
                    int project = random.nextInt(2);
                    String metric = METRICS[random.nextInt(METRICS.length)];
                    boolean late = i >= LATE_FROM;
                    Instant ts = i < 80_000 || late
                            ? october.plusSeconds(random.nextInt(30 * 24 * 3600))
                            : november.plusSeconds(random.nextInt(2 * 24 * 3600));
                    BigDecimal value = metric.equals("api_calls") ? BigDecimal.ONE
                            : BigDecimal.valueOf(random.nextInt(1_000_000_000), 6);
                    String key = i % 10 == 7 ? null : "k-" + i;
                    e = new UsageEvent(UUID.randomUUID(), UUID.fromString(org[0].substring(0, 35) + project),
                            UUID.fromString(org[0]), metric, value, metric.equals("api_calls") ? "count" : "tokens", ts,
                            ts.plusSeconds(late ? 30L * 24 * 3600 : 5), org[1], Map.of("model", "m" + (i % 3)), key);
                    distinct.add(e.eventId().toString());
                    if (key != null) {
                        keyed.add(e);
                    }
                }
                producer.send(new ProducerRecord<>(TOPIC, e.projectId().toString(), UsageEventCodec.encode(e)));
            }
            producer.flush();
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!condition.call()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    private static org.apache.flink.connector.kafka.source.KafkaSource<dev.meterbill.jobs.usage.parse.ParsedEnvelope> bounded(
            JobConfig config, String group) {
        return UsageAggregationJob.kafkaSourceBuilder(config).setGroupId(group).setBounded(OffsetsInitializer.latest()).build();
    }

    private static StreamExecutionEnvironment environment() {
        Configuration flink = new Configuration();
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return StreamExecutionEnvironment.getExecutionEnvironment(flink);
    }
}
