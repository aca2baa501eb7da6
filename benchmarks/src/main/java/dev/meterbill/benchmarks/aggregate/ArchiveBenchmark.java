package dev.meterbill.benchmarks.aggregate;

import dev.meterbill.archive.EventArchiveJob;
import dev.meterbill.jobs.usage.JobConfig;
import dev.meterbill.jobs.usage.UsageAggregationJob;
import dev.meterbill.testkit.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code ./billing bench archive}: what keeping every raw event costs (issue 18). The archive job (parallelism 2, heap
 * state, checkpoints every 10 s, Parquet files rolled at each) reads a pre-filled topic of 1,000,000 envelopes to its end
 * on a MiniCluster in this JVM, in rounds after one warm-up round, beside the plain KafkaConsumer that decodes and sums
 * the same topic (the aggregate benchmark's ceiling). Prints events/s (median round, from submission to the last file
 * committed), the ratio to the consumer's best round, and the Parquet bytes per event. No target: the archive is a job of
 * its own, so what it costs is the cores it takes beside the aggregation job.
 *
 * <p>System properties: bench.events (1000000), bench.projects (100), bench.rounds (3).
 */
public final class ArchiveBenchmark {

    private static final int EVENTS = Integer.getInteger("bench.events", 1_000_000);
    private static final int PROJECTS = Integer.getInteger("bench.projects", 100);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int PARALLELISM = 2;
    private static final String TOPIC = "bench-archive-events";

    private ArchiveBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("bench-archive");
        try (KafkaBroker kafka = KafkaBroker.start()) {
            kafka.createTopics(PARALLELISM, TOPIC, TOPIC + "-dlq");
            System.out.printf(Locale.ROOT, "archive benchmark: %,d envelopes, %d projects, %d partitions, parallelism %d, %d cores%n",
                    EVENTS, PROJECTS, PARALLELISM, PARALLELISM, Runtime.getRuntime().availableProcessors());
            AggregationBenchmark.prefill(kafka.bootstrapServers(), TOPIC, new BenchEvents(PROJECTS, 42, "k-", 100), EVENTS);
            double[] archive = new double[ROUNDS];
            double consumer = 0;
            long bytes = 0;
            int files = 0;
            for (int round = -1; round < ROUNDS; round++) { // round -1 warms the JIT and is not counted
                Baselines.ConsumerRun plain = Baselines.plainConsumer(kafka.bootstrapServers(), TOPIC, EVENTS);
                consumer = Math.max(consumer, rate(plain.events(), plain.nanos()));
                Path out = work.resolve("archive-" + (round + 1));
                long start = System.nanoTime();
                run(kafka.bootstrapServers(), "bench-archive-" + (round + 1), out, work.resolve("checkpoints-" + (round + 1)));
                long nanos = System.nanoTime() - start;
                List<Path> parquet;
                try (Stream<Path> walk = Files.walk(out)) {
                    parquet = walk.filter(f -> f.toString().endsWith(".parquet")).toList();
                }
                files = parquet.size();
                bytes = 0;
                for (Path f : parquet) {
                    bytes += Files.size(f);
                }
                if (round >= 0) {
                    archive[round] = rate(EVENTS, nanos);
                    System.out.printf(Locale.ROOT, "    round %d: archive job %,.0f events/s (%.1f s, %d files, %,d bytes)%n",
                            round + 1, archive[round], nanos / 1e9, files, bytes);
                }
            }
            Arrays.sort(archive);
            double median = archive[ROUNDS / 2];
            System.out.printf(Locale.ROOT, "plain KafkaConsumer, decode + sum, best round: %,10.0f events/s%n", consumer);
            System.out.printf(Locale.ROOT, "archive job to Parquet, median of %d:           %,10.0f events/s (%.2fx the consumer)%n",
                    ROUNDS, median, median / consumer);
            System.out.printf(Locale.ROOT, "Parquet: %.1f bytes per event in %d files (last round)%n", bytes / (double) EVENTS, files);
        }
        System.exit(0); // Kafka client threads must not keep a finished benchmark alive
    }

    /** The archive job over the whole topic, bounded at its end: returns when the last files are committed. */
    private static void run(String bootstrap, String groupId, Path out, Path checkpoints) throws Exception {
        JobConfig config = JobConfig.fromArgs(new String[] {"--kafka.bootstrap", bootstrap, "--topic", TOPIC,
            "--group.id", groupId, "--checkpoint.interval.ms", "10000", "--parallelism", Integer.toString(PARALLELISM),
            "--checkpoint.dir", checkpoints.toUri().toString()});
        Configuration cluster = new Configuration();
        cluster.setString("taskmanager.numberOfTaskSlots", Integer.toString(PARALLELISM));
        cluster.set(RestartStrategyOptions.RESTART_STRATEGY, "none"); // a failure ends the benchmark instead of looping
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(PARALLELISM, cluster);
        UsageAggregationJob.configure(env, config);
        EventArchiveJob.attach(UsageAggregationJob.source(env, config, UsageAggregationJob.kafkaSourceBuilder(config)
                        .setBounded(OffsetsInitializer.latest()).build()),
                config, out.toUri().toString());
        env.execute("bench archive");
    }

    private static double rate(long events, long nanos) {
        return events / (nanos / 1e9);
    }
}
