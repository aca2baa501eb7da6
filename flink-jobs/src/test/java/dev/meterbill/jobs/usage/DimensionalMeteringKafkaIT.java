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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
        KAFKA.get().admin().createTopics(List.of(new NewTopic(UsageTopics.METRIC_DEFINITIONS, 1, (short) 1)
                .configs(UsageTopics.METRIC_DEFINITIONS_CONFIG))).all().get();
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

        List<String> args = KafkaJobArgs.of(KAFKA.get(), topic, DB.get());
        args.addAll(List.of("--finalise.quiet.ms", "600000", "--checkpoint.interval.ms", "500", "--refresh.interval.ms", "200",
                "--sink.batch.interval.ms", "200", "--parallelism", "2"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        UsageAggregationJob.build(env, JobConfig.fromArgs(args.toArray(String[]::new)));
        JobClient job = env.executeAsync("dimensional-metering-it");
        try {
            // hand-computed: i from 1 to 60, model = i % 3 (0 large, 1 medium, 2 small), region = i % 2 (0 in, 1 us);
            // i % 6 fixes both: large/in i%6=0 -> 6+12+..+60 = 330; medium/us 1 -> 1+7+..+55 = 280; small/in 2 -> 290;
            // large/us 3 -> 300; medium/in 4 -> 310; small/us 5 -> 320; ten events each
            List<String> expected = List.of("llm_tokens{model=large,region=in} 330 10", "llm_tokens{model=large,region=us} 300 10",
                    "llm_tokens{model=medium,region=in} 310 10", "llm_tokens{model=medium,region=us} 280 10",
                    "llm_tokens{model=small,region=in} 290 10", "llm_tokens{model=small,region=us} 320 10", "tokens 1830 60");
            awaitRows(project, "llm_tokens%", expected, Duration.ofSeconds(90));

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

    private static void publish(String definition) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.get().bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(UsageTopics.METRIC_DEFINITIONS, definition.substring(8, 20), definition));
        }
    }

    private static void produce(String topic, UUID project, List<TestEvents> events) {
        KAFKA.get().produceInTransaction(topic, project.toString(), events.stream().map(TestEvents::bytes).toList());
    }

    /** Waits until the rows of metrics LIKE {@code pattern} (and the plain metric when asked) are exactly these. */
    private static void awaitRows(UUID project, String pattern, List<String> expected, Duration timeout) throws Exception {
        String sql = "SELECT metric_name, sum_value, event_count FROM usage_aggregates WHERE project_id = '" + project
                + "' AND period = '2026-03' AND (metric_name LIKE '" + pattern + "'"
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
