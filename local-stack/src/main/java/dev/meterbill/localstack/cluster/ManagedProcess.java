package dev.meterbill.localstack.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A JVM we started, remembered in a PID file so that it can be ended by PID even after the JVM that
 * started it has died. Nothing else is ever signalled: a PID is only acted on while the process
 * still carries the marker naming its own PID file (a PID can be reused by an unrelated process).
 */
public final class ManagedProcess {

    static final String MARKER = "-Dmeterbill.pidfile=";

    private final String name;
    private final ProcessHandle handle;
    private final Path pidFile;
    private final Path log;

    private ManagedProcess(String name, ProcessHandle handle, Path pidFile, Path log) {
        this.name = name;
        this.handle = handle;
        this.pidFile = pidFile;
        this.log = log;
    }

    /** What to run: {@code java <jvmArgs> -cp <classpath> <mainClass> <args>} with extra environment. */
    public record Spec(String name, List<String> jvmArgs, String classpath, String mainClass, List<String> args,
                       Map<String, String> env) {}

    /** Starts the JVM with stdout and stderr in {@code <logDir>/<name>.out} and writes {@code <pidDir>/<name>.pid}. */
    public static ManagedProcess launch(Spec spec, Path pidDir, Path logDir) throws IOException {
        Files.createDirectories(pidDir);
        Files.createDirectories(logDir);
        Path pidFile = pidDir.resolve(spec.name() + ".pid").toAbsolutePath();
        Path log = logDir.resolve(spec.name() + ".out").toAbsolutePath();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(MARKER + pidFile); // first, so it is never cut off a long command line
        command.addAll(spec.jvmArgs());
        command.addAll(extraJvmArgs(System.getenv(EXTRA_JVM_ARGS)));
        command.add("-cp");
        command.add(spec.classpath());
        command.add(spec.mainClass());
        command.addAll(spec.args());
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(spec.env());
        Process process = pb.start();
        Files.writeString(pidFile, process.pid() + "\n", StandardCharsets.US_ASCII);
        return new ManagedProcess(spec.name(), process.toHandle(), pidFile, log);
    }

    /**
     * Options added to every JVM this package starts, after its own (so they win): for example
     * {@code -XX:TieredStopAtLevel=1}, which spares a small machine the optimising compiler's work on
     * short-lived processes. The end-to-end tests set it; see docs/operations.md.
     */
    public static final String EXTRA_JVM_ARGS = "CLUSTER_JAVA_OPTS";

    static List<String> extraJvmArgs(String value) {
        return value == null || value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
    }

    /** The process a PID file names, if it is still alive and still the one we started. */
    public static Optional<ManagedProcess> adopt(Path pidFile) {
        Path abs = pidFile.toAbsolutePath();
        String fileName = abs.getFileName().toString();
        String name = fileName.endsWith(".pid") ? fileName.substring(0, fileName.length() - 4) : fileName;
        try {
            long pid = Long.parseLong(Files.readString(abs, StandardCharsets.US_ASCII).trim());
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().commandLine().map(c -> c.contains(MARKER + abs)).orElse(false))
                    .map(h -> new ManagedProcess(name, h, abs, null));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return handle.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return handle.isAlive();
    }

    /** SIGKILL, as a crashing machine would: no shutdown hook runs. Waits until the process is gone. */
    public void kill() {
        handle.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
        deletePidFile();
    }

    /** SIGTERM, then SIGKILL if the process has not exited within {@code grace}. */
    public void stop(Duration grace) {
        if (handle.isAlive()) {
            handle.destroy();
            if (!awaitExit(grace)) {
                handle.destroyForcibly();
                awaitExit(Duration.ofSeconds(30));
            }
        }
        deletePidFile();
    }

    private boolean awaitExit(Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return !handle.isAlive();
        }
    }

    private void deletePidFile() {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // a stale PID file is harmless: adopt() checks the marker before acting on it
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ")";
    }
}
