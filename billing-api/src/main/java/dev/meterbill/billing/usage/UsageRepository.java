package dev.meterbill.billing.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/** Reads usage_aggregates, usage_daily and usage_hourly, which only the aggregation job writes. */
public final class UsageRepository {

    /**
     * The hourly rows of {@code [from, to)} of a project's or an organisation's usage ({@code column} project_id or
     * organisation_id): one metric (its own rows and its definition's groups, the names from {@code metric{} to
     * {@code metric|} in byte order) or all, through usage_hourly_project_hour_idx (an index-only scan: it carries
     * these columns) or usage_hourly_org_hour_idx; the caller adds them up per bucket as they are read.
     */
    public void findHours(Connection connection, String column, UUID owner, UsageQuery query,
                          Consumer<UsageSeries.Row> rows) throws SQLException {
        // instants as epoch milliseconds: a long is read at once, a timestamptz's text is parsed
        String sql = "SELECT metric_name, CAST(extract(epoch FROM hour) * 1000 AS bigint), unit, sum_value, event_count,"
                + " min_value, max_value, latest_value, CAST(extract(epoch FROM latest_at) * 1000 AS bigint), is_final"
                + " FROM usage_hourly WHERE " + column + " = ? AND hour >= ? AND hour < ?"
                + (query.metric() == null ? "" : " AND (metric_name = ? OR (metric_name >= ? AND metric_name < ?))");
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, owner);
            statement.setObject(2, OffsetDateTime.ofInstant(query.from(), ZoneOffset.UTC));
            statement.setObject(3, OffsetDateTime.ofInstant(query.to(), ZoneOffset.UTC));
            if (query.metric() != null) {
                statement.setString(4, query.metric());
                statement.setString(5, query.metric() + "{");
                statement.setString(6, query.metric() + "|");
            }
            statement.setFetchSize(10_000);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.accept(new UsageSeries.Row(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
                            rs.getBigDecimal(4), rs.getLong(5), rs.getBigDecimal(6), rs.getBigDecimal(7),
                            rs.getBigDecimal(8), Instant.ofEpochMilli(rs.getLong(9)), rs.getBoolean(10)));
                }
            }
        }
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
