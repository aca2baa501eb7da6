package dev.meterbill.archive.format;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What a re-rating changes, per project and metric of its organisation's period: the live monthly total
 * ({@code usage_aggregates}), the period's late events the live job kept apart ({@code late_usage_events}, billed as
 * adjustments), and the re-rated total from the archive (the same table in the re-rating's schema). Shared by
 * {@code ./billing rerate}, which prints it, and billing-api, which shows and applies it.
 */
public final class RerateDiff {

    private RerateDiff() {}

    /** One project and metric; absent totals are zero. {@link #change()} is re-rated minus live minus late. */
    public record Row(UUID projectId, String metricName, BigDecimal liveSum, long liveCount, BigDecimal lateSum,
                      long lateCount, BigDecimal reratedSum, long reratedCount) {

        public BigDecimal change() {
            return reratedSum.subtract(liveSum).subtract(lateSum);
        }

        public long countChange() {
            return reratedCount - liveCount - lateCount;
        }
    }

    /** The rows of {@code organisationId}'s {@code period} (YYYY-MM), by project and metric. */
    public static List<Row> read(Connection c, String schema, UUID organisationId, String period) throws SQLException {
        String sql = """
                WITH live AS (
                  SELECT project_id, metric_name, sum_value AS s, event_count AS c FROM public.usage_aggregates
                   WHERE organisation_id = ? AND period = ?),
                late AS (
                  SELECT project_id, metric_name, sum(metric_value) AS s, count(*) AS c FROM public.late_usage_events
                   WHERE organisation_id = ? AND period = ? GROUP BY 1, 2),
                rerated AS (
                  SELECT project_id, metric_name, sum_value AS s, event_count AS c FROM %s.usage_aggregates
                   WHERE organisation_id = ? AND period = ?),
                keys AS (SELECT project_id, metric_name FROM live UNION SELECT project_id, metric_name FROM late
                         UNION SELECT project_id, metric_name FROM rerated)
                SELECT k.project_id, k.metric_name, coalesce(l.s, 0), coalesce(l.c, 0), coalesce(t.s, 0), coalesce(t.c, 0),
                       coalesce(r.s, 0), coalesce(r.c, 0)
                  FROM keys k
                  LEFT JOIN live l ON l.project_id = k.project_id AND l.metric_name = k.metric_name
                  LEFT JOIN late t ON t.project_id = k.project_id AND t.metric_name = k.metric_name
                  LEFT JOIN rerated r ON r.project_id = k.project_id AND r.metric_name = k.metric_name
                 ORDER BY 1, 2""".formatted(RerateSchema.name(schema));
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < 3; i++) {
                ps.setObject(2 * i + 1, organisationId);
                ps.setString(2 * i + 2, period);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getObject(1, UUID.class), rs.getString(2), plain(rs.getBigDecimal(3)), rs.getLong(4),
                            plain(rs.getBigDecimal(5)), rs.getLong(6), plain(rs.getBigDecimal(7)), rs.getLong(8)));
                }
            }
        }
        return rows;
    }

    private static BigDecimal plain(BigDecimal value) {
        return value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    }
}
