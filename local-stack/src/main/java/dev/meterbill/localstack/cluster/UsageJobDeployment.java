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
    /** The archive job (module archive-job, not on this classpath: its jar carries Parquet and Hadoop's client). */
    public static final String ARCHIVE_ENTRY_CLASS = "dev.meterbill.archive.EventArchiveJob";

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

    /**
     * The archive job's arguments: the aggregation job's {@code usageArgs} (the same topic, brokers and parsing) with
     * its own checkpoints in {@code checkpointDir} every {@code checkpointIntervalMs} (its files roll with them), writing
     * to {@code archiveDir}.
     */
    public static List<String> archiveArgs(List<String> usageArgs, Path checkpointDir, long checkpointIntervalMs,
                                           Path archiveDir) {
        List<String> args = new ArrayList<>(usageArgs);
        args.set(args.indexOf("--checkpoint.dir") + 1, checkpointDir.toAbsolutePath().toUri().toString());
        args.set(args.indexOf("--checkpoint.interval.ms") + 1, Long.toString(checkpointIntervalMs));
        args.addAll(List.of("--archive.path", archiveDir.toAbsolutePath().toUri().toString()));
        return args;
    }

    /** Uploads {@code jobJar} and runs it; {@code savepointPath} null starts fresh. Returns the job id. */
    public static String submit(FlinkRestClient rest, Path jobJar, List<String> programArgs, String savepointPath)
            throws IOException, InterruptedException {
        return submit(rest, jobJar, ENTRY_CLASS, programArgs, savepointPath);
    }

    /** As {@link #submit(FlinkRestClient, Path, List, String)}, running {@code entryClass}. */
    public static String submit(FlinkRestClient rest, Path jobJar, String entryClass, List<String> programArgs,
                                String savepointPath) throws IOException, InterruptedException {
        String jarId = rest.uploadJar(jobJar);
        return rest.runJar(jarId, entryClass, programArgs, savepointPath);
    }
}
