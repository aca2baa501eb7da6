package dev.meterbill.e2e.testutils;

import dev.meterbill.testkit.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** The monthly totals of usage_aggregates, as exact decimals, and how they compare with expectations. */
public final class UsageTotals {

    /** One row of usage_aggregates. */
    public record Key(UUID projectId, String metric, String period) {}

    /** Count, sum, min and max of a row; decimals kept without trailing zeros, so equal values are equal rows. */
    public record Row(long count, BigDecimal sum, BigDecimal min, BigDecimal max) {

        public Row {
            sum = sum.stripTrailingZeros();
            min = min.stripTrailingZeros();
            max = max.stripTrailingZeros();
        }

        public static Row of(BigDecimal value) {
            return new Row(1, value, value, value);
        }

        public Row plus(Row o) {
            return new Row(count + o.count, sum.add(o.sum), min.min(o.min), max.max(o.max));
        }

        @Override
        public String toString() {
            return "count=" + count + " sum=" + sum.toPlainString() + " min=" + min.toPlainString() + " max=" + max.toPlainString();
        }
    }

    private UsageTotals() {}

    public static Map<Key, Row> read(String jdbcUrl) throws SQLException {
        Map<Key, Row> rows = new HashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, TestDatabase.USER, TestDatabase.PASSWORD);
             PreparedStatement ps = c.prepareStatement(
                     "SELECT project_id, metric_name, period, event_count, sum_value, min_value, max_value FROM usage_aggregates");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.put(new Key(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)),
                        new Row(rs.getLong(4), rs.getBigDecimal(5), rs.getBigDecimal(6), rs.getBigDecimal(7)));
            }
        }
        return rows;
    }

    /** Daily rows summed up to their months: they must add up to the same totals. */
    public static Map<Key, Long> dailyCountsByMonth(String jdbcUrl) throws SQLException {
        Map<Key, Long> counts = new HashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, TestDatabase.USER, TestDatabase.PASSWORD);
             PreparedStatement ps = c.prepareStatement("""
                     SELECT project_id, metric_name, to_char(day, 'YYYY-MM'), sum(event_count)
                       FROM usage_daily GROUP BY 1, 2, 3""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.put(new Key(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)), rs.getLong(4));
            }
        }
        return counts;
    }

    public static boolean matches(Map<Key, Row> expected, Map<Key, Row> actual) {
        return expected.equals(actual);
    }

    /** The events the rows of plain metrics count (the rows of metric definitions, named {@code key{…}}, count them again). */
    public static long totalCount(Map<Key, Row> rows) {
        return rows.entrySet().stream().filter(e -> e.getKey().metric().indexOf('{') < 0)
                .mapToLong(e -> e.getValue().count()).sum();
    }
}
