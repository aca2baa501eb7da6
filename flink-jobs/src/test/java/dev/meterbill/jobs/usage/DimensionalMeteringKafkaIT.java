package dev.meterbill.jobs.usage;

import static dev.meterbill.jobs.testutils.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.events.UsageTopics;
import dev.meterbill.jobs.testutils.KafkaJobArgs;
import dev.meterbill.jobs.testutils.TestEvents;
import dev.meterbill.testkit.DatabaseExtension;
import dev.meterbill.testkit.FlinkMiniCluster;
import dev.meterbill.testkit.KafkaExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Metric definitions read by the deployed job ({@link UsageAggregationJob#build}) from the compacted topic billing-api
 * publishes to: tokens grouped by model and region, with duplicates, totalled exactly once beside the plain metric; a
 * definition published while the job runs meters the events that come after it, without a restart.
 */
class DimensionalMeteringKafkaIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final DatabaseExtension DB = new DatabaseExtension();

    private static final String BY_MODEL_AND_REGION = """
            {"key":"llm_tokens","versions":[{"version":1,"eventMetric":"tokens","aggregation":"sum","filters":[],
             "groupBy":["model","region"],"effectiveFrom":"2026-01-01T00:00:00Z"}]}""";
    private static final String LARGE_ONLY = """
            {"key":"large_tokens","versions":[{"version":1,"eventMetric":"tokens","aggregation":"sum",
             "filters":[{"property":"model","op":"equals","value":"large"}],"groupBy":[],"effectiveFrom":"2026-01-01T00:00:00Z"}]}""";

    @Test
    void tokensAreTotalledPerModelAndRegionOnceAndALaterDefinitionPicksUpLaterEvents() throws Exception {
        ensureDefinitionsTopic();
        publish(BY_MODEL_AND_REGION);
        String topic = KAFKA.get().newUsageTopics("dimensions");
        UUID org = UUID.randomUUID();
        UUID project = UUID.randomUUID();
        // 3 models x 2 regions; event i carries i tokens; every third event is sent twice (a producer's retry)
        List<TestEvents> events = new ArrayList<>();
        String[] models = {"large", "medium", "small"};
        String[] regions = {"in", "us"};
        for (int i = 1; i <= 60; i++) {
            TestEvents e = event(project, org).metric("tokens").value(String.valueOf(i)).key("t-" + i)
                    .at(String.format("2026-03-%02dT10:00:00Z", 1 + i % 28))
                    .metadata(Map.of("model", models[i % 3], "region", regions[i % 2]));
            events.add(e);
            if (i % 3 == 0) {
                events.add(e.retry());
            }
        }
        produce(topic, project, events);

        JobClient job = start(topic);
        try {
            // hand-computed: i from 1 to 60, model = i % 3 (0 large, 1 medium, 2 small), region = i % 2 (0 in, 1 us);
            // i % 6 fixes both: large/in i%6=0 -> 6+12+..+60 = 330; medium/us 1 -> 1+7+..+55 = 280; small/in 2 -> 290;
            // large/us 3 -> 300; medium/in 4 -> 310; small/us 5 -> 320; ten events each
            List<String> expected = List.of("llm_tokens{model=large,region=in} 330 10", "llm_tokens{model=large,region=us} 300 10",
                    "llm_tokens{model=medium,region=in} 310 10", "llm_tokens{model=medium,region=us} 280 10",
                    "llm_tokens{model=small,region=in} 290 10", "llm_tokens{model=small,region=us} 320 10", "tokens 1830 60");
            awaitRows(project, "llm_tokens%", expected, Duration.ofSeconds(90));
            // the hours of the billing timezone add up to the same totals
            assertThat(DB.get().rows("SELECT metric_name, sum(sum_value), sum(event_count) FROM usage_hourly WHERE project_id = '"
                    + project + "' AND (metric_name LIKE 'llm_tokens%' OR metric_name = 'tokens') GROUP BY metric_name"
                    + " ORDER BY metric_name")).isEqualTo(expected);

            publish(LARGE_ONLY);
            Thread.sleep(3000); // the definition reaches the job; the events after it are metered by it too
            List<TestEvents> later = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                later.add(event(project, org).metric("tokens").value("100").key("later-" + i).at("2026-03-20T10:00:00Z")
                        .metadata(Map.of("model", i % 2 == 0 ? "large" : "small", "region", "in")));
            }
            produce(topic, project, later);
            awaitRows(project, "large_tokens%", List.of("large_tokens{} 200 2"), Duration.ofSeconds(60));
            awaitRows(project, "tokens", List.of("tokens 2230 64"), Duration.ofSeconds(30));
        } finally {
            job.cancel().get();
        }
    }

    /** 100,000 events of 20,000 users (each user five times, one of them a producer's retry), per region and overall. */
    @Test
    void aUniqueCountIsExact() throws Exception {
        ensureDefinitionsTopic();
        publish("""
                {"key":"monthly_active_users","versions":[{"version":1,"eventMetric":"api_requests","aggregation":"unique_count",
                 "uniqueProperty":"user_id","filters":[],"groupBy":[],"effectiveFrom":"2026-01-01T00:00:00Z"}]}""");
        publish("""
                {"key":"users_by_region","versions":[{"version":1,"eventMetric":"api_requests","aggregation":"unique_count",
                 "uniqueProperty":"user_id","filters":[],"groupBy":["region"],"effectiveFrom":"2026-01-01T00:00:00Z"}]}""");
        String topic = KAFKA.get().newUsageTopics("unique");
        UUID org = UUID.randomUUID();
        UUID project = UUID.randomUUID();
        List<TestEvents> events = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            int user = i % 20_000;
            TestEvents e = event(project, org).metric("api_requests").value("1").key("r-" + (i % 80_000))
                    .at(String.format("2026-03-%02dT%02d:00:00Z", 1 + i % 28, i % 24))
                    .metadata(Map.of("user_id", "user-" + user, "region", user < 5_000 ? "in" : "us"));
            events.add(e);
        }
        for (int from = 0; from < events.size(); from += 10_000) {
            produce(topic, project, events.subList(from, from + 10_000));
        }
        JobClient job = start(topic);
        try {
            // keys repeat after 80,000: 20,000 of the events are retries, so api_requests counts 80,000
            awaitRows(project, "%users%", List.of("monthly_active_users{} 20000 20000", "users_by_region{region=in} 5000 5000",
                    "users_by_region{region=us} 15000 15000"), Duration.ofSeconds(180));
            awaitRows(project, "api_requests", List.of("api_requests 80000 80000"), Duration.ofSeconds(30));
        } finally {
            job.cancel().get();
        }
    }

    /**
     * A quiet stream: the events' input goes idle while a definition is known. The definitions side must not become
     * the operator's event time then (it once emitted the end of time, which closed the running period and failed
     * the job on the next event of it).
     */
    @Test
    void aQuietStreamKeepsTheRunningPeriodOpen() throws Exception {
        ensureDefinitionsTopic();
        publish(BY_MODEL_AND_REGION.replace("llm_tokens", "quiet_tokens"));
        String topic = KAFKA.get().newUsageTopics("quiet");
        UUID org = UUID.randomUUID();
        UUID project = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant minuteAgo = now.minus(Duration.ofMinutes(1));
        String at = (YearMonth.from(minuteAgo.atZone(ZoneOffset.UTC)).equals(YearMonth.from(now.atZone(ZoneOffset.UTC)))
                ? minuteAgo : now).toString();
        String period = at.substring(0, 7);
        JobClient job = start(topic, "--idleness.ms", "1000", "--finalise.quiet.ms", "2000");
        try {
            // probes until one is metered: the job has read the definition (a definition meters the events after it)
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            for (int probe = 0; DB.get().rows("SELECT 1 FROM usage_aggregates WHERE project_id = '" + project
                    + "' AND metric_name LIKE 'quiet_tokens%region=probe}'").isEmpty(); probe++) {
                assertThat(System.nanoTime()).as("a probe metered within 90 s").isLessThan(deadline);
                produce(topic, project, List.of(event(project, org).metric("tokens").value("1").key("probe-" + probe).at(at)
                        .metadata(Map.of("model", "large", "region", "probe"))));
                Thread.sleep(500);
            }
            produce(topic, project, List.of(event(project, org).metric("tokens").value("5").key("q-1").at(at)
                    .metadata(Map.of("model", "large", "region", "in"))));
            awaitRows(project, period, "quiet_tokens%region=in}", List.of("quiet_tokens{model=large,region=in} 5 1"),
                    Duration.ofSeconds(60));
            Thread.sleep(4000); // idle for longer than --idleness.ms and --finalise.quiet.ms
            // a group (a key of the totals) not seen before: with the end of time as its watermark it was closed
            produce(topic, project, List.of(event(project, org).metric("tokens").value("7").key("q-2").at(at)
                    .metadata(Map.of("model", "small", "region", "in"))));
            awaitRows(project, period, "quiet_tokens%region=in}", List.of("quiet_tokens{model=large,region=in} 5 1",
                    "quiet_tokens{model=small,region=in} 7 1"), Duration.ofSeconds(60));
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get();
        }
    }

    private static JobClient start(String topic, String... extra) throws Exception {
        List<String> args = KafkaJobArgs.of(KAFKA.get(), topic, DB.get());
        args.addAll(List.of("--finalise.quiet.ms", "600000", "--checkpoint.interval.ms", "500", "--refresh.interval.ms", "200",
                "--sink.batch.interval.ms", "200", "--parallelism", "2"));
        args.addAll(List.of(extra));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        UsageAggregationJob.build(env, JobConfig.fromArgs(args.toArray(String[]::new)));
        return env.executeAsync("dimensional-metering-it");
    }

    private static void ensureDefinitionsTopic() throws Exception {
        if (!KAFKA.get().admin().listTopics().names().get().contains(UsageTopics.METRIC_DEFINITIONS)) {
            KAFKA.get().admin().createTopics(List.of(new NewTopic(UsageTopics.METRIC_DEFINITIONS, 1, (short) 1)
                    .configs(UsageTopics.METRIC_DEFINITIONS_CONFIG))).all().get();
        }
    }

    private static void publish(String definition) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.get().bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            String key = definition.substring(definition.indexOf("\"key\":\"") + 7, definition.indexOf("\",\"versions\""));
            producer.send(new ProducerRecord<>(UsageTopics.METRIC_DEFINITIONS, key, definition));
        }
    }

    private static void produce(String topic, UUID project, List<TestEvents> events) {
        KAFKA.get().produceInTransaction(topic, project.toString(), events.stream().map(TestEvents::bytes).toList());
    }

    /** Waits until the rows of metrics LIKE {@code pattern} (and the plain metric when asked) are exactly these. */
    private static void awaitRows(UUID project, String pattern, List<String> expected, Duration timeout) throws Exception {
        awaitRows(project, "2026-03", pattern, expected, timeout);
    }

    private static void awaitRows(UUID project, String period, String pattern, List<String> expected, Duration timeout)
            throws Exception {
        String sql = "SELECT metric_name, sum_value, event_count FROM usage_aggregates WHERE project_id = '" + project
                + "' AND period = '" + period + "' AND (metric_name LIKE '" + pattern + "'"
                + (expected.stream().anyMatch(r -> r.startsWith("tokens ")) ? " OR metric_name = 'tokens'" : "")
                + ") ORDER BY metric_name";
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> rows = List.of();
        while (System.nanoTime() < deadline) {
            rows = DB.get().rows(sql);
            if (rows.equals(expected)) {
                Thread.sleep(1000); // a double count would show now
                assertThat(DB.get().rows(sql)).isEqualTo(expected);
                return;
            }
            Thread.sleep(200);
        }
        assertThat(rows).as("usage_aggregates of " + project).isEqualTo(expected);
    }
}
