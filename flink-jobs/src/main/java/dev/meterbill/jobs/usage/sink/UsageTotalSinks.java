package dev.meterbill.jobs.usage.sink;

import dev.meterbill.jobs.usage.aggregate.UsageTotal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Sinks that upsert absolute totals into usage_aggregates, usage_daily and usage_hourly.
 *
 * <p>The sinks are at-least-once and flush on every checkpoint; since each row carries absolute
 * values computed from checkpointed state, the stored totals are exact. The {@code WHERE} clause
 * keeps invariant 2: a replay of an older open total (fewer events) after a restore never moves a
 * stored row backwards, and a final row is never touched again. The final write itself is
 * authoritative: it is emitted only after the checkpoint holding the finalisation completed, so it
 * replaces whatever a run that was later rolled back may have written (see PeriodTotalsFunction).
 * A row the database refuses for its content is isolated, not retried forever ({@link IsolatingJdbcSink}).
 */
public final class UsageTotalSinks {

    public static final String UPSERT_AGGREGATE_SQL = upsert("usage_aggregates", "period");
    public static final String UPSERT_DAILY_SQL = upsert("usage_daily", "day");
    public static final String UPSERT_HOURLY_SQL = upsert("usage_hourly", "hour");

    private UsageTotalSinks() {}

    /** Monthly totals into usage_aggregates. */
    public static IsolatingJdbcSink<UsageTotal> aggregates(IsolatingJdbcSink.Settings settings) {
        return new IsolatingJdbcSink<>("usage_aggregates", UPSERT_AGGREGATE_SQL, new AggregateStatement(),
                UsageTotalSinks::label, UsageTotalSinks::key, settings);
    }

    /** Daily totals into usage_daily. */
    public static IsolatingJdbcSink<UsageTotal> daily(IsolatingJdbcSink.Settings settings) {
        return new IsolatingJdbcSink<>("usage_daily", UPSERT_DAILY_SQL, new DailyStatement(),
                UsageTotalSinks::label, UsageTotalSinks::key, settings);
    }

    /** Hourly totals into usage_hourly. */
    public static IsolatingJdbcSink<UsageTotal> hourly(IsolatingJdbcSink.Settings settings) {
        return new IsolatingJdbcSink<>("usage_hourly", UPSERT_HOURLY_SQL, new HourlyStatement(),
                UsageTotalSinks::label, UsageTotalSinks::key, settings);
    }

    private static IsolatingJdbcSink.RowLabel label(UsageTotal t) {
        return new IsolatingJdbcSink.RowLabel(t.organisationId(), t.projectId(), t.metricName() + " " + t.bucket());
    }

    /** The row a total writes: its project, metric and bucket (the table's primary key). */
    private static String key(UsageTotal t) {
        return t.projectId() + "|" + t.metricName() + "|" + t.bucket();
    }

    private static String upsert(String table, String bucketColumn) {
        return "INSERT INTO " + table + " (project_id, organisation_id, metric_name, " + bucketColumn
                + ", timezone, unit, sum_value, event_count, min_value, max_value, latest_value, latest_at, is_final, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())"
                + " ON CONFLICT (project_id, metric_name, " + bucketColumn + ") DO UPDATE SET"
                + " organisation_id = EXCLUDED.organisation_id, timezone = EXCLUDED.timezone, unit = EXCLUDED.unit,"
                + " sum_value = EXCLUDED.sum_value, event_count = EXCLUDED.event_count,"
                + " min_value = EXCLUDED.min_value, max_value = EXCLUDED.max_value,"
                + " latest_value = EXCLUDED.latest_value, latest_at = EXCLUDED.latest_at, is_final = EXCLUDED.is_final,"
                + " updated_at = now()"
                + " WHERE NOT " + table + ".is_final"
                + " AND (EXCLUDED.is_final OR " + table + ".event_count <= EXCLUDED.event_count)";
    }

    /** Binds a total for {@link #UPSERT_AGGREGATE_SQL}; the bucket is the period {@code YYYY-MM}. */
    public static final class AggregateStatement implements IsolatingJdbcSink.Binder<UsageTotal> {
        private static final long serialVersionUID = 1L;

        @Override
        public void bind(PreparedStatement ps, UsageTotal t) throws SQLException {
            bindTotal(ps, t);
            ps.setString(4, t.bucket());
        }
    }

    /** Binds a total for {@link #UPSERT_DAILY_SQL}; the bucket is the day {@code YYYY-MM-DD}. */
    public static final class DailyStatement implements IsolatingJdbcSink.Binder<UsageTotal> {
        private static final long serialVersionUID = 1L;

        @Override
        public void bind(PreparedStatement ps, UsageTotal t) throws SQLException {
            bindTotal(ps, t);
            ps.setObject(4, LocalDate.parse(t.bucket()));
        }
    }

    /** Binds a total for {@link #UPSERT_HOURLY_SQL}; the bucket is the instant the hour starts at. */
    public static final class HourlyStatement implements IsolatingJdbcSink.Binder<UsageTotal> {
        private static final long serialVersionUID = 1L;

        @Override
        public void bind(PreparedStatement ps, UsageTotal t) throws SQLException {
            bindTotal(ps, t);
            ps.setObject(4, OffsetDateTime.ofInstant(Instant.parse(t.bucket()), ZoneOffset.UTC));
        }
    }

    private static void bindTotal(PreparedStatement ps, UsageTotal t) throws SQLException {
        ps.setObject(1, UUID.fromString(t.projectId()));
        ps.setObject(2, UUID.fromString(t.organisationId()));
        ps.setString(3, t.metricName());
        ps.setString(5, t.timezone());
        ps.setString(6, t.unit());
        ps.setBigDecimal(7, t.sum());
        ps.setLong(8, t.count());
        ps.setBigDecimal(9, t.min());
        ps.setBigDecimal(10, t.max());
        ps.setBigDecimal(11, t.latest());
        ps.setObject(12, OffsetDateTime.ofInstant(t.latestAt(), ZoneOffset.UTC));
        ps.setBoolean(13, t.isFinal());
    }
}
