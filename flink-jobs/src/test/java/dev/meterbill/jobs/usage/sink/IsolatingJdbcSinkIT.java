package dev.meterbill.jobs.usage.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meterbill.jobs.usage.aggregate.UsageTotal;
import dev.meterbill.testkit.DatabaseExtension;
import dev.meterbill.testkit.FlinkMiniCluster;
import dev.meterbill.testkit.TestDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sink's writer on a MiniCluster against the real schema: what a batch of waiting rows becomes in PostgreSQL. */
class IsolatingJdbcSinkIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension
    static final DatabaseExtension DB = new DatabaseExtension();

    private final String project = UUID.randomUUID().toString();
    private final String org = UUID.randomUUID().toString();

    /**
     * A busy row's totals, one after the other in one batch (the batch goes as multi-row statements, where PostgreSQL
     * refuses to upsert one row twice): the last total is stored, every other row too, and nothing is refused.
     */
    @Test
    void repeatedTotalsOfOneRowWaitingTogetherAreWrittenOnceTheLast() throws Exception {
        List<UsageTotal> totals = new ArrayList<>();
        for (int n = 1; n <= 5; n++) {
            for (String metric : List.of("api_calls", "storage_gb", "tokens{model=large}")) {
                totals.add(total(metric, n));
            }
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        // every row waits for the end of input: one batch
        var settings = new IsolatingJdbcSink.Settings(DB.get().url(), TestDatabase.USER, TestDatabase.PASSWORD, 1_000, 0, 0);
        env.fromData(totals, TypeInformation.of(UsageTotal.class)).sinkTo(UsageTotalSinks.aggregates(settings));
        env.execute("isolating-jdbc-sink-it");

        assertThat(DB.get().rows("SELECT metric_name, sum_value, event_count FROM usage_aggregates WHERE project_id = '"
                + project + "' ORDER BY 1")).containsExactly("api_calls 5 5", "storage_gb 5 5", "tokens{model=large} 5 5");
        assertThat(DB.get().rows("SELECT count(*) FROM usage_refused_rows")).containsExactly("0");
    }

    /**
     * Batches are written on the writer's own thread while the task goes on: they must still reach the table in the
     * order they were cut (a row's later total after its earlier one), every row once.
     */
    @Test
    void batchesWrittenOffTheTaskThreadArriveInTheOrderTheyWereCut() throws Exception {
        DB.get().update("CREATE TABLE sink_order (seq bigserial PRIMARY KEY, n int NOT NULL)");
        List<Integer> rows = new ArrayList<>();
        for (int n = 1; n <= 5_000; n++) {
            rows.add(n);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        var settings = new IsolatingJdbcSink.Settings(DB.get().url(), TestDatabase.USER, TestDatabase.PASSWORD, 7, 0, 0);
        env.fromData(rows, Types.INT).sinkTo(new IsolatingJdbcSink<Integer>("sink_order", "INSERT INTO sink_order (n) VALUES (?)",
                (ps, n) -> ps.setInt(1, n), n -> new IsolatingJdbcSink.RowLabel(null, null, n.toString()), n -> n, settings));
        env.execute("isolating-jdbc-sink-order-it");

        assertThat(DB.get().rows("SELECT count(*), count(DISTINCT n) FROM sink_order")).containsExactly("5000 5000");
        assertThat(DB.get().rows("SELECT count(*) FROM (SELECT n, lag(n) OVER (ORDER BY seq) AS before FROM sink_order) o"
                + " WHERE n <> before + 1")).as("rows out of order").containsExactly("0");
    }

    /** A batch that fails on the writer's thread for anything but its content fails the job; nothing is skipped. */
    @Test
    void aBatchTheDatabaseCannotTakeFailsTheJob() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        var settings = new IsolatingJdbcSink.Settings(DB.get().url(), TestDatabase.USER, TestDatabase.PASSWORD, 10, 0, 0);
        env.fromData(List.of(1, 2, 3), Types.INT).sinkTo(new IsolatingJdbcSink<Integer>("no_such_table",
                "INSERT INTO no_such_table (n) VALUES (?)", (ps, n) -> ps.setInt(1, n),
                n -> new IsolatingJdbcSink.RowLabel(null, null, n.toString()), n -> n, settings));

        assertThatThrownBy(() -> env.execute("isolating-jdbc-sink-failure-it"))
                .hasStackTraceContaining("writing 3 rows to no_such_table failed 1 times");
    }

    private UsageTotal total(String metric, long count) {
        BigDecimal v = BigDecimal.valueOf(count);
        return new UsageTotal(project, org, metric, "2026-03", "UTC", "count", v, count, BigDecimal.ONE, BigDecimal.ONE,
                BigDecimal.ONE, Instant.parse("2026-03-01T00:00:00Z").plusSeconds(count), false);
    }
}
