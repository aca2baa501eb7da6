package dev.meterbill.billing.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reads usage_aggregates, which only the aggregation job writes. */
public final class UsageRepository {

    /** The project's metric totals for the period, by metric name. */
    public List<MetricUsage> findByProjectAndPeriod(Connection connection, UUID projectId, YearMonth period)
            throws SQLException {
        String sql = """
                SELECT metric_name, unit, sum_value, event_count, min_value, max_value, latest_value, is_final
                  FROM usage_aggregates
                 WHERE project_id = ? AND period = ?
                 ORDER BY metric_name
                """;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, projectId);
            statement.setString(2, period.toString());
            try (ResultSet rs = statement.executeQuery()) {
                List<MetricUsage> metrics = new ArrayList<>();
                while (rs.next()) {
                    // NUMERIC is read as BigDecimal: exact, never through a double.
                    metrics.add(new MetricUsage(
                            rs.getString("metric_name"),
                            rs.getString("unit"),
                            rs.getBigDecimal("sum_value"),
                            rs.getLong("event_count"),
                            rs.getBigDecimal("min_value"),
                            rs.getBigDecimal("max_value"),
                            rs.getBigDecimal("latest_value"),
                            rs.getBoolean("is_final")));
                }
                return metrics;
            }
        }
    }
}
