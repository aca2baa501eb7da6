package dev.meterbill.archive;

import dev.meterbill.archive.format.ArchivedEvent;
import dev.meterbill.archive.format.EventArchive;
import dev.meterbill.jobs.usage.JobConfig;
import dev.meterbill.jobs.usage.UsageAggregationJob;
import dev.meterbill.jobs.usage.UsageRecord;
import dev.meterbill.jobs.usage.UsageRecordSerializer;
import dev.meterbill.jobs.usage.dedupe.DedupeFunction;
import dev.meterbill.jobs.usage.parse.ParsedEnvelope;
import dev.meterbill.jobs.usage.parse.RouteEnvelopesFunction;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.util.ParameterTool;

/**
 * Keeps every accepted usage event (issue 18, first part): the usage topic read as the aggregation job reads it
 * (read_committed, the same parsing and refusals), repeats of an idempotency key dropped by the same dedupe, and each
 * event written once to Parquet under {@code <archive.path>/organisation=<id>/date=<day>/} by Flink's FileSink, whose
 * files become visible only when the checkpoint that holds them completes: exactly once across failures.
 *
 * <p>A job of its own rather than a branch of the aggregation job: a storage outage then stops the archive, never
 * billing's totals, and the Hadoop classes Parquet needs stay out of the aggregation job's jar. The price is a second
 * copy of the dedupe state. Refused envelopes are the aggregation job's to send to the dead-letter topic; here they are
 * dropped.
 *
 * <p>Arguments: those of the aggregation job (JobConfig; {@code --group.id} defaults to {@value #GROUP_ID}) and
 * {@code --archive.path}, a Flink file system URI ({@code file:///…}, {@code s3://…} with Flink's S3 plugin).
 * {@code --checkpoint.interval.ms} defaults to a minute here ({@value #CHECKPOINT_INTERVAL_MS}).
 */
public final class EventArchiveJob {

    public static final String GROUP_ID = "usage-archive";
    /** The default checkpoint interval of this job, hence how often its files roll (docs/operations.md, sizes). */
    public static final long CHECKPOINT_INTERVAL_MS = 60_000;

    private EventArchiveJob() {}

    public static void main(String[] args) throws Exception {
        ParameterTool parameters = ParameterTool.fromArgs(args);
        List<String> all = new ArrayList<>(Arrays.asList(args));
        if (!parameters.has("group.id")) {
            all.addAll(List.of("--group.id", GROUP_ID)); // never the aggregation job's consumer group
        }
        if (!parameters.has("checkpoint.interval.ms")) {
            // files roll at each checkpoint: a minute makes them hundreds of times larger than the totals' 5 seconds
            all.addAll(List.of("--checkpoint.interval.ms", Long.toString(CHECKPOINT_INTERVAL_MS)));
        }
        JobConfig config = JobConfig.fromArgs(all.toArray(String[]::new), System.getenv());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        UsageAggregationJob.configure(env, config);
        attach(UsageAggregationJob.source(env, config), config, parameters.getRequired("archive.path"));
        env.execute("usage event archive");
    }

    /** From decoded envelopes to the Parquet files; checkpointing must be on for files to be committed. */
    public static void attach(DataStream<ParsedEnvelope> envelopes, JobConfig config, String archivePath) {
        SingleOutputStreamOperator<UsageRecord> routed = envelopes
                .process(new RouteEnvelopesFunction(), UsageRecordSerializer.TYPE)
                .name("route envelopes").uid("archive-route-envelopes");
        routed.keyBy(new DedupeFunction.Key(), DedupeFunction.KEY_TYPE)
                .process(new DedupeFunction(Duration.ofDays(config.dedupeTtlDays())), UsageRecordSerializer.TYPE)
                .name("dedupe on idempotency key").uid("archive-dedupe")
                .union(routed.getSideOutput(RouteEnvelopesFunction.WITHOUT_KEY))
                .map(EventArchiveJob::archived).returns(ArchivedEvent.class)
                .name("archived event").uid("archived-event")
                .sinkTo(sink(archivePath))
                .name("parquet: " + archivePath).uid("archive-parquet-sink");
    }

    /** Parquet files per organisation and day, rolled at every checkpoint (see docs/operations.md for sizes). */
    static FileSink<ArchivedEvent> sink(String archivePath) {
        return FileSink.forBulkFormat(new Path(archivePath), new ParquetWriterFactory<>(EventArchive::writer))
                .withBucketAssigner(new OrganisationDayBuckets())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder()
                        .withPartPrefix(EventArchive.FILE_PREFIX).withPartSuffix(EventArchive.FILE_SUFFIX).build())
                .build();
    }

    /** The archive's row of an accepted event: exact values as text, the day of its timestamp in the billing timezone. */
    static ArchivedEvent archived(UsageRecord r) {
        ArchivedEvent e = new ArchivedEvent();
        e.eventId = r.eventId();
        e.organisationId = r.organisationId();
        e.projectId = r.projectId();
        e.metricName = r.metricName();
        e.value = r.value().toPlainString();
        e.unit = r.unit();
        e.timestamp = r.timestamp().toString();
        e.receivedAt = r.receivedAt().toString();
        e.billingTimezone = r.billingTimezone();
        e.day = r.timestamp().atZone(ZoneId.of(r.billingTimezone())).toLocalDate().toString();
        e.idempotencyKey = r.idempotencyKey();
        if (r.labels() != null) {
            e.metadata.putAll(r.labels());
        }
        return e;
    }
}
