package dev.meterbill.e2e.testutils;

import dev.meterbill.events.UsageTopics;
import dev.meterbill.localstack.cluster.BuildArtifacts;
import dev.meterbill.localstack.cluster.FlinkRestClient;
import dev.meterbill.localstack.cluster.FlinkSessionCluster;
import dev.meterbill.localstack.cluster.KafkaBrokerProcess;
import dev.meterbill.localstack.cluster.Poll;
import dev.meterbill.localstack.cluster.UsageJobDeployment;
import dev.meterbill.testkit.ServiceExtension;
import dev.meterbill.testkit.StartupGuard;
import dev.meterbill.testkit.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real deployment for one test class (a static {@code @RegisterExtension} field): a Kafka broker
 * JVM, a Flink JobManager JVM and TaskManager JVMs started from the Maven artifacts, and a PostgreSQL
 * database of its own. Its work dir ({@code e2e/target/cluster-it/<name>}) keeps PID files, so
 * processes a crashed earlier run left behind are ended before the new run starts, and every
 * process is ended afterwards.
 */
public final class ClusterTestbed extends ServiceExtension<ClusterTestbed.Deployment> {

    public static final String TOPIC = UsageTopics.USAGE;
    public static final Duration STARTUP = Duration.ofMinutes(2);
    /** Each job's subtasks on different TaskManagers, so that killing one TaskManager hits every job. */
    public static final Map<String, String> SPREAD_SLOTS = Map.of("taskmanager.load-balance.mode", "SLOTS");

    /** What runs: the processes, their database, and what the build left for them. */
    public record Deployment(Path workDir, BuildArtifacts artifacts, TestDatabase database, KafkaBrokerProcess kafka,
                             FlinkSessionCluster flink) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                flink.close();
                kafka.close();
                WorkDirs.endProcesses(workDir); // the work dir stays: its logs explain a failure
            } finally {
                database.close();
            }
        }
    }

    /** A deployment in {@code e2e/target/cluster-it/<name>} with {@code taskManagers} TaskManagers of {@code slots} slots each. */
    public ClusterTestbed(String name, int taskManagers, int slots) {
        super(Scope.CLASS, () -> launch(name, taskManagers, slots));
    }

    private static Deployment launch(String name, int taskManagers, int slots) throws Exception {
        BuildArtifacts artifacts = BuildArtifacts.locate(Path.of(""));
        Path workDir = artifacts.repoRoot().resolve("e2e/target/cluster-it").resolve(name);
        WorkDirs.reset(workDir);
        try (StartupGuard guard = new StartupGuard()) {
            guard.add(() -> WorkDirs.endProcesses(workDir));
            TestDatabase database = guard.add(TestDatabase.create());
            KafkaBrokerProcess kafka = guard.add(KafkaBrokerProcess.start(workDir, TestStacks.freePort(), TestStacks.freePort(),
                    artifacts.servicesClasspath(), STARTUP));
            kafka.createTopics(4, TOPIC, UsageTopics.DEAD_LETTERS);
            kafka.createTopics(1, UsageTopics.METRIC_DEFINITIONS);
            FlinkSessionCluster flink = guard.add(FlinkSessionCluster.startJobManager(new FlinkSessionCluster.Settings(
                    workDir, artifacts.flinkClasspath(), TestStacks.freePort(), TestStacks.freePort(), slots, SPREAD_SLOTS), STARTUP));
            for (int i = 0; i < taskManagers; i++) {
                flink.startTaskManager();
            }
            flink.awaitTaskManagers(taskManagers, STARTUP);
            return guard.started(new Deployment(workDir, artifacts, database, kafka, flink));
        }
    }

    /**
     * Submits the shaded job jar through the REST API (from a savepoint when one is given); returns
     * the job id. With the environment variable {@code UPGRADE_FROM_JAR} set, a fresh start runs that
     * jar instead (an earlier release), so SavepointUpgradeIT upgrades from it to this build.
     */
    public String submitJob(int parallelism, String savepointPath) throws IOException, InterruptedException {
        Deployment d = get();
        List<String> args = UsageJobDeployment.programArgs(d.kafka().bootstrapServers(), d.database().url(),
                d.database().user(), d.database().password(), parallelism, d.workDir().resolve("checkpoints"));
        String earlier = System.getenv("UPGRADE_FROM_JAR");
        Path jar = earlier != null && savepointPath == null ? Path.of(earlier) : d.artifacts().jobJar();
        return UsageJobDeployment.submit(d.flink().rest(), jar, args, savepointPath);
    }

    /**
     * Submits the raw-event archive job (issue 18) beside the aggregation job: the same topic and parsing, its own
     * consumer group and checkpoints (every 2 s, so its files roll as often), Parquet under {@link #archiveDir()}.
     * Waits until every task runs; returns the job id.
     */
    public String startArchiveJob(int parallelism, Duration timeout) throws IOException, InterruptedException {
        Deployment d = get();
        List<String> args = UsageJobDeployment.archiveArgs(UsageJobDeployment.programArgs(d.kafka().bootstrapServers(),
                d.database().url(), d.database().user(), d.database().password(), parallelism,
                d.workDir().resolve("checkpoints")), d.workDir().resolve("archive-checkpoints"), 2_000, archiveDir());
        String jobId = UsageJobDeployment.submit(rest(), d.artifacts().archiveJobJar(), UsageJobDeployment.ARCHIVE_ENTRY_CLASS,
                args, null);
        rest().awaitAllTasksRunning(jobId, timeout);
        return jobId;
    }

    /** Where the archive job writes. */
    public Path archiveDir() {
        return workDir().resolve("archive");
    }

    /** {@link #submitJob} and waits until every task of the job runs; returns the job id. */
    public String startJob(int parallelism, String savepointPath, Duration timeout) throws IOException, InterruptedException {
        String jobId = submitJob(parallelism, savepointPath);
        rest().awaitAllTasksRunning(jobId, timeout);
        return jobId;
    }

    /** The monthly totals the job wrote. */
    public Map<UsageTotals.Key, UsageTotals.Row> totals() throws IOException {
        try {
            return UsageTotals.read(dbUrl());
        } catch (SQLException e) {
            throw new IOException(e);
        }
    }

    /** Waits until the monthly totals are exactly {@code expected}. */
    public void awaitTotals(Map<UsageTotals.Key, UsageTotals.Row> expected, Duration timeout)
            throws IOException, InterruptedException {
        Poll.until("exact totals in usage_aggregates", timeout, () -> UsageTotals.matches(expected, totals()));
    }

    public FlinkSessionCluster flink() {
        return get().flink();
    }

    public FlinkRestClient rest() {
        return flink().rest();
    }

    public String kafkaBootstrap() {
        return get().kafka().bootstrapServers();
    }

    public String dbUrl() {
        return get().database().url();
    }

    public Path workDir() {
        return get().workDir();
    }
}
