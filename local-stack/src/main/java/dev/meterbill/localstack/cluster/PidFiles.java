package dev.meterbill.localstack.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The processes a work directory's PID files name: found again, and ended, by PID only. */
public final class PidFiles {

    private PidFiles() {}

    /** Every process of {@code pidDir} that is still alive and still ours, in file-name order. */
    public static List<ManagedProcess> alive(Path pidDir) throws IOException {
        if (!Files.isDirectory(pidDir)) {
            return List.of();
        }
        List<ManagedProcess> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(pidDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".pid")).sorted().toList()) {
                Optional<ManagedProcess> p = ManagedProcess.adopt(f);
                if (p.isPresent()) {
                    found.add(p.get());
                } else {
                    Files.deleteIfExists(f); // its process is gone (or the PID now belongs to someone else)
                }
            }
        }
        return found;
    }

    /** Ends the processes of {@code pidDir} whose names start with {@code prefix}; returns what was ended. */
    public static List<String> stop(Path pidDir, Duration grace, String prefix) throws IOException {
        List<String> stopped = new ArrayList<>();
        for (ManagedProcess p : alive(pidDir)) {
            if (p.name().startsWith(prefix)) {
                p.stop(grace);
                stopped.add(p.toString());
            }
        }
        return stopped;
    }

    /**
     * Ends the processes of {@code pidDir} whose names start with one of {@code namePrefixes}, in that
     * order of prefixes, then any others; returns what was ended.
     */
    public static List<String> stopAll(Path pidDir, Duration grace, String... namePrefixes) throws IOException {
        List<String> stopped = new ArrayList<>();
        for (String prefix : namePrefixes) {
            stopped.addAll(stop(pidDir, grace, prefix));
        }
        stopped.addAll(stop(pidDir, grace, ""));
        return stopped;
    }
}
