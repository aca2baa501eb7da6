package dev.meterbill.localstack.cluster;

import dev.meterbill.jobs.usage.UsageAggregationJob;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Deploys the usage aggregation job the way an operator does: upload the shaded jar and run it
 * through the cluster's REST API (what {@code flink run} does), optionally from a savepoint.
 */
public final class UsageJobDeployment {

    public static final String ENTRY_CLASS = UsageAggregationJob.class.getName();

    private UsageJobDeployment() {}

    /** The job's program arguments (see JobConfig): Kafka, JDBC, checkpointing and parallelism. */
    public static List<String> programArgs(String kafkaBootstrap, String jdbcUrl, String jdbcUser, String jdbcPassword,
                                           int parallelism, Path checkpointDir) {
        List<String> args = new ArrayList<>(List.of(
                "--kafka.bootstrap", kafkaBootstrap,
                "--jdbc.url", jdbcUrl,
                "--jdbc.user", jdbcUser,
                "--checkpoint.interval.ms", "2000",
                "--checkpoint.dir", checkpointDir.toAbsolutePath().toUri().toString(),
                "--state.backend", "rocksdb",
                "--refresh.interval.ms", "500",
                "--parallelism", Integer.toString(parallelism)));
        if (jdbcPassword != null && !jdbcPassword.isEmpty()) {
            args.addAll(List.of("--jdbc.password", jdbcPassword));
        }
        return args;
    }

    /** Uploads {@code jobJar} and runs it; {@code savepointPath} null starts fresh. Returns the job id. */
    public static String submit(FlinkRestClient rest, Path jobJar, List<String> programArgs, String savepointPath)
            throws IOException, InterruptedException {
        String jarId = rest.uploadJar(jobJar);
        return rest.runJar(jarId, ENTRY_CLASS, programArgs, savepointPath);
    }
}
