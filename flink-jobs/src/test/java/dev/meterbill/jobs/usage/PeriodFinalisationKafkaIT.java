package dev.meterbill.jobs.usage;

import static dev.meterbill.jobs.testutils.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.jobs.testutils.KafkaJobArgs;
import dev.meterbill.jobs.testutils.TestEvents;
import dev.meterbill.testkit.DatabaseExtension;
import dev.meterbill.testkit.FlinkMiniCluster;
import dev.meterbill.testkit.KafkaExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finalisation as deployed ({@link UsageAggregationJob#build}: Kafka source with per-partition
 * watermarks, checkpoints, JDBC sinks): a month closes by event time or, when the stream falls
 * quiet after its end plus grace on the wall clock, by processing time; its rows become final
 * once, and a later event of that month lands in late_usage_events instead of the final row.
 */
class PeriodFinalisationKafkaIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final DatabaseExtension DB = new DatabaseExtension();

    @TempDir
    Path checkpoints;

    private final UUID org = UUID.randomUUID();
    private final UUID project = UUID.randomUUID();

    @Test
    void aMonthClosedByTheWatermarkIsWrittenFinalOnceAndALaterEventIsRecordedAsLate() throws Exception {
        String topic = KAFKA.get().newUsageTopics("watermark");
        produce(topic, List.of(
                at("1.5", "2026-04-03T10:00:00Z"),
                at("2.5", "2026-04-30T23:00:00Z"),
                // Event time passes April's end plus the default grace of one hour (and 5 s of disorder).
                at("7", "2026-05-01T02:00:00Z")));

        // A quiet period longer than the test: only the watermark can close April here. RocksDB, as on a cluster.
        JobClient job = start(topic, "--finalise.quiet.ms", "600000",
                "--state.backend", "rocksdb", "--checkpoint.dir", checkpoints.toUri().toString());
        try {
            DB.get().awaitRows(aggregates(), List.of("2026-04 4 2 true", "2026-05 7 1 false"), TIMEOUT);
            // Another sink writes the day rows: final moments after the month row, not in its transaction.
            DB.get().awaitRows(daily(), List.of("2026-04-03 1.5 1 true", "2026-04-30 2.5 1 true", "2026-05-01 7 1 false"),
                    TIMEOUT);
            List<String> finalApril = DB.get().rows(aprilWithUpdateTime());

            TestEvents late = at("100", "2026-04-15T00:00:00Z");
            produce(topic, List.of(late));

            DB.get().awaitRows(lateEvents(), List.of(late.build().eventId() + " 2026-04 100 period 2026-04 was already final"),
                    TIMEOUT);
            assertThat(DB.get().rows(aprilWithUpdateTime())).as("the final row is never written again").isEqualTo(finalApril);
            assertThat(DB.get().rows(daily())).containsExactly(
                    "2026-04-03 1.5 1 true", "2026-04-30 2.5 1 true", "2026-05-01 7 1 false");
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void aMonthPastItsEndPlusGraceOnTheWallClockIsFinalisedOnceTheStreamFallsQuiet() throws Exception {
        String topic = KAFKA.get().newUsageTopics("idle");
        // June 2026 ended months ago on the wall clock, but no event moves event time past it:
        // without processing-time finalisation this month would stay open for ever.
        produce(topic, List.of(
                at("1", "2026-06-10T00:00:00Z"),
                at("2", "2026-06-20T00:00:00Z").key("june-20"),
                at("2", "2026-06-20T00:00:00Z").key("june-20"),
                at("3", "2026-06-30T23:59:59Z")));

        JobClient job = start(topic, "--idleness.ms", "300", "--finalise.quiet.ms", "1500", "--grace.ms", "1000");
        try {
            DB.get().awaitRows(aggregates(), List.of("2026-06 6 3 true"), TIMEOUT);
            DB.get().awaitRows(daily(), List.of("2026-06-10 1 1 true", "2026-06-20 2 1 true", "2026-06-30 3 1 true"), TIMEOUT);

            TestEvents late = at("5", "2026-06-11T00:00:00Z");
            produce(topic, List.of(late));

            DB.get().awaitRows(lateEvents(), List.of(late.build().eventId() + " 2026-06 5 period 2026-06 was already final"),
                    TIMEOUT);
            assertThat(DB.get().rows(aggregates())).containsExactly("2026-06 6 3 true");
        } finally {
            job.cancel().get();
        }
    }

    private TestEvents at(String value, String instant) {
        return event(project, org).value(value).at(instant);
    }

    private void produce(String topic, List<TestEvents> events) {
        KAFKA.get().produceInTransaction(topic, project.toString(), events.stream().map(TestEvents::bytes).toList());
    }

    private JobClient start(String topic, String... extra) throws Exception {
        List<String> args = KafkaJobArgs.of(KAFKA.get(), topic, DB.get());
        args.addAll(List.of("--checkpoint.interval.ms", "300", "--refresh.interval.ms", "100", "--sink.batch.interval.ms", "100",
                "--idleness.ms", "500", "--parallelism", "2"));
        args.addAll(List.of(extra));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        UsageAggregationJob.build(env, JobConfig.fromArgs(args.toArray(String[]::new)));
        return env.executeAsync(UsageAggregationJob.JOB_NAME);
    }

    private String aggregates() {
        return "SELECT period, sum_value, event_count, is_final FROM usage_aggregates WHERE project_id = '"
                + project + "' ORDER BY period";
    }

    private String aprilWithUpdateTime() {
        return "SELECT sum_value, event_count, min_value, max_value, latest_value, latest_at, is_final, updated_at"
                + " FROM usage_aggregates WHERE project_id = '" + project + "' AND period = '2026-04'";
    }

    private String daily() {
        return "SELECT day, sum_value, event_count, is_final FROM usage_daily WHERE project_id = '" + project + "' ORDER BY day";
    }

    private String lateEvents() {
        return "SELECT event_id, period, metric_value, reason FROM late_usage_events WHERE project_id = '" + project + "'";
    }
}
