package dev.meterbill.benchmarks.aggregate;

import dev.meterbill.events.UsageEvent;
import dev.meterbill.jobs.usage.JobConfig;
import dev.meterbill.jobs.usage.UsageAggregationJob;
import dev.meterbill.testkit.KafkaBroker;
import dev.meterbill.testkit.TestDatabase;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import dev.meterbill.events.UsageTopics;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code ./billing bench aggregate}: the aggregation job against its peers, in one run on this
 * machine, with a real in-process Kafka broker, a Flink MiniCluster and the real PostgreSQL.
 *
 * <ol>
 *   <li>(a) the job (parallelism 2) from a pre-filled topic into PostgreSQL until the totals hold every event;
 *   <li>(b) a plain KafkaConsumer that decodes and sums the same topic (the ceiling); (a) and (b)
 *       run after the same JIT warm-up, in rounds of one each; the job's median round is compared
 *       with the consumer's best;
 *   <li>(c) one autocommitted INSERT per event into a plain table (the naive peer), on a sample;
 *   <li>(d) freshness at a steady production rate: producer ack to row visible, p50 and p99.
 * </ol>
 *
 * System properties: bench.events (1000000), bench.projects (100), bench.naive.sample (20000),
 * bench.warmup.events (3000000: JIT warm-up of consumer and job, 0 for none; after 500,000 the compiler still
 * took a third of a core in the first rounds and the job's rate rose round after round), bench.rounds (5),
 * bench.rate (10000), bench.seconds (20), bench.keyed.percent (100: every event has an idempotency
 * key), bench.state.backend (hashmap), bench.checkpoint.ms (10000), bench.combine.ms (200: the job's
 * --combine.interval.ms, 0 for none).
 */
public final class AggregationBenchmark {

    private static final int EVENTS = Integer.getInteger("bench.events", 1_000_000);
    private static final int PROJECTS = Integer.getInteger("bench.projects", 100);
    private static final int NAIVE_SAMPLE = Integer.getInteger("bench.naive.sample", 20_000);
    private static final int RATE = Integer.getInteger("bench.rate", 10_000);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 20);
    private static final int KEYED_PERCENT = Integer.getInteger("bench.keyed.percent", 100);
    private static final int PARALLELISM = 2;
    private static final int WARMUP_EVENTS = Integer.getInteger("bench.warmup.events", 3_000_000);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final int WARMUP_PASSES = Integer.getInteger("bench.warmup.passes", 2);
    private static final String TOPIC = "bench-usage-events";
    private static final String WARMUP_TOPIC = "bench-warmup-events";

    /** Rows of the events' own metric names, not of a definition's groups ({@code <key>{...}}). */
    private static final String PLAIN = "metric_name NOT LIKE '%{%'";

    private AggregationBenchmark() {}

    public static void main(String[] args) throws Exception {
        // Flink's sink committers register a metric twice and warn about it for every subtask.
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.flink.metrics", "error");
        // A job cancelled on the shared cluster with a checkpoint in flight warns about it, with a stack trace.
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.flink.runtime.checkpoint.CheckpointFailureManager", "error");
        Path work = Files.createTempDirectory("bench-aggregate");
        try (KafkaBroker kafka = KafkaBroker.start(); TestDatabase db = TestDatabase.create();
                FlinkCluster flink = FlinkCluster.start()) {
            kafka.createTopics(PARALLELISM, TOPIC, TOPIC + "-dlq");
            BenchEvents events = new BenchEvents(PROJECTS, 42, "k-", KEYED_PERCENT);
            System.out.printf(Locale.ROOT, "aggregation benchmark: %,d envelopes (%d%% with an idempotency key), "
                    + "%d projects x %d metrics, %d partitions, job parallelism %d, %d cores%n", EVENTS, KEYED_PERCENT,
                    PROJECTS, BenchEvents.METRICS.length, PARALLELISM, PARALLELISM, Runtime.getRuntime().availableProcessors());
            if (BenchEvents.GROUPS > 0) {
                // before the events: the job's definitions source reads them at start (a few of the first events may
                // still be metered before they arrive; the grouped coverage below says how many)
                kafka.admin().createTopics(List.of(new NewTopic(UsageTopics.METRIC_DEFINITIONS, 1, (short) 1)
                        .configs(UsageTopics.METRIC_DEFINITIONS_CONFIG))).all().get();
                try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                        new StringSerializer(), new StringSerializer())) {
                    for (int m = 0; m < BenchEvents.METRICS.length; m++) {
                        producer.send(new ProducerRecord<>(UsageTopics.METRIC_DEFINITIONS, BenchEvents.METRICS[m] + "_grouped",
                                BenchEvents.definitions().get(m))).get(); // a compacted topic takes keyed records only
                    }
                }
                System.out.printf(Locale.ROOT, "    every event carries %d group-by values; one definition per metric groups by them%n",
                        BenchEvents.GROUPS);
            }
            prefill(kafka.bootstrapServers(), TOPIC, events, EVENTS);

            List<UsageEvent> sample = new ArrayList<>();
            BenchEvents naiveEvents = new BenchEvents(PROJECTS, 7, "naive-", KEYED_PERCENT);
            for (int i = 0; i < NAIVE_SAMPLE; i++) {
                sample.add(naiveEvents.event(i));
            }
            long naiveNanos = Baselines.perEventInsert(db.url(), TestDatabase.USER, TestDatabase.PASSWORD, sample);
            double naiveRate = rate(NAIVE_SAMPLE, naiveNanos);
            System.out.printf(Locale.ROOT, "(c) one INSERT per event, autocommit:         %,10.0f events/s (%,d in %.1f s)%n",
                    naiveRate, NAIVE_SAMPLE, naiveNanos / 1e9);

            if (WARMUP_EVENTS > 0) {
                // Both sides get the same JIT warm-up, in this JVM, before anything is timed: the
                // consumer reads the start of the topic, the job runs over other projects' events. Twice,
                // in the order of the rounds: the consumer and the job share the Kafka client and the
                // decoding, and the first job after a consumer run recompiled them (with one pass, round 1
                // of the job cost 23-32 µs of CPU per event against 19-21 in later rounds).
                BenchEvents warmupEvents = new BenchEvents(PROJECTS, 11, "warmup-", KEYED_PERCENT);
                kafka.createTopics(PARALLELISM, WARMUP_TOPIC);
                prefill(kafka.bootstrapServers(), WARMUP_TOPIC, warmupEvents, WARMUP_EVENTS);
                for (int pass = 0; pass < WARMUP_PASSES; pass++) {
                    Baselines.plainConsumer(kafka.bootstrapServers(), TOPIC, Math.min(EVENTS, WARMUP_EVENTS));
                    clearTotals(db);
                    JobID warmup = flink.submit(jobConfig(kafka.bootstrapServers(), WARMUP_TOPIC, "bench-warmup-" + pass, db,
                            work.resolve("warmup-" + pass)));
                    awaitCount(db, WARMUP_EVENTS);
                    flink.stop(warmup);
                }
                System.out.printf(Locale.ROOT, "    consumer and job warmed up %d times on %,d envelopes each (figures discarded)%n",
                        WARMUP_PASSES, WARMUP_EVENTS);
            }

            // Rounds of (consumer, job) back to back on this shared, noisy machine. The verdict is
            // conservative: the job's median round against the consumer's best round.
            double[] consumerRates = new double[ROUNDS];
            double[] jobRates = new double[ROUNDS];
            double[] consumerCpu = new double[ROUNDS];
            double[] jobCpu = new double[ROUNDS];
            Baselines.ConsumerRun consumer = null;
            JobID job = null;
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    if (job != null) {
                        flink.stop(job);
                    }
                    clearTotals(db);
                    // Every round starts from the same heap: the earlier jobs' dedupe state (a million keys each) is
                    // garbage in the old generation, and the round that filled it up to G1's marking threshold paid
                    // for its collection (round 4 cost 24-25 µs of CPU per event in three runs, the others 15-19).
                    System.gc();
                    long cpu = cpuNanos();
                    consumer = Baselines.plainConsumer(kafka.bootstrapServers(), TOPIC, EVENTS);
                    consumerCpu[round] = (cpuNanos() - cpu) / 1e3 / consumer.events();
                    consumerRates[round] = rate(consumer.events(), consumer.nanos());
                    JobConfig config = jobConfig(kafka.bootstrapServers(), TOPIC, "bench-round-" + round, db,
                            work.resolve("checkpoints-" + round));
                    if (round == 0) {
                        System.out.println("    job settings: " + config);
                    }
                    long start = System.nanoTime();
                    cpu = cpuNanos();
                    job = flink.submit(config);
                    long[] firstSeen = awaitCount(db, EVENTS);
                    long end = System.nanoTime();
                    jobCpu[round] = (cpuNanos() - cpu) / 1e3 / EVENTS;
                    // Steady state: from the first totals in the table (a refresh interval after the
                    // first events) to the last; the job's start-up is a one-off, not throughput.
                    jobRates[round] = rate(EVENTS - firstSeen[1], end - firstSeen[0]);
                    System.out.printf(Locale.ROOT, "    round %d: (b) plain KafkaConsumer, decode + sum %,.0f events/s "
                            + "(%.1f µs CPU/event); (a) job, Kafka -> totals in PostgreSQL %,.0f events/s steady (%,.0f over "
                            + "%.1f s from submission, start-up included; %.1f µs CPU/event)%n", round + 1, consumerRates[round],
                            consumerCpu[round], jobRates[round], rate(EVENTS, end - start), (end - start) / 1e9, jobCpu[round]);
                }
                double consumerRate = Arrays.stream(consumerRates).max().orElseThrow();
                double jobRate = median(jobRates);
                double ratio = jobRate / consumerRate;
                System.out.printf(Locale.ROOT, "(b) plain KafkaConsumer, decode + sum, best of %d rounds: %,10.0f events/s%n",
                        ROUNDS, consumerRate);
                System.out.printf(Locale.ROOT, "(a) job, Kafka -> totals in PostgreSQL, median of %d:   %,10.0f events/s (%.2fx (b))%n",
                        ROUNDS, jobRate, ratio);
                // What the rates cost this JVM (broker, JIT and GC included; PostgreSQL's own CPU is not): steadier
                // than the rates on a shared machine, so changes to the job can be compared by it.
                System.out.printf(Locale.ROOT, "    CPU of this JVM per event, median of %d: (b) %.1f µs, (a) %.1f µs (%.1fx)%n",
                        ROUNDS, median(consumerCpu), median(jobCpu), median(jobCpu) / median(consumerCpu));
                BigDecimal stored = new BigDecimal(db.rows("SELECT sum(sum_value) FROM usage_aggregates WHERE " + PLAIN).get(0));
                if (BenchEvents.GROUPS > 0) {
                    System.out.printf(Locale.ROOT, "    grouped rows: %s rows holding %s of the %,d events%n",
                            db.rows("SELECT count(*) FROM usage_aggregates WHERE NOT (" + PLAIN + ")").get(0),
                            db.rows("SELECT coalesce(sum(event_count), 0) FROM usage_aggregates WHERE NOT (" + PLAIN + ")").get(0), EVENTS);
                }
                System.out.printf(Locale.ROOT, "    grand total: job %s, plain consumer %s: %s%n", stored.toPlainString(),
                        consumer.total().toPlainString(), stored.compareTo(consumer.total()) == 0 ? "exact" : "MISMATCH");

                Freshness.Result fresh = Freshness.measure(kafka.bootstrapServers(), TOPIC, db.url(), TestDatabase.USER,
                        TestDatabase.PASSWORD, events, EVENTS, RATE, SECONDS, 100);
                System.out.printf(Locale.ROOT, "(d) freshness at %,.0f events/s for %d s: p50 %.0f ms, p99 %.0f ms, max %.0f ms "
                        + "(%d of %d probes seen)%n", fresh.producedPerSecond(), SECONDS, fresh.p50Ms(), fresh.p99Ms(),
                        fresh.maxMs(), fresh.seen(), fresh.probes());

                System.out.printf(Locale.ROOT, "targets: job/plain consumer %.2fx (>= 0.5x) %s; job/per-event insert %.1fx "
                        + "(>= 10x) %s; freshness p99 %.2f s (<= 2 s) %s%n",
                        ratio, verdict(ratio >= 0.5),
                        jobRate / naiveRate, verdict(jobRate / naiveRate >= 10),
                        fresh.p99Ms() / 1000, verdict(fresh.seen() == fresh.probes() && fresh.p99Ms() <= 2000));
            } finally {
                if (job != null) {
                    // Let the sinks close before the database is dropped.
                    flink.stop(job);
                }
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static JobConfig jobConfig(String bootstrap, String topic, String groupId, TestDatabase db, Path checkpoints) {
        return JobConfig.fromArgs(new String[] {
            "--kafka.bootstrap", bootstrap, "--topic", topic, "--dlq.topic", TOPIC + "-dlq", "--group.id", groupId,
            "--jdbc.url", db.url(), "--jdbc.user", TestDatabase.USER, "--jdbc.password", TestDatabase.PASSWORD,
            "--parallelism", Integer.toString(PARALLELISM), "--checkpoint.dir", checkpoints.toUri().toString(),
            "--checkpoint.interval.ms", System.getProperty("bench.checkpoint.ms", "10000"), "--refresh.interval.ms", "500",
            "--combine.interval.ms", System.getProperty("bench.combine.ms", "200"),
            "--sink.batch.size", "1000", "--sink.batch.interval.ms", "200",
            "--state.backend", System.getProperty("bench.state.backend", "hashmap")});
    }

    static void prefill(String bootstrap, String topic, BenchEvents events, long count) {
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.BATCH_SIZE_CONFIG, "262144",
                ProducerConfig.LINGER_MS_CONFIG, "20"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < count; i++) {
                producer.send(BenchEvents.record(topic, events.event(i)));
            }
            producer.flush();
        }
        System.out.printf(Locale.ROOT, "    %s pre-filled with %,d envelopes in %.1f s%n", topic, count, (System.nanoTime() - start) / 1e9);
    }

    /** Waits until every event is counted; returns when totals first appeared (nanoTime) and their count then. */
    /**
     * Polls the count every 50 ms on one connection: a connection per poll (20 a second, each a PostgreSQL backend
     * forked and a driver handshake) took CPU from the job it timed.
     */
    private static long[] awaitCount(TestDatabase db, long events) throws Exception {
        long deadline = System.nanoTime() + 600_000_000_000L;
        long[] firstSeen = null;
        try (Connection connection = db.connect(); PreparedStatement count = connection.prepareStatement(
                "SELECT coalesce(sum(event_count), 0) FROM usage_aggregates WHERE " + PLAIN)) {
            while (System.nanoTime() < deadline) {
                long counted;
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    counted = rs.getLong(1);
                }
                if (firstSeen == null && counted > 0) {
                    firstSeen = new long[] {System.nanoTime(), counted};
                }
                if (counted >= events) {
                    return firstSeen;
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("the job did not count " + events + " events within 10 minutes");
    }

    /**
     * One Flink cluster in this JVM for the warm-up and every round, as the job is submitted to a running cluster:
     * a MiniCluster per job started its own RPC system, metrics and blob server each round, and the compiler was still
     * compiling that start-up code in the timed rounds (2-7 s of C2 per round, the most in the slowest rounds).
     */
    private record FlinkCluster(MiniCluster cluster) implements AutoCloseable {

        static FlinkCluster start() throws Exception {
            MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                    .setNumTaskManagers(1).setNumSlotsPerTaskManager(PARALLELISM).build());
            cluster.start();
            return new FlinkCluster(cluster);
        }

        JobID submit(JobConfig config) throws Exception {
            StreamExecutionEnvironment env = new StreamExecutionEnvironment();
            UsageAggregationJob.build(env, config);
            StreamGraph graph = env.getStreamGraph();
            graph.setJobName(UsageAggregationJob.JOB_NAME);
            return cluster.submitJob(graph.getJobGraph()).get().getJobID();
        }

        /** Cancels the job and waits until it has ended (its sinks closed). */
        void stop(JobID job) throws Exception {
            cluster.cancelJob(job).get();
            while (!cluster.getJobStatus(job).get().isGloballyTerminalState()) {
                Thread.sleep(100);
            }
        }

        @Override
        public void close() throws Exception {
            cluster.close();
        }
    }

    private static void clearTotals(TestDatabase db) throws Exception {
        try (var c = db.connect(); var st = c.createStatement()) {
            st.execute("TRUNCATE usage_aggregates, usage_daily, usage_hourly, late_usage_events");
        }
    }

    /** CPU time of this JVM so far (every thread: broker, job, consumer, JIT, GC). */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double rate(long events, long nanos) {
        return events / (nanos / 1e9);
    }

    private static String verdict(boolean met) {
        return met ? "MET" : "MISSED";
    }
}
