package dev.meterbill.jobs.usage;

import dev.meterbill.jobs.usage.aggregate.PeriodTotalsFunction;
import dev.meterbill.jobs.usage.aggregate.PeriodUsage;
import dev.meterbill.jobs.usage.aggregate.PeriodUsageCombiner;
import dev.meterbill.jobs.usage.aggregate.PeriodUsageSerializer;
import dev.meterbill.jobs.usage.aggregate.UsageTotal;
import dev.meterbill.jobs.usage.dedupe.DedupeFunction;
import dev.meterbill.jobs.usage.metric.DeduplicateAndMeter;
import dev.meterbill.jobs.usage.metric.GroupCeiling;
import dev.meterbill.jobs.usage.metric.MeterByDefinitions;
import dev.meterbill.jobs.usage.parse.EnvelopeDeserializer;
import dev.meterbill.jobs.usage.parse.EventTime;
import dev.meterbill.jobs.usage.parse.ParsedEnvelope;
import dev.meterbill.jobs.usage.parse.RouteEnvelopesFunction;

import dev.meterbill.events.UsageTopics;
import java.time.Duration;
import java.util.regex.Pattern;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Meters usage events exactly once: Kafka {@code usage-events} (decoded, event time per partition;
 * bad records to the DLQ) → dedupe on idempotency key → combined per day for a moment → month and
 * day totals per period, final once the period closes → upserts into usage_aggregates and
 * usage_daily, late events into late_usage_events.
 *
 * <p>{@link #main} only wires the real connectors; {@link #attach} holds the pipeline so tests
 * can feed their own source and sinks. Operator uids are a contract with existing savepoints:
 * never change one.
 */
public final class UsageAggregationJob {

    public static final String JOB_NAME = "usage-aggregation";

    private UsageAggregationJob() {}

    public static void main(String[] args) throws Exception {
        JobConfig config = JobConfig.fromArgs(args, System.getenv());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, config);
        env.execute(JOB_NAME);
    }

    /** Wires the whole job with its real Kafka source, JDBC sinks and Kafka DLQ into {@code env}. */
    public static void build(StreamExecutionEnvironment env, JobConfig config) {
        configure(env, config);
        attach(source(env, config), definitions(env, config), config, JobSinks.of(config));
    }

    /** Parallelism, exactly-once checkpoints, their storage, the state backend and object reuse. */
    public static void configure(StreamExecutionEnvironment env, JobConfig config) {
        if (config.parallelism() != null) {
            env.setParallelism(config.parallelism());
        }
        env.enableCheckpointing(config.checkpointIntervalMs(), CheckpointingMode.EXACTLY_ONCE);
        Configuration flink = new Configuration();
        // An operator who cancels the job can still restart it from its last checkpoint.
        flink.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        if (config.checkpointDir() != null) {
            flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.checkpointDir());
        }
        if (config.stateBackend() != null) {
            flink.set(StateBackendOptions.STATE_BACKEND, config.stateBackend());
            if ("rocksdb".equals(config.stateBackend())) {
                flink.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
            }
        }
        env.configure(flink);
        // Every record and state value in the job is an immutable record, so sharing is safe.
        env.getConfig().enableObjectReuse();
    }

    /** The usage topic, decoded in the source so that watermarks are tracked per partition. */
    public static DataStream<ParsedEnvelope> source(StreamExecutionEnvironment env, JobConfig config) {
        return source(env, config, kafkaSource(config));
    }

    /** {@code kafka} (e.g. bounded at the topic's end, in tests and benchmarks) with this job's watermarks and uid. */
    public static DataStream<ParsedEnvelope> source(StreamExecutionEnvironment env, JobConfig config,
                                                    KafkaSource<ParsedEnvelope> kafka) {
        return env.fromSource(kafka, EventTime.watermarks(config.outOfOrdernessMs(), config.idlenessMs()),
                        "kafka: " + config.topic())
                .uid(UsageTopics.USAGE + "-source");
    }

    /** Reads the usage topic; offsets are committed back to Kafka on each checkpoint. */
    public static KafkaSource<ParsedEnvelope> kafkaSource(JobConfig config) {
        return kafkaSourceBuilder(config).build();
    }

    /** {@link #kafkaSource}'s settings, for a job that reads the usage topic as this one does (the archive). */
    public static KafkaSourceBuilder<ParsedEnvelope> kafkaSourceBuilder(JobConfig config) {
        return KafkaSource.<ParsedEnvelope>builder()
                .setBootstrapServers(config.kafkaBootstrap())
                .setTopics(config.topic())
                .setGroupId(config.groupId())
                // The gateway writes in transactions: never count an event of an aborted one.
                .setProperty("isolation.level", "read_committed")
                // Checkpointed offsets win on restore; committed offsets only seed a fresh start.
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new EnvelopeDeserializer());
    }

    /**
     * Metric definitions as billing-api publishes them (JSON values of the compacted topic, read from its beginning),
     * with a watermark that never holds event time back: the definitions side must not stop periods from closing.
     * The topic is subscribed to by pattern, so a job started before the first definition exists waits for it.
     */
    public static DataStream<String> definitions(StreamExecutionEnvironment env, JobConfig config) {
        return definitions(env, definitionsSourceBuilder(config).build());
    }

    /** {@code source} (e.g. bounded at the topic's end, for re-rating) with this job's watermarks, uid and parallelism. */
    public static DataStream<String> definitions(StreamExecutionEnvironment env, KafkaSource<String> source) {
        return env.fromSource(source, MeterByDefinitions.NEVER_HOLDS_EVENT_TIME, "kafka: " + UsageTopics.METRIC_DEFINITIONS)
                .uid(UsageTopics.METRIC_DEFINITIONS + "-source")
                .setParallelism(1);
    }

    /** {@link #definitions}' source settings, for a job that reads the definitions as this one does. */
    public static KafkaSourceBuilder<String> definitionsSourceBuilder(JobConfig config) {
        return KafkaSource.<String>builder()
                .setBootstrapServers(config.kafkaBootstrap())
                .setTopicPattern(Pattern.compile(Pattern.quote(UsageTopics.METRIC_DEFINITIONS)))
                .setGroupId(config.groupId() + "-metric-definitions")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setProperty("partition.discovery.interval.ms", "10000")
                .setValueOnlyDeserializer(new SimpleStringSchema());
    }

    /** The pipeline without metric definitions: every event is metered under its own metric name only. */
    public static void attach(DataStream<ParsedEnvelope> envelopes, JobConfig config, JobSinks sinks) {
        attach(envelopes, null, config, sinks);
    }

    private static PeriodUsageCombiner combiner(JobConfig config) {
        return new PeriodUsageCombiner(config.combineIntervalMs(), config.graceMs());
    }

    /**
     * The pipeline from decoded envelopes, with event time already assigned, to the sinks. Uses
     * only the time, dedupe and refresh settings of {@code config}. Enable checkpointing on the
     * environment first: with it, finalisation waits for the checkpoint that holds it.
     */
    public static void attach(DataStream<ParsedEnvelope> envelopes, DataStream<String> definitions, JobConfig config,
                              JobSinks sinks) {
        SingleOutputStreamOperator<UsageRecord> keyed = envelopes
                .process(new RouteEnvelopesFunction(), UsageRecordSerializer.TYPE)
                .name("route envelopes").uid("route-envelopes");
        keyed.getSideOutput(RouteEnvelopesFunction.DEAD_LETTERS)
                .sinkTo(sinks.deadLetters())
                .name("dead letters: " + config.dlqTopic()).uid("dead-letter-sink");

        // Counted events are added up per day for a moment before the shuffle to the totals (see PeriodUsageCombiner).
        TypeInformation<PeriodUsage> usage = PeriodUsageSerializer.TYPE;
        BroadcastStream<String> known = definitions == null ? null : definitions.broadcast(MeterByDefinitions.DEFINITIONS);
        KeyedStream<UsageRecord, Tuple2<String, String>> byIdempotencyKey =
                keyed.keyBy(new DedupeFunction.Key(), DedupeFunction.KEY_TYPE);
        Duration dedupeTtl = Duration.ofDays(config.dedupeTtlDays());
        DataStream<UsageRecord> deduplicated = known != null ? null : byIdempotencyKey
                .process(new DedupeFunction(dedupeTtl), UsageRecordSerializer.TYPE)
                .name("dedupe on idempotency key").uid("dedupe");
        DataStream<UsageRecord> withoutKey = keyed.getSideOutput(RouteEnvelopesFunction.WITHOUT_KEY);
        DataStream<PeriodUsage> grouped = null;
        if (known != null) {
            // after dedupe, in its operator (same uid and keyed state): a definition meters each event once, like its
            // own metric name
            SingleOutputStreamOperator<UsageRecord> metered = byIdempotencyKey.connect(known)
                    .process(new DeduplicateAndMeter(dedupeTtl), UsageRecordSerializer.TYPE)
                    .name("dedupe on idempotency key, meter by metric definitions").uid("dedupe");
            SingleOutputStreamOperator<UsageRecord> meteredWithoutKey = withoutKey.connect(known)
                    .process(new MeterByDefinitions(), UsageRecordSerializer.TYPE)
                    .name("meter by metric definitions (no idempotency key)").uid("meter-by-definitions-without-key");
            deduplicated = metered.filter(new GroupCeiling.Plain()).name("own metric names").uid("own-metric-names");
            withoutKey = meteredWithoutKey.filter(new GroupCeiling.Plain()).name("own metric names (no idempotency key)")
                    .uid("own-metric-names-without-key");
            // unique counts: the first record of each distinct value per period passes, as a 1 to add up
            DataStream<UsageRecord> firstOfEachValue = metered.getSideOutput(MeterByDefinitions.FIRST_SEEN)
                    .union(meteredWithoutKey.getSideOutput(MeterByDefinitions.FIRST_SEEN))
                    .keyBy(new DedupeFunction.Key(), DedupeFunction.KEY_TYPE)
                    .process(new DedupeFunction(dedupeTtl), UsageRecordSerializer.TYPE)
                    .name("unique counts: first of each value").uid("unique-count-first-seen");
            // a definition's groups are combined in the task that metered them, then held to the ceiling of groups
            grouped = metered.filter(new GroupCeiling.Grouped()).name("grouped usage").uid("grouped-usage")
                    .transform("combine per hour (grouped usage)", usage, combiner(config)).uid("combine-grouped")
                    .union(meteredWithoutKey.filter(new GroupCeiling.Grouped()).name("grouped usage (no idempotency key)")
                                    .uid("grouped-usage-without-key")
                                    .transform("combine per hour (grouped usage, no idempotency key)", usage, combiner(config))
                                    .uid("combine-grouped-without-key"),
                            firstOfEachValue.transform("combine per hour (unique counts)", usage, combiner(config))
                                    .uid("combine-unique-counts"))
                    .keyBy(new GroupCeiling.Key(), Types.STRING)
                    .process(new GroupCeiling(config.groupCeiling()), usage)
                    .name("ceiling of groups per project, definition and period").uid("group-ceiling");
        }
        DataStream<PeriodUsage> counted = deduplicated
                .transform("combine per hour", usage, combiner(config))
                .uid("combine-deduplicated")
                .union(withoutKey
                        .transform("combine per hour (no idempotency key)", usage, combiner(config))
                        .uid("combine-without-key"));
        if (grouped != null) {
            counted = counted.union(grouped);
        }

        boolean checkpointed = envelopes.getExecutionEnvironment().getCheckpointConfig().isCheckpointingEnabled();
        SingleOutputStreamOperator<UsageTotal> months = counted
                .keyBy(new PeriodTotalsFunction.Key(), PeriodTotalsFunction.KEY_TYPE)
                .process(new PeriodTotalsFunction(new PeriodTotalsFunction.Settings(
                        config.graceMs(), config.finaliseQuietMs(), Duration.ofDays(config.dedupeTtlDays()).toMillis(),
                        config.refreshIntervalMs(), checkpointed)))
                .name("totals per period").uid("period-totals");

        months.sinkTo(sinks.aggregates())
                .name("upsert usage_aggregates").uid("usage-aggregates-sink");
        months.getSideOutput(PeriodTotalsFunction.DAILY_TOTALS).sinkTo(sinks.daily())
                .name("upsert usage_daily").uid("usage-daily-sink");
        months.getSideOutput(PeriodTotalsFunction.HOURLY_TOTALS).sinkTo(sinks.hourly())
                .name("upsert usage_hourly").uid("usage-hourly-sink");
        months.getSideOutput(PeriodTotalsFunction.LATE_EVENTS).sinkTo(sinks.lateEvents())
                .name("insert late_usage_events").uid("late-events-sink");
    }
}
