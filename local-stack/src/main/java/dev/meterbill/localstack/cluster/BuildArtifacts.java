package dev.meterbill.localstack.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What the Maven build left for the cluster processes: the Flink distribution's jars (flink-dist),
 * the runtime classpath of our services and the broker (local-stack), and the shaded job jar.
 *
 * @param repoRoot             the checkout, holding the module folders
 * @param flinkClasspath       {@code flink-dist/target/flink-lib/*}: a Flink cluster's lib/ folder
 * @param servicesClasspath    local-stack's classes and runtime dependencies (gateway, billing-api, kafka_2.13)
 * @param jobJar               {@code flink-jobs/target/flink-jobs-*-job.jar}, what an operator submits
 * @param archiveJobJar        {@code archive-job/target/archive-job-*-job.jar}, the raw-event archive's job
 */
public record BuildArtifacts(Path repoRoot, String flinkClasspath, String servicesClasspath, Path jobJar,
                             Path archiveJobJar) {

    /** Finds the checkout at or above {@code start} and checks everything was built. */
    public static BuildArtifacts locate(Path start) throws IOException {
        Path root = repoRoot(start);
        Path flinkLib = root.resolve("flink-dist/target/flink-lib");
        Path classpathFile = root.resolve("local-stack/target/classpath.txt");
        require(flinkLib, "the Flink cluster classpath");
        require(classpathFile, "local-stack's runtime classpath");
        String services = root.resolve("local-stack/target/classes") + File.pathSeparator
                + Files.readString(classpathFile, StandardCharsets.UTF_8).trim();
        return new BuildArtifacts(root, flinkLib + File.separator + "*", services,
                jobJar(root.resolve("flink-jobs/target"), "flink-jobs"), jobJar(root.resolve("archive-job/target"), "archive-job"));
    }

    /** The checkout (the folder holding flink-dist/ and local-stack/) at or above {@code start}. */
    public static Path repoRoot(Path start) throws IOException {
        Path root = start.toAbsolutePath().normalize();
        while (root != null && !(Files.isDirectory(root.resolve("flink-dist")) && Files.isDirectory(root.resolve("local-stack")))) {
            root = root.getParent();
        }
        if (root == null) {
            throw new IOException("no meterbill checkout (with flink-dist/ and local-stack/) at or above " + start);
        }
        return root;
    }

    private static Path jobJar(Path target, String module) throws IOException {
        require(target, "the " + module + " build");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches(module + "-.*-job\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("no shaded job jar " + module + "-*-job.jar in " + target
                            + ": run ./mvnw -B install -DskipTests"));
        }
    }

    private static void require(Path p, String what) throws IOException {
        if (!Files.exists(p)) {
            throw new IOException(what + " is missing (" + p + "): run ./mvnw -B install -DskipTests");
        }
    }
}
