package dev.meterbill.testkit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.UUID;

/**
 * Organisations, subscriptions, projects and final monthly usage in bulk, seeded server-side with
 * generate_series (a few statements for any size), for invoice runs under load: billing-api's
 * tests and {@code ./billing bench invoices}.
 */
public final class BulkTenants {

    private BulkTenants() {}

    /** Name of metric {@code i} (1-based) of the seeded usage: what the plan must charge for. */
    public static String metric(int i) {
        return "metric_" + i;
    }

    /**
     * Adds {@code organisations} organisations named {@code <prefix> <n>} (half in Karnataka, half in
     * Maharashtra, for both kinds of GST), each subscribed to {@code planId} from the period's first
     * day with {@code projects} projects, each with final usage of {@code metrics} metrics in {@code period}.
     */
    public static void seed(Connection connection, String prefix, UUID planId, YearMonth period, int organisations,
                            int projects, int metrics) throws SQLException {
        execute(connection, """
                INSERT INTO organisations (id, name, billing_email, currency, timezone, state_code)
                SELECT gen_random_uuid(), ? || ' ' || g, 'billing' || g || '@example.com', 'INR', 'Asia/Kolkata',
                       CASE WHEN g % 2 = 0 THEN '29' ELSE '27' END
                  FROM generate_series(1, ?) g
                """, prefix, organisations);
        execute(connection, """
                INSERT INTO subscriptions (id, organisation_id, pricing_plan_id, starts_on)
                SELECT gen_random_uuid(), o.id, ?, ? FROM organisations o
                 WHERE o.name LIKE ? || ' %' AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.organisation_id = o.id)
                """, planId, period.atDay(1), prefix);
        execute(connection, """
                INSERT INTO projects (id, organisation_id, name)
                SELECT gen_random_uuid(), o.id, 'project ' || g FROM organisations o, generate_series(1, ?) g
                 WHERE o.name LIKE ? || ' %' AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.organisation_id = o.id)
                """, projects, prefix);
        // Deterministic, varied quantities with twelve-digit fractions, as the job writes them.
        execute(connection, """
                INSERT INTO usage_aggregates (project_id, organisation_id, metric_name, period, timezone, unit, sum_value,
                       event_count, min_value, max_value, latest_value, latest_at, is_final)
                SELECT p.id, p.organisation_id, 'metric_' || m, ?, 'Asia/Kolkata', 'count',
                       (abs(hashtext(p.id::text || m)) % 2000000) + 0.123456789012,
                       (abs(hashtext(m || p.id::text)) % 5000) + 1, 0, (abs(hashtext(p.id::text)) % 10) + 1, 1,
                       now(), true
                  FROM projects p JOIN organisations o ON o.id = p.organisation_id, generate_series(1, ?) m
                 WHERE o.name LIKE ? || ' %'
                ON CONFLICT DO NOTHING
                """, period.toString(), metrics, prefix);
    }

    private static void execute(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }
}
