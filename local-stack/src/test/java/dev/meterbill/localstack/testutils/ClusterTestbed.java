package dev.meterbill.localstack.testutils;

import dev.meterbill.events.UsageTopics;
import dev.meterbill.localstack.cluster.BuildArtifacts;
import dev.meterbill.localstack.cluster.FlinkRestClient;
import dev.meterbill.localstack.cluster.FlinkSessionCluster;
import dev.meterbill.localstack.cluster.KafkaBrokerProcess;
import dev.meterbill.localstack.cluster.UsageJobDeployment;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real deployment for one test class: a Kafka broker JVM, a Flink JobManager JVM and TaskManager
 * JVMs started from the Maven artifacts, and a PostgreSQL database of its own. Its work dir
 * ({@code target/cluster-it/<name>}) keeps PID files, so processes a crashed earlier run left
 * behind are ended before the new run starts, and every process is ended afterwards.
 */
public final class ClusterTestbed implements AutoCloseable {

    public static final String TOPIC = UsageTopics.USAGE;
    public static final Duration STARTUP = Duration.ofMinutes(2);

    private final Path workDir;
    private final BuildArtifacts artifacts;
    private TestDatabase database;
    private KafkaBrokerProcess kafka;
    private FlinkSessionCluster flink;

    private ClusterTestbed(Path workDir, BuildArtifacts artifacts) {
        this.workDir = workDir;
        this.artifacts = artifacts;
    }

    /** Starts everything; {@code taskManagers} TaskManagers of {@code slots} slots each. */
    public static ClusterTestbed start(String name, int taskManagers, int slots) throws Exception {
        BuildArtifacts artifacts = BuildArtifacts.locate(Path.of(""));
        Path workDir = artifacts.repoRoot().resolve("local-stack/target/cluster-it").resolve(name);
        ClusterTestbed bed = new ClusterTestbed(workDir, artifacts);
        WorkDirs.reset(workDir);
        try {
            bed.database = TestDatabase.create();
            bed.kafka = KafkaBrokerProcess.start(workDir, freePort(), freePort(), artifacts.servicesClasspath(), STARTUP);
            bed.kafka.createTopics(4, TOPIC, UsageTopics.DEAD_LETTERS);
            bed.flink = FlinkSessionCluster.startJobManager(new FlinkSessionCluster.Settings(workDir, artifacts.flinkClasspath(),
                    freePort(), freePort(), slots, Map.of()), STARTUP);
            for (int i = 0; i < taskManagers; i++) {
                bed.flink.startTaskManager();
            }
            bed.flink.awaitTaskManagers(taskManagers, STARTUP);
            return bed;
        } catch (Exception e) {
            bed.close();
            throw e;
        }
    }

    /**
     * Submits the shaded job jar through the REST API (from a savepoint when one is given); returns
     * the job id. With the environment variable {@code UPGRADE_FROM_JAR} set, a fresh start runs that
     * jar instead (an earlier release), so SavepointUpgradeIT upgrades from it to this build.
     */
    public String submitJob(int parallelism, String savepointPath) throws IOException, InterruptedException {
        List<String> args = UsageJobDeployment.programArgs(kafka.bootstrapServers(), database.url(), TestDatabase.USER, "",
                parallelism, workDir.resolve("checkpoints"));
        String earlier = System.getenv("UPGRADE_FROM_JAR");
        Path jar = earlier != null && savepointPath == null ? Path.of(earlier) : artifacts.jobJar();
        return UsageJobDeployment.submit(flink.rest(), jar, args, savepointPath);
    }

    public FlinkSessionCluster flink() {
        return flink;
    }

    public FlinkRestClient rest() {
        return flink.rest();
    }

    public String kafkaBootstrap() {
        return kafka.bootstrapServers();
    }

    public String dbUrl() {
        return database.url();
    }

    public Path workDir() {
        return workDir;
    }

    @Override
    public void close() throws Exception {
        if (flink != null) {
            flink.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        WorkDirs.endProcesses(workDir); // the work dir stays: its logs explain a failure
        if (database != null) {
            database.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
