package dev.meterbill.archive;

import dev.meterbill.archive.format.ArchivedEvent;
import dev.meterbill.archive.format.EventArchive;
import dev.meterbill.events.BillingPeriod;
import dev.meterbill.jobs.usage.JobConfig;
import dev.meterbill.jobs.usage.JobSinks;
import dev.meterbill.jobs.usage.UsageAggregationJob;
import dev.meterbill.jobs.usage.UsageRecord;
import dev.meterbill.jobs.usage.parse.EventTime;
import dev.meterbill.jobs.usage.parse.ParsedEnvelope;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.formats.parquet.avro.AvroParquetReaders;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Re-rating's computation (issue 18): the aggregation job's own pipeline ({@link UsageAggregationJob#attach}: dedupe,
 * metering by definitions, combining, totals per period, day and hour) run in Flink's BATCH mode over the archive's
 * files of one organisation's billing period, into the sinks {@code config} names. The caller points those at a
 * schema of their own ({@link RerateSchema}), so that the recomputed totals sit beside the live ones and never touch
 * them.
 *
 * <p>In batch mode event time ends only when the input does: no event is late. The live job puts an event that
 * arrived after its period had closed in {@code late_usage_events} (billed as an adjustment) instead of the period's
 * total; here it is in the total. So a re-rating's totals equal the live totals plus the period's late events.
 */
public final class RerateJob {

    private RerateJob() {}

    /**
     * Adds the batch pipeline to {@code env} and returns how many archive files it reads (none: nothing to recompute).
     * The archive's directories are days in each event's billing timezone, the same timezone its period is taken in,
     * so the period's days hold all of its events.
     */
    public static int build(StreamExecutionEnvironment env, EventArchive archive, String organisationId, YearMonth period,
                            JobConfig config, DataStream<String> definitions) throws IOException {
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        LocalDate first = period.atDay(1);
        LocalDate last = period.atEndOfMonth();
        List<org.apache.flink.core.fs.Path> files = archive.days(organisationId).entrySet().stream()
                .filter(day -> !day.getKey().isBefore(first) && !day.getKey().isAfter(last))
                .flatMap(day -> day.getValue().stream())
                .map(RerateJob::flinkPath)
                .toList();
        if (files.isEmpty()) {
            return 0;
        }
        FileSource<ArchivedEvent> source = FileSource.forRecordStreamFormat(
                AvroParquetReaders.forReflectRecord(ArchivedEvent.class), files.toArray(org.apache.flink.core.fs.Path[]::new))
                .build();
        String key = period.toString();
        DataStream<ParsedEnvelope> envelopes = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "archive: " + organisationId + " " + key)
                .filter(e -> BillingPeriod.containing(Instant.parse(e.timestamp), e.billingTimezone).key().equals(key))
                .name("events of " + key)
                .map(RerateJob::envelope).returns(TypeInformation.of(ParsedEnvelope.class)).name("as envelopes")
                .assignTimestampsAndWatermarks(EventTime.watermarks(config.outOfOrdernessMs(), config.idlenessMs()));
        // archived events were accepted once already: nothing can be refused again
        UsageAggregationJob.attach(envelopes, definitions, config, JobSinks.of(config).withDeadLetters(new DiscardingSink<>()));
        return files.size();
    }

    /** An archived event as the aggregation job's source would have decoded it. */
    static ParsedEnvelope envelope(ArchivedEvent e) {
        return ParsedEnvelope.valid(new UsageRecord(e.eventId, e.projectId, e.organisationId, e.metricName,
                new BigDecimal(e.value), e.unit, Instant.parse(e.timestamp), Instant.parse(e.receivedAt), e.billingTimezone,
                e.idempotencyKey, e.metadata == null ? Map.of() : Map.copyOf(e.metadata)));
    }

    private static org.apache.flink.core.fs.Path flinkPath(Path file) {
        return new org.apache.flink.core.fs.Path(file.toUri());
    }
}
