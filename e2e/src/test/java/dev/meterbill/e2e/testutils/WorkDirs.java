package dev.meterbill.e2e.testutils;

import dev.meterbill.localstack.cluster.PidFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Work dirs of tests that start processes: each test class has its own, reset before it runs. */
public final class WorkDirs {

    private static final Logger LOG = LoggerFactory.getLogger(WorkDirs.class);

    private WorkDirs() {}

    /**
     * Ends whatever the work dir's PID files still name (left by a test JVM that died), then deletes
     * the dir: a killed TaskManager leaves RocksDB and temp files that must not leak into the next run.
     */
    public static void reset(Path workDir) throws IOException {
        endProcesses(workDir);
        if (Files.exists(workDir)) {
            try (Stream<Path> paths = Files.walk(workDir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Ends the processes named by the work dir's PID files; the dir itself stays, its logs explain failures. */
    public static void endProcesses(Path workDir) throws IOException {
        List<String> stopped = PidFiles.stopAll(workDir.resolve("pids"), Duration.ofSeconds(10));
        if (!stopped.isEmpty()) {
            LOG.warn("ended processes left behind in {}: {}", workDir, stopped);
        }
    }
}
