package dev.meterbill.jobs.usage;

import dev.meterbill.jobs.usage.parse.DeadLetter;
import dev.meterbill.jobs.usage.parse.EnvelopeParser;
import dev.meterbill.jobs.usage.parse.EventTime;
import dev.meterbill.jobs.usage.parse.ParsedEnvelope;
import dev.meterbill.jobs.usage.parse.RawEnvelope;

import static dev.meterbill.jobs.testutils.TestEvents.event;
import static dev.meterbill.jobs.testutils.TestEvents.rawText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.jobs.testutils.CollectingSink;
import dev.meterbill.jobs.testutils.TestEvents;
import dev.meterbill.testkit.DatabaseExtension;
import dev.meterbill.testkit.FlinkMiniCluster;
import dev.meterbill.testkit.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole pipeline on a MiniCluster with parallelism 2, from encoded envelopes to rows written
 * by the real JDBC sinks into a real PostgreSQL database.
 */
class UsageAggregationJobIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension
    static final DatabaseExtension DB = new DatabaseExtension();

    private static final UUID ORG_A = UUID.fromString("0000000a-0000-0000-0000-000000000000");
    private static final UUID PROJECT_A = UUID.fromString("0000000a-0000-0000-0000-00000000000a");
    private static final UUID ORG_B = UUID.fromString("0000000b-0000-0000-0000-000000000000");
    private static final UUID PROJECT_B = UUID.fromString("0000000b-0000-0000-0000-00000000000b");

    @Test
    void everyValidEventIsCountedOnceInMonthlyAndDailyTotals() throws Exception {
        List<RawEnvelope> input = new ArrayList<>();
        // Project A bills in UTC.
        TestEvents a1 = a("0.1", "2026-01-10T10:00:00Z").key("a-1");
        input.add(a1.raw());
        input.add(a1.retry().raw());
        input.add(a("0.2", "2026-01-10T11:00:00Z").key("a-2").raw());
        input.add(a1.retry().raw());
        // Two key-less events at the same instant: both count; the greater eventId is "latest".
        input.add(a("6", "2026-01-11T00:00:00Z").eventId("0000000a-0000-0000-0000-0000000000fb").raw());
        input.add(a("5", "2026-01-11T00:00:00Z").eventId("0000000a-0000-0000-0000-0000000000fa").raw());
        input.add(a("7", "2026-02-01T00:00:00Z").raw());
        input.add(a("100", "2026-02-02T00:00:00Z").key("shared-key").raw());
        // Project B bills in IST: 18:30Z on Jan 31 is already February 1st.
        input.add(b("1.5", "2026-01-31T18:29:59Z").raw());
        input.add(b("2.25", "2026-01-31T18:30:00Z").raw());
        input.add(b("3", "2026-02-03T00:00:00Z").key("shared-key").raw());
        input.add(b("0.000000000001", "2026-02-15T00:00:00Z").key("b-1").raw());
        input.add(b("0.000000000001", "2026-02-15T00:00:00Z").key("b-1").raw());
        // Bad data goes to the DLQ and never stops the job.
        input.add(rawText("this is not json"));
        input.add(rawText("{}"));
        input.add(event(PROJECT_A, ORG_A).value("0.0000000000001").raw());
        input.add(RawEnvelope.of(null));

        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
        Configuration noKryo = new Configuration();
        noKryo.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(noKryo);
        env.setParallelism(2);
        // A grace longer than the input's span: no period may close while this bounded input is read.
        JobConfig config = JobConfig.fromArgs(new String[] {"--grace.ms", Long.toString(Duration.ofDays(40).toMillis())})
                .withJdbc(DB.get().url(), TestDatabase.USER, TestDatabase.PASSWORD);
        List<ParsedEnvelope> parsed = input.stream().map(EnvelopeParser::parse).toList();

        UsageAggregationJob.attach(
                env.fromData(parsed, TypeInformation.of(ParsedEnvelope.class)).name("test envelopes").uid("test-source")
                        .assignTimestampsAndWatermarks(EventTime.watermarks(config.outOfOrdernessMs(), config.idlenessMs())),
                config,
                JobSinks.of(config).withDeadLetters(deadLetters));
        env.execute("usage-aggregation-it");

        assertThat(DB.get().rows("SELECT project_id, metric_name, period, sum_value, event_count, min_value, max_value,"
                + " latest_value, latest_at, timezone, unit, is_final FROM usage_aggregates ORDER BY 1, 3")).containsExactly(
                "0000000a-0000-0000-0000-00000000000a api_calls 2026-01 11.3 4 0.1 6 6 2026-01-11T00:00:00Z UTC count false",
                "0000000a-0000-0000-0000-00000000000a api_calls 2026-02 107 2 7 100 100 2026-02-02T00:00:00Z UTC count false",
                "0000000b-0000-0000-0000-00000000000b storage_gb 2026-01 1.5 1 1.5 1.5 1.5 2026-01-31T18:29:59Z Asia/Kolkata GB false",
                "0000000b-0000-0000-0000-00000000000b storage_gb 2026-02 5.250000000001 3 0.000000000001 3 0.000000000001 2026-02-15T00:00:00Z Asia/Kolkata GB false");
        assertThat(DB.get().rows("SELECT project_id, metric_name, day, sum_value, event_count, min_value, max_value,"
                + " latest_value, latest_at, timezone, unit, is_final FROM usage_daily ORDER BY 1, 3")).containsExactly(
                "0000000a-0000-0000-0000-00000000000a api_calls 2026-01-10 0.3 2 0.1 0.2 0.2 2026-01-10T11:00:00Z UTC count false",
                "0000000a-0000-0000-0000-00000000000a api_calls 2026-01-11 11 2 5 6 6 2026-01-11T00:00:00Z UTC count false",
                "0000000a-0000-0000-0000-00000000000a api_calls 2026-02-01 7 1 7 7 7 2026-02-01T00:00:00Z UTC count false",
                "0000000a-0000-0000-0000-00000000000a api_calls 2026-02-02 100 1 100 100 100 2026-02-02T00:00:00Z UTC count false",
                "0000000b-0000-0000-0000-00000000000b storage_gb 2026-01-31 1.5 1 1.5 1.5 1.5 2026-01-31T18:29:59Z Asia/Kolkata GB false",
                "0000000b-0000-0000-0000-00000000000b storage_gb 2026-02-01 2.25 1 2.25 2.25 2.25 2026-01-31T18:30:00Z Asia/Kolkata GB false",
                "0000000b-0000-0000-0000-00000000000b storage_gb 2026-02-03 3 1 3 3 3 2026-02-03T00:00:00Z Asia/Kolkata GB false",
                "0000000b-0000-0000-0000-00000000000b storage_gb 2026-02-15 0.000000000001 1 0.000000000001 0.000000000001 0.000000000001 2026-02-15T00:00:00Z Asia/Kolkata GB false");
        assertThat(deadLetters.values())
                .extracting(d -> d.reason().startsWith("not JSON: ") ? "not JSON" : d.reason())
                .containsExactlyInAnyOrder("not JSON", "missing billingTimezone",
                        "metricValue must have at most 12 fractional digits", "empty record");
    }

    private static TestEvents a(String value, String at) {
        return event(PROJECT_A, ORG_A).value(value).at(at);
    }

    private static TestEvents b(String value, String at) {
        return event(PROJECT_B, ORG_B).metric("storage_gb").unit("GB").zone("Asia/Kolkata").value(value).at(at);
    }
}
