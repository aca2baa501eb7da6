package dev.meterbill.localstack.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Flink session cluster as separate JVMs started from the flink-dist classpath, the way Flink's
 * own {@code jobmanager.sh}/{@code taskmanager.sh} start them: a JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and TaskManagers ({@code TaskManagerRunner}) with
 * the memory and CPU parameters {@code BashJavaUtils} derives from {@code config.yaml}.
 */
public final class FlinkSessionCluster implements AutoCloseable {

    private static final String JOB_MANAGER = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String TASK_MANAGER = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
    private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

    /** Where and how: the work dir holds conf/, logs/, pids/, checkpoints/, savepoints/ and temp files. */
    public record Settings(Path workDir, String flinkClasspath, int restPort, int rpcPort, int slotsPerTaskManager,
                           Map<String, String> overrides) {}

    /** JVM flags and {@code -D} properties as BashJavaUtils prints them. */
    private record ResourceParams(List<String> jvmArgs, List<String> dynamicProperties) {}

    private final Settings settings;
    private final Path confDir;
    private final FlinkRestClient rest;
    private final ManagedProcess jobManager;
    private final List<ManagedProcess> taskManagers = new ArrayList<>();
    private ResourceParams taskManagerParams;
    private int taskManagersStarted;

    private FlinkSessionCluster(Settings settings, Path confDir, ManagedProcess jobManager) {
        this.settings = settings;
        this.confDir = confDir;
        this.jobManager = jobManager;
        this.rest = new FlinkRestClient("http://localhost:" + settings.restPort());
    }

    /** Writes the configuration, starts the JobManager and waits until its REST API answers. */
    public static FlinkSessionCluster startJobManager(Settings settings, Duration timeout) throws IOException, InterruptedException {
        Path confDir = settings.workDir().resolve("conf");
        Map<String, String> config = FlinkConfigFile.defaults(settings.workDir(), settings.restPort(), settings.rpcPort(),
                settings.slotsPerTaskManager());
        config.putAll(settings.overrides());
        FlinkConfigFile.write(confDir, config);
        ResourceParams params = resourceParams(settings.flinkClasspath(), confDir, "GET_JM_RESOURCE_PARAMS");
        List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
        args.addAll(params.dynamicProperties());
        ManagedProcess jm = launch(settings, confDir, "jobmanager", params.jvmArgs(), JOB_MANAGER, args);
        FlinkSessionCluster cluster = new FlinkSessionCluster(settings, confDir, jm);
        try {
            cluster.rest.awaitUp(jm, timeout);
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Starts one more TaskManager JVM, with a resource id and temp directory of its own. */
    public synchronized ManagedProcess startTaskManager() throws IOException, InterruptedException {
        if (taskManagerParams == null) {
            taskManagerParams = resourceParams(settings.flinkClasspath(), confDir, "GET_TM_RESOURCE_PARAMS");
        }
        String name = "taskmanager-" + (++taskManagersStarted);
        List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
        args.addAll(taskManagerParams.dynamicProperties());
        // a killed TaskManager leaves RocksDB and temp files behind: its successor must not share them
        args.addAll(List.of("-D", "taskmanager.resource-id=" + name,
                "-D", "io.tmp.dirs=" + settings.workDir().resolve("tmp").resolve(name).toAbsolutePath()));
        Files.createDirectories(settings.workDir().resolve("tmp").resolve(name));
        ManagedProcess tm = launch(settings, confDir, name, taskManagerParams.jvmArgs(), TASK_MANAGER, args);
        taskManagers.add(tm);
        return tm;
    }

    /** Waits until {@code count} TaskManagers are registered with the JobManager. */
    public void awaitTaskManagers(int count, Duration timeout) throws IOException, InterruptedException {
        rest.awaitTaskManagers(count, timeout);
    }

    /** SIGKILLs a TaskManager, as a crashed machine would lose it. */
    public synchronized void kill(ManagedProcess taskManager) {
        taskManager.kill();
        taskManagers.remove(taskManager);
    }

    public FlinkRestClient rest() {
        return rest;
    }

    public ManagedProcess jobManager() {
        return jobManager;
    }

    public synchronized List<ManagedProcess> taskManagers() {
        return List.copyOf(taskManagers);
    }

    public Path workDir() {
        return settings.workDir();
    }

    /** Ends the TaskManagers, then the JobManager (SIGTERM, SIGKILL after 15 s). */
    @Override
    public synchronized void close() {
        for (ManagedProcess tm : taskManagers) {
            tm.stop(Duration.ofSeconds(15));
        }
        taskManagers.clear();
        jobManager.stop(Duration.ofSeconds(15));
    }

    private static ManagedProcess launch(Settings settings, Path confDir, String name, List<String> resourceJvmArgs,
                                         String mainClass, List<String> args) throws IOException {
        Path logDir = settings.workDir().resolve("logs");
        List<String> jvm = new ArrayList<>(resourceJvmArgs);
        jvm.addAll(JavaOptions.FLINK_OPENS);
        jvm.add("-Dlog.file=" + logDir.resolve(name + ".log").toAbsolutePath());
        jvm.add("-Dlog4j.configurationFile=" + confDir.resolve("log4j.properties").toAbsolutePath().toUri());
        return ManagedProcess.launch(new ManagedProcess.Spec(name, jvm, settings.flinkClasspath(), mainClass, args, Map.of()),
                settings.workDir().resolve("pids"), logDir);
    }

    /** Runs BashJavaUtils as Flink's scripts do and takes its two result lines. */
    private static ResourceParams resourceParams(String classpath, Path confDir, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, BASH_JAVA_UTILS, command, "--configDir", confDir.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(command + " failed: " + output);
        }
        List<String> results = output.lines().filter(l -> l.startsWith(RESULT_PREFIX))
                .map(l -> l.substring(RESULT_PREFIX.length()).trim()).toList();
        if (results.size() < 2) {
            throw new IOException(command + " printed no JVM and dynamic parameters: " + output);
        }
        return new ResourceParams(tokens(results.get(results.size() - 2)), tokens(results.get(results.size() - 1)));
    }

    private static List<String> tokens(String line) {
        return line.isBlank() ? List.of() : Arrays.asList(line.trim().split("\\s+"));
    }
}
