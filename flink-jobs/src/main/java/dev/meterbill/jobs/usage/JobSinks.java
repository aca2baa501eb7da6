package dev.meterbill.jobs.usage;

import dev.meterbill.jobs.usage.aggregate.LateEvent;
import dev.meterbill.jobs.usage.aggregate.UsageTotal;
import dev.meterbill.jobs.usage.parse.DeadLetter;
import dev.meterbill.jobs.usage.sink.DeadLetterSink;
import dev.meterbill.jobs.usage.sink.IsolatingJdbcSink;
import dev.meterbill.jobs.usage.sink.LateEventSink;
import dev.meterbill.jobs.usage.sink.UsageTotalSinks;

import org.apache.flink.api.connector.sink2.Sink;

/** Where the job writes: monthly, daily and hourly totals, late events, and dead letters. */
public record JobSinks(
        Sink<UsageTotal> aggregates,
        Sink<UsageTotal> daily,
        Sink<UsageTotal> hourly,
        Sink<LateEvent> lateEvents,
        Sink<DeadLetter> deadLetters) {

    /** The production sinks: PostgreSQL through JDBC, the DLQ topic in Kafka. */
    public static JobSinks of(JobConfig config) {
        var jdbc = new IsolatingJdbcSink.Settings(config.jdbcUrl(), config.jdbcUser(), config.jdbcPassword(),
                config.sinkBatchSize(), config.sinkBatchIntervalMs(), 3);
        // Day and hour rows are the usage API's detail: written less often than month totals, which billing and
        // entitlements read, so that a busy row's repeated totals in between are written once (docs/metering.md).
        var detail = jdbc.withBatch(config.sinkBatchSize() * 10, config.sinkDetailIntervalMs());
        return new JobSinks(
                UsageTotalSinks.aggregates(jdbc),
                UsageTotalSinks.daily(detail),
                UsageTotalSinks.hourly(detail),
                LateEventSink.jdbc(jdbc),
                DeadLetterSink.kafka(config.kafkaBootstrap(), config.dlqTopic()));
    }

    public JobSinks withAggregates(Sink<UsageTotal> sink) {
        return new JobSinks(sink, daily, hourly, lateEvents, deadLetters);
    }

    public JobSinks withDeadLetters(Sink<DeadLetter> sink) {
        return new JobSinks(aggregates, daily, hourly, lateEvents, sink);
    }
}
