package dev.meterbill.localstack.cluster;

import dev.meterbill.events.UsageTopics;
import dev.meterbill.localstack.LocalDatabase;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The production topology on one machine, without containers: a Kafka broker process, a Flink
 * JobManager and TaskManager processes, the aggregation job and the raw-event archive job submitted through Flink's
 * REST API, two gateways and billing-api (reading the archive's directory), each its own JVM, remembered by PID under
 * the work dir.
 *
 * <p>Stopping takes a savepoint after the gateways are gone and before Flink goes down; starting
 * resumes the job from the newest savepoint or retained checkpoint, so totals carry on exactly.
 */
public final class ProcessCluster {

    private static final Duration STARTUP = Duration.ofMinutes(3);
    private static final Duration GRACE = Duration.ofSeconds(20);
    private static final String STATE_FILE = "cluster.properties";
    private static final String ARCHIVE_SAVEPOINTS = "archive-savepoints";
    private static final String ARCHIVE_CHECKPOINTS = "archive-checkpoints";

    private ProcessCluster() {}

    /** What runs after a start: Flink's REST URL, the two jobs, and every process with its PID. */
    public record Started(String flinkRestUrl, String jobId, String archiveJobId, List<ManagedProcess> processes) {}

    /** How often the archive job checkpoints here, hence rolls its files: exports see events after at most this. */
    static final long ARCHIVE_CHECKPOINT_MS = 10_000;

    /** Starts everything; on failure ends what it started and rethrows. */
    public static Started start(ClusterConfig c, BuildArtifacts artifacts, PrintStream out) throws Exception {
        List<ManagedProcess> running = PidFiles.alive(c.pidDir());
        if (!running.isEmpty()) {
            throw new IllegalStateException("already running: " + running + "; stop it with ./billing cluster stop");
        }
        try {
            createDatabaseIfMissing(c);
            String token = adminToken(c);
            out.println("kafka ...");
            KafkaBrokerProcess kafka = KafkaBrokerProcess.start(c.workDir(), c.kafkaPort(), c.kafkaControllerPort(),
                    artifacts.servicesClasspath(), STARTUP);
            kafka.createTopics(4, UsageTopics.USAGE, UsageTopics.DEAD_LETTERS);
            out.println("billing-api (applies the database migrations) ...");
            ServiceProcesses.startBillingApi(c, artifacts.servicesClasspath(), token, STARTUP);
            out.println("flink jobmanager and " + c.taskManagers() + " taskmanagers ...");
            // two slots a TaskManager, spread: each TaskManager runs a subtask of each job
            FlinkSessionCluster flink = FlinkSessionCluster.startJobManager(new FlinkSessionCluster.Settings(c.workDir(),
                    artifacts.flinkClasspath(), c.flinkRestPort(), c.flinkRpcPort(), 2,
                    Map.of("taskmanager.load-balance.mode", "SLOTS")), STARTUP);
            for (int i = 0; i < c.taskManagers(); i++) {
                flink.startTaskManager();
            }
            flink.awaitTaskManagers(c.taskManagers(), STARTUP);
            List<String> usageArgs = UsageJobDeployment.programArgs(kafka.bootstrapServers(), c.dbUrl(), c.dbUser(),
                    c.dbPassword(), c.taskManagers(), c.workDir().resolve("checkpoints"));
            Optional<Path> resume = ResumePoint.latest(c.workDir());
            out.println("usage-aggregation job" + resume.map(p -> " (resuming from " + p + ")").orElse("") + " ...");
            String jobId = submitJob(c, flink, artifacts.jobJar(), UsageJobDeployment.ENTRY_CLASS, usageArgs, resume);
            flink.rest().awaitAllTasksRunning(jobId, STARTUP);
            Optional<Path> archiveResume = ResumePoint.latest(c.workDir().resolve(ARCHIVE_SAVEPOINTS),
                    c.workDir().resolve(ARCHIVE_CHECKPOINTS));
            out.println("usage-archive job" + archiveResume.map(p -> " (resuming from " + p + ")").orElse("") + " ...");
            String archiveJobId = submitJob(c, flink, artifacts.archiveJobJar(), UsageJobDeployment.ARCHIVE_ENTRY_CLASS,
                    UsageJobDeployment.archiveArgs(usageArgs, c.workDir().resolve(ARCHIVE_CHECKPOINTS), ARCHIVE_CHECKPOINT_MS,
                            c.archiveDir()), archiveResume);
            flink.rest().awaitAllTasksRunning(archiveJobId, STARTUP);
            writeState(c, flink.rest().baseUrl(), jobId, archiveJobId);
            for (int n = 1; n <= c.gatewayPorts().size(); n++) {
                out.println("gateway-" + n + " ...");
                ServiceProcesses.startGateway(c, artifacts.servicesClasspath(), n, STARTUP);
            }
            Started started = new Started(flink.rest().baseUrl(), jobId, archiveJobId, PidFiles.alive(c.pidDir()));
            ClusterReport.started(out, c, token, started);
            return started;
        } catch (Exception e) {
            out.println("start failed: " + e.getMessage() + "; stopping what was started (logs in " + c.workDir().resolve("logs") + ")");
            stop(c, out, false);
            throw e;
        }
    }

    private static String submitJob(ClusterConfig c, FlinkSessionCluster flink, Path jar, String entryClass, List<String> args,
                                    Optional<Path> resume) throws IOException, InterruptedException {
        try {
            return UsageJobDeployment.submit(flink.rest(), jar, entryClass, args, resume.map(p -> p.toUri().toString()).orElse(null));
        } catch (IOException e) {
            if (resume.isEmpty()) {
                throw e;
            }
            // typically a job version whose stateful operators changed uid: its totals cannot continue
            throw new IOException(e.getMessage() + "\nThe job cannot resume from " + resume.get() + ". To start over, "
                    + "stop, remove " + c.workDir() + " and drop the database " + c.dbUrl(), e);
        }
    }

    /**
     * Stops in the order that loses nothing: gateways (no new events), the job with a savepoint
     * when {@code savepoint} is set, TaskManagers, JobManager, billing-api, Kafka. Returns what ended.
     */
    public static List<String> stop(ClusterConfig c, PrintStream out, boolean savepoint) throws IOException {
        List<String> stopped = new ArrayList<>(PidFiles.stop(c.pidDir(), GRACE, "gateway"));
        if (savepoint) {
            savepointJob(c, out, "job.id", c.workDir().resolve("savepoints"));
            savepointJob(c, out, "archive.job.id", c.workDir().resolve(ARCHIVE_SAVEPOINTS));
        }
        stopped.addAll(PidFiles.stopAll(c.pidDir(), GRACE, "taskmanager", "jobmanager", "billing-api", "kafka"));
        stopped.forEach(p -> out.println("stopped " + p));
        return stopped;
    }

    private static void savepointJob(ClusterConfig c, PrintStream out, String jobKey, Path savepoints) {
        Path stateFile = c.workDir().resolve(STATE_FILE);
        if (!Files.exists(stateFile)) {
            return;
        }
        try {
            Properties state = new Properties();
            try (var in = Files.newInputStream(stateFile)) {
                state.load(in);
            }
            FlinkRestClient rest = new FlinkRestClient(state.getProperty("flink.rest"));
            String jobId = state.getProperty(jobKey);
            if (jobId == null || !"RUNNING".equals(rest.job(jobId).path("state").asText())) {
                return;
            }
            String location = rest.stopWithSavepoint(jobId, savepoints.toAbsolutePath().toUri().toString(), Duration.ofMinutes(2));
            out.println("job " + jobId + " stopped with savepoint " + location + " (the next start resumes from it)");
        } catch (IOException | RuntimeException e) {
            out.println("no savepoint (" + e.getMessage() + "); the next start resumes from the newest retained checkpoint");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void writeState(ClusterConfig c, String restUrl, String jobId, String archiveJobId) throws IOException {
        Properties state = new Properties();
        state.setProperty("flink.rest", restUrl);
        state.setProperty("job.id", jobId);
        state.setProperty("archive.job.id", archiveJobId);
        try (var out = Files.newOutputStream(c.workDir().resolve(STATE_FILE))) {
            state.store(out, "the running cluster, for ./billing cluster stop");
        }
    }

    /** BILLING_ADMIN_TOKEN, or one generated on the first start and kept in the work dir. */
    private static String adminToken(ClusterConfig c) throws IOException {
        if (c.adminToken() != null && !c.adminToken().isBlank()) {
            return c.adminToken();
        }
        Path file = c.workDir().resolve("admin-token");
        if (!Files.exists(file)) {
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            Files.createDirectories(c.workDir());
            Files.writeString(file, "adm_" + HexFormat.of().formatHex(bytes), StandardCharsets.US_ASCII);
        }
        return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }

    /** Unlike the local stack's, this database is durable: the job's state resumes from savepoints. */
    private static void createDatabaseIfMissing(ClusterConfig c) throws SQLException {
        String name = c.dbUrl().substring(c.dbUrl().lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        try (Connection conn = DriverManager.getConnection(LocalDatabase.urlOf(c.dbUrl(), "postgres"), c.dbUser(), c.dbPassword());
             PreparedStatement exists = conn.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, name);
            if (!exists.executeQuery().next()) {
                if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
                    throw new SQLException("database " + name + " does not exist; create it first");
                }
                try (var s = conn.createStatement()) {
                    s.execute("CREATE DATABASE " + name);
                }
            }
        }
    }
}
