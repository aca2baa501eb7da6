package dev.meterbill.jobs.usage;

import java.time.Duration;
import java.util.Locale;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Meters usage events exactly once: Kafka {@code usage-events} → parse (bad records to the DLQ)
 * → event time → dedupe on idempotency key → monthly and daily totals → upserts into
 * usage_aggregates and usage_daily.
 *
 * <p>{@link #main} only wires the real connectors; {@link #attach} holds the pipeline so tests
 * can feed a bounded source and still write through the real JDBC sinks. Operator uids are a
 * contract with existing savepoints: never change one.
 */
public final class UsageAggregationJob {

    public static final String JOB_NAME = "usage-aggregation";

    private UsageAggregationJob() {}

    public static void main(String[] args) throws Exception {
        JobConfig config = JobConfig.fromArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, config);
        env.execute(JOB_NAME);
    }

    /** Wires the whole job with its real Kafka source, JDBC sinks and Kafka DLQ into {@code env}. */
    public static void build(StreamExecutionEnvironment env, JobConfig config) {
        if (config.parallelism() != null) {
            env.setParallelism(config.parallelism());
        }
        env.enableCheckpointing(config.checkpointIntervalMs(), CheckpointingMode.EXACTLY_ONCE);

        DataStream<RawEnvelope> raw = env
                .fromSource(kafkaSource(config), WatermarkStrategy.noWatermarks(), "kafka: " + config.topic())
                .uid("usage-events-source");

        var jdbc = UsageTotalSinks.connection(config.jdbcUrl(), config.jdbcUser(), config.jdbcPassword());
        var batches = UsageTotalSinks.execution(config.sinkBatchSize(), config.sinkBatchIntervalMs());
        attach(raw, config,
                UsageTotalSinks.aggregates(jdbc, batches),
                UsageTotalSinks.daily(jdbc, batches),
                DeadLetterSink.kafka(config.kafkaBootstrap(), config.dlqTopic()));
    }

    /** Reads raw records of the usage topic; offsets are committed back to Kafka on each checkpoint. */
    public static KafkaSource<RawEnvelope> kafkaSource(JobConfig config) {
        return KafkaSource.<RawEnvelope>builder()
                .setBootstrapServers(config.kafkaBootstrap())
                .setTopics(config.topic())
                .setGroupId(config.groupId())
                // The gateway writes in transactions: never count an event of an aborted one.
                .setProperty("isolation.level", "read_committed")
                // Checkpointed offsets win on restore; committed offsets only seed a fresh start.
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawEnvelopeDeserializer())
                .build();
    }

    /**
     * The pipeline from raw envelopes to the three sinks. Uses only the time, dedupe and refresh
     * settings of {@code config}; connections are the caller's business.
     */
    public static void attach(DataStream<RawEnvelope> rawEnvelopes, JobConfig config,
            Sink<UsageTotal> aggregateSink, Sink<UsageTotal> dailySink, Sink<DeadLetter> deadLetterSink) {
        SingleOutputStreamOperator<UsageRecord> parsed = rawEnvelopes
                .process(new ParseEnvelopeFunction())
                .name("parse envelopes").uid("parse-envelopes");
        parsed.getSideOutput(ParseEnvelopeFunction.DEAD_LETTERS)
                .sinkTo(deadLetterSink)
                .name("dead letters: " + config.dlqTopic()).uid("dead-letter-sink");

        // Watermarks follow parsing because only a decoded event has an event time. Idleness keeps
        // a subtask without traffic from holding event time back for everyone.
        DataStream<UsageRecord> timed = parsed
                .assignTimestampsAndWatermarks(WatermarkStrategy
                        .<UsageRecord>forBoundedOutOfOrderness(Duration.ofMillis(config.outOfOrdernessMs()))
                        .withTimestampAssigner((event, previous) -> event.timestamp().toEpochMilli())
                        .withIdleness(Duration.ofMillis(config.idlenessMs())))
                .name("event time").uid("event-time");

        DataStream<UsageRecord> unique = timed
                .keyBy(new DedupeFunction.Key(), DedupeFunction.KEY_TYPE)
                .process(new DedupeFunction(Duration.ofDays(config.dedupeTtlDays())))
                .name("dedupe on idempotency key").uid("dedupe");

        totals(unique, Granularity.MONTH, config.refreshIntervalMs())
                .sinkTo(aggregateSink)
                .name("upsert usage_aggregates").uid("usage-aggregates-sink");
        totals(unique, Granularity.DAY, config.refreshIntervalMs())
                .sinkTo(dailySink)
                .name("upsert usage_daily").uid("usage-daily-sink");
    }

    private static DataStream<UsageTotal> totals(DataStream<UsageRecord> events, Granularity granularity,
            long refreshIntervalMs) {
        String bucket = granularity.name().toLowerCase(Locale.ROOT);
        return events
                .keyBy(granularity.keySelector(), Granularity.KEY_TYPE)
                .process(new UsageAggregateFunction(granularity, refreshIntervalMs))
                .name("totals per " + bucket).uid("totals-" + bucket);
    }
}
