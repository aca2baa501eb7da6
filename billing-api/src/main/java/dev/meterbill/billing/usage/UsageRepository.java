package dev.meterbill.billing.usage;

import dev.meterbill.events.GroupedMetricName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.function.Consumer;

/** Reads usage_aggregates, usage_daily and usage_hourly, which only the aggregation job writes. */
public final class UsageRepository {

    /** Rows the driver holds at once: a month of 60 metrics per hour is 43,200 (held rows are copied by each GC). */
    private static final int FETCH_SIZE = 2_000;

    /**
     * The hourly rows of {@code [from, to)} of a project's or an organisation's usage ({@code column} project_id or
     * organisation_id; see {@link #prepare}): one metric (its own rows and its definition's groups) or all, through
     * usage_hourly_project_hour_idx (an index-only scan: it carries these columns) or usage_hourly_org_hour_idx; the
     * caller adds them up per bucket as they are read.
     */
    public void findHours(Connection connection, String column, UUID owner, UsageQuery query, Instant from, Instant to,
                          Consumer<UsageSeries.Row> rows) throws SQLException {
        try (PreparedStatement statement = prepare(connection, "hour", "usage_hourly", column, owner, query,
                OffsetDateTime.ofInstant(from, ZoneOffset.UTC), OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
             ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                rows.accept(row(rs, rs.getTimestamp(2).toInstant()));
            }
        }
    }

    /**
     * The daily rows of the days {@code [first, end)} of {@code zone} (one metric and its definition's groups, or
     * all), each starting when its day starts there; null when one of them was kept in another timezone (a day of a
     * period before the organisation's timezone changed), whose day is not one of {@code zone}'s.
     */
    public List<UsageSeries.Row> findDays(Connection connection, String column, UUID owner, UsageQuery query, ZoneId zone,
                                          LocalDate first, LocalDate end) throws SQLException {
        List<UsageSeries.Row> days = new ArrayList<>();
        try (PreparedStatement statement = prepare(connection, "day", "usage_daily", column, owner, query, first, end);
             ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                if (!zone.getId().equals(rs.getString(11))) {
                    return null;
                }
                days.add(row(rs, rs.getObject(2, LocalDate.class).atStartOfDay(zone).toInstant()));
            }
        }
        return days;
    }

    /**
     * The statement for the rows of {@code table} of {@code [from, to)} of {@code bucket} (hour or day), of the owner,
     * for the query's names: metric name, bucket, unit, sum, count, min, max, latest, latest_at, is_final, and a day's
     * timezone. (An organisation's projects are added up by UsageSeries, not here:
     * PostgreSQL's generic plan for a GROUP BY expects a handful of rows and sorts 25,200 day rows on disk, 109 ms.)
     *
     * <p>Once the statement is prepared on the server (its fifth run on a connection) the driver reads columns in
     * binary, where a timestamptz is a long: reading them as epoch numbers (extract) cost PostgreSQL 9 ms of 44 for
     * 43,200 rows, and a Timestamp is an instant without the zone rules an OffsetDateTime allocates. Decimals lose
     * their twelve places of zeros here (trim_scale, 1 ms) rather than in Money.canonical (stripTrailingZeros divides
     * by ten per zero: 4 of them a row were a tenth of the answer).
     */
    private static PreparedStatement prepare(Connection connection, String bucket, String table, String column, UUID owner,
                                             UsageQuery query, Object from, Object to) throws SQLException {
        List<String> names = new ArrayList<>();
        // hours are instants: their timezone is not read (nor is it in the index-only scan's columns)
        String sql = "SELECT metric_name, " + bucket + ", unit, trim_scale(sum_value), event_count, trim_scale(min_value),"
                + " trim_scale(max_value), trim_scale(latest_value), latest_at, is_final" + (bucket.equals("day") ? ", timezone" : "")
                + " FROM " + table + " WHERE " + column + " = ? AND " + bucket + " >= ? AND " + bucket + " < ?"
                + names(query, names);
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            statement.setObject(1, owner);
            statement.setObject(2, from);
            statement.setObject(3, to);
            for (int i = 0; i < names.size(); i++) {
                statement.setString(4 + i, names.get(i));
            }
            statement.setFetchSize(FETCH_SIZE);
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    private static UsageSeries.Row row(ResultSet rs, Instant start) throws SQLException {
        return new UsageSeries.Row(rs.getString(1), start, rs.getString(3), rs.getBigDecimal(4), rs.getLong(5),
                rs.getBigDecimal(6), rs.getBigDecimal(7), rs.getBigDecimal(8), rs.getTimestamp(9).toInstant(), rs.getBoolean(10));
    }

    /**
     * SQL on metric_name for the query's metric (its own name and its definition's groups, {@code <metric>{…}}) and
     * filters, its parameters added to {@code parameters}. A filter keeps names holding one of its {@code key=value}
     * pairs as GroupedMetricName writes them: a superset of the groups it matches (UsageSeries checks each exactly),
     * which spares reading the rows of the groups it leaves out.
     */
    private static String names(UsageQuery query, List<String> parameters) {
        if (query.metric() == null) {
            return "";
        }
        StringBuilder sql = new StringBuilder(" AND (metric_name = ? OR starts_with(metric_name, ?))");
        parameters.add(query.metric());
        parameters.add(query.metric() + "{");
        query.filters().forEach((key, values) -> {
            StringJoiner any = new StringJoiner(" OR ", " AND (", ")");
            for (String value : values) {
                String pair = GroupedMetricName.of("", List.of(key), Map.of(key, value)); // {key=value}
                any.add("metric_name LIKE ?");
                parameters.add("%" + pair.substring(1, pair.length() - 1).replace("\\", "\\\\").replace("%", "\\%")
                        .replace("_", "\\_") + "%");
            }
            sql.append(any);
        });
        return sql.toString();
    }

    private static final String MONTHLY_COLUMNS =
            "project_id, metric_name, unit, sum_value, event_count, min_value, max_value, latest_value, is_final";
    private static final String DAILY_COLUMNS =
            "project_id, metric_name, day, sum_value, event_count, min_value, max_value, latest_value";

    /** The project's metric totals for the period with their days, by metric name. */
    public List<MetricUsage> findByProjectAndPeriod(Connection connection, UUID projectId, YearMonth period)
            throws SQLException {
        return findByOwner(connection, "project_id", projectId, period).getOrDefault(projectId, List.of());
    }

    /** The organisation's metric totals for the period with their days, per project id, by metric name. */
    public Map<UUID, List<MetricUsage>> findByOrganisationAndPeriod(Connection connection, UUID organisationId,
                                                                    YearMonth period) throws SQLException {
        return findByOwner(connection, "organisation_id", organisationId, period);
    }

    private static Map<UUID, List<MetricUsage>> findByOwner(Connection connection, String column, UUID owner,
                                                            YearMonth period) throws SQLException {
        Map<String, List<DailyUsage>> days = findDays(connection, column, owner, period);
        String sql = "SELECT " + MONTHLY_COLUMNS + " FROM usage_aggregates WHERE " + column
                + " = ? AND period = ? ORDER BY project_id, metric_name";
        Map<UUID, List<MetricUsage>> byProject = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, owner);
            statement.setString(2, period.toString());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    UUID projectId = rs.getObject("project_id", UUID.class);
                    String metric = rs.getString("metric_name");
                    // NUMERIC is read as BigDecimal: exact, never through a double.
                    byProject.computeIfAbsent(projectId, k -> new ArrayList<>()).add(new MetricUsage(
                            metric,
                            rs.getString("unit"),
                            rs.getBigDecimal("sum_value"),
                            rs.getLong("event_count"),
                            rs.getBigDecimal("min_value"),
                            rs.getBigDecimal("max_value"),
                            rs.getBigDecimal("latest_value"),
                            rs.getBoolean("is_final"),
                            days.getOrDefault(projectId + "/" + metric, List.of())));
                }
            }
        }
        return byProject;
    }

    /** Day rows of the period's calendar days (days are already in the billing timezone). */
    private static Map<String, List<DailyUsage>> findDays(Connection connection, String column, UUID owner,
                                                          YearMonth period) throws SQLException {
        String sql = "SELECT " + DAILY_COLUMNS + " FROM usage_daily WHERE " + column
                + " = ? AND day >= ? AND day <= ? ORDER BY project_id, metric_name, day";
        Map<String, List<DailyUsage>> days = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, owner);
            statement.setObject(2, period.atDay(1));
            statement.setObject(3, period.atEndOfMonth());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getObject("project_id", UUID.class) + "/" + rs.getString("metric_name");
                    days.computeIfAbsent(key, k -> new ArrayList<>()).add(new DailyUsage(
                            rs.getObject("day", LocalDate.class),
                            rs.getBigDecimal("sum_value"),
                            rs.getLong("event_count"),
                            rs.getBigDecimal("min_value"),
                            rs.getBigDecimal("max_value"),
                            rs.getBigDecimal("latest_value")));
                }
            }
        }
        return days;
    }
}
