package dev.meterbill.localstack.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The newest state a restarted job can resume from: the savepoint {@code ./billing cluster stop}
 * took, or a checkpoint retained on cancellation (if the cluster died without one). A snapshot is
 * complete only once its {@code _metadata} file exists.
 */
final class ResumePoint {

    private ResumePoint() {}

    static Optional<Path> latest(Path workDir) throws IOException {
        return latest(workDir.resolve("savepoints"), workDir.resolve("checkpoints"));
    }

    /** The newest of a job's savepoints and retained checkpoints. */
    static Optional<Path> latest(Path savepoints, Path checkpoints) throws IOException {
        Optional<Path> savepoint = newestMetadata(savepoints, 2);
        Optional<Path> checkpoint = newestMetadata(checkpoints, 3);
        return Stream.of(savepoint, checkpoint).flatMap(Optional::stream)
                .max(Comparator.comparing(ResumePoint::modified))
                .map(Path::getParent);
    }

    private static Optional<Path> newestMetadata(Path root, int depth) throws IOException {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(root, depth)) {
            return files.filter(p -> p.getFileName().toString().equals("_metadata"))
                    .max(Comparator.comparing(ResumePoint::modified));
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
