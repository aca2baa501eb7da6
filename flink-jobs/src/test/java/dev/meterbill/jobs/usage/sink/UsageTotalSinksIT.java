package dev.meterbill.jobs.usage.sink;

import dev.meterbill.jobs.usage.aggregate.LateEvent;
import dev.meterbill.jobs.usage.aggregate.UsageTotal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meterbill.testkit.DatabaseExtension;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The upsert SQL of the sinks against the real schema: invariant 2 lives in its WHERE clause. */
class UsageTotalSinksIT {

    @RegisterExtension
    static final DatabaseExtension DB = new DatabaseExtension();

    private final String project = UUID.randomUUID().toString();
    private final String org = UUID.randomUUID().toString();

    @Test
    void aNewTotalIsInsertedWithExactDecimalsAndItsTimestamp() throws Exception {
        upsertAggregate(total("2026-02", "0.3", 2, "2026-02-03T04:05:06.123456Z"));

        try (Connection c = DB.get().connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM usage_aggregates WHERE project_id = '" + project + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBigDecimal("sum_value")).isEqualByComparingTo("0.3");
            assertThat(rs.getLong("event_count")).isEqualTo(2);
            assertThat(rs.getString("period")).isEqualTo("2026-02");
            assertThat(rs.getString("organisation_id")).isEqualTo(org);
            assertThat(rs.getString("timezone")).isEqualTo("Asia/Kolkata");
            assertThat(rs.getObject("latest_at", OffsetDateTime.class).toInstant())
                    .isEqualTo(Instant.parse("2026-02-03T04:05:06.123456Z"));
            assertThat(rs.getBoolean("is_final")).isFalse();
        }
    }

    @Test
    void aReplayedOlderTotalNeverMovesTheStoredTotalBackwards() throws Exception {
        upsertAggregate(total("2026-01", "10", 5, "2026-01-05T00:00:00Z"));
        upsertAggregate(total("2026-01", "4", 2, "2026-01-02T00:00:00Z"));
        assertThat(storedSum("usage_aggregates")).isEqualByComparingTo("10");

        upsertAggregate(total("2026-01", "12.5", 6, "2026-01-06T00:00:00Z"));
        assertThat(storedSum("usage_aggregates")).isEqualByComparingTo("12.5");
    }

    @Test
    void aFinalRowIsNeverChanged() throws Exception {
        upsertAggregate(total("2026-01", "10", 5, "2026-01-05T00:00:00Z", true));

        upsertAggregate(total("2026-01", "99", 9, "2026-01-09T00:00:00Z", false));
        upsertAggregate(total("2026-01", "98", 8, "2026-01-09T00:00:00Z", true));

        assertThat(storedSum("usage_aggregates")).isEqualByComparingTo("10");
        assertThat(storedFinal("usage_aggregates")).isTrue();
    }

    @Test
    void theFinalWriteIsAuthoritativeEvenBelowAnOpenTotalOfARolledBackRun() throws Exception {
        upsertAggregate(total("2026-01", "12", 6, "2026-01-06T00:00:00Z", false));

        upsertAggregate(total("2026-01", "10", 5, "2026-01-05T00:00:00Z", true));

        assertThat(storedSum("usage_aggregates")).isEqualByComparingTo("10");
        assertThat(storedFinal("usage_aggregates")).isTrue();
    }

    @Test
    void aLateEventIsRecordedOnceWithItsPeriodAndReason() throws Exception {
        String eventId = UUID.randomUUID().toString();
        LateEvent late = new LateEvent(eventId, project, org, "api_calls", new BigDecimal("0.000000000001"), "count",
                Instant.parse("2026-01-15T00:00:00Z"), "2026-01", "period 2026-01 was already final",
                Instant.parse("2026-02-03T00:00:00Z"));
        for (int i = 0; i < 2; i++) {
            try (Connection c = DB.get().connect(); PreparedStatement ps = c.prepareStatement(LateEventSink.INSERT_SQL)) {
                new LateEventSink.Statement().bind(ps, late);
                ps.executeUpdate();
            }
        }

        try (Connection c = DB.get().connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT * FROM late_usage_events WHERE project_id = '" + project + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("event_id")).isEqualTo(eventId);
            assertThat(rs.getBigDecimal("metric_value")).isEqualByComparingTo("0.000000000001");
            assertThat(rs.getString("period")).isEqualTo("2026-01");
            assertThat(rs.getString("reason")).isEqualTo("period 2026-01 was already final");
            assertThat(rs.getObject("event_time", OffsetDateTime.class).toInstant()).isEqualTo(Instant.parse("2026-01-15T00:00:00Z"));
            assertThat(rs.getObject("received_at", OffsetDateTime.class).toInstant()).isEqualTo(Instant.parse("2026-02-03T00:00:00Z"));
            assertThat(rs.next()).as("inserted once").isFalse();
        }
    }

    @Test
    void dailyTotalsAreKeyedByTheDayInTheBillingTimezone() throws Exception {
        upsert(UsageTotalSinks.UPSERT_DAILY_SQL, new UsageTotalSinks.DailyStatement(),
                total("2026-02-01", "2.25", 1, "2026-01-31T18:30:00Z"));
        upsert(UsageTotalSinks.UPSERT_DAILY_SQL, new UsageTotalSinks.DailyStatement(),
                total("2026-02-01", "1", 1, "2026-01-31T18:30:00Z"));

        try (Connection c = DB.get().connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT day, sum_value FROM usage_daily WHERE project_id = '" + project + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getObject("day", LocalDate.class)).isEqualTo(LocalDate.of(2026, 2, 1));
            assertThat(rs.getBigDecimal("sum_value")).as("same count replays in place").isEqualByComparingTo("1");
            assertThat(rs.next()).isFalse();
        }
    }

    private UsageTotal total(String bucket, String sum, long count, String latestAt) {
        return total(bucket, sum, count, latestAt, false);
    }

    private UsageTotal total(String bucket, String sum, long count, String latestAt, boolean isFinal) {
        BigDecimal v = new BigDecimal(sum);
        return new UsageTotal(project, org, "api_calls", bucket, "Asia/Kolkata", "count",
                v, count, BigDecimal.ZERO, v, v, Instant.parse(latestAt), isFinal);
    }

    private void upsertAggregate(UsageTotal t) throws Exception {
        upsert(UsageTotalSinks.UPSERT_AGGREGATE_SQL, new UsageTotalSinks.AggregateStatement(), t);
    }

    private void upsert(String sql, IsolatingJdbcSink.Binder<UsageTotal> binder, UsageTotal t) throws Exception {
        try (Connection c = DB.get().connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps, t);
            ps.executeUpdate();
        }
    }

    private boolean storedFinal(String table) throws Exception {
        try (Connection c = DB.get().connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT is_final FROM " + table + " WHERE project_id = '" + project + "'")) {
            assertThat(rs.next()).isTrue();
            return rs.getBoolean(1);
        }
    }

    private BigDecimal storedSum(String table) throws Exception {
        try (Connection c = DB.get().connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT sum_value FROM " + table + " WHERE project_id = '" + project + "'")) {
            assertThat(rs.next()).isTrue();
            return rs.getBigDecimal(1);
        }
    }
}
