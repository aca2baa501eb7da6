package dev.meterbill.billing.invoice;

import dev.meterbill.archive.format.RerateSchema;
import dev.meterbill.billing.db.Sql;
import dev.meterbill.billing.pricing.UsageQuantities;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The bulk reads of an invoice run: a few queries per chunk of organisations, never one per row. */
public final class InvoiceRunRepository {

    /**
     * Organisations with a plan in force on the first day of {@code period} and no invoice for it yet, by id.
     * A subscription that ended before the period, or whose trial covers all of it, bills nothing for it.
     */
    public List<BillableOrganisation> candidates(Connection connection, YearMonth period) throws SQLException {
        return query(connection, period, null);
    }

    /**
     * The organisation with the plan in force on the first day of {@code period}, whether or not it has
     * an invoice for it: a single-organisation generation must not mistake an invoice inserted
     * concurrently for a missing plan.
     */
    public Optional<BillableOrganisation> billable(Connection connection, YearMonth period, UUID organisationId)
            throws SQLException {
        return query(connection, period, organisationId).stream().findFirst();
    }

    private List<BillableOrganisation> query(Connection connection, YearMonth period, UUID onlyOrganisation)
            throws SQLException {
        String sql = """
                SELECT o.id, o.currency,
                       CASE WHEN o.next_timezone_period <= ? THEN o.next_timezone ELSE o.timezone END,
                       o.state_code, o.gstin, o.country, s.pricing_plan_id, s.id, s.starts_on, s.ends_on,
                       s.trial_ends_on
                  FROM organisations o
                  JOIN LATERAL (SELECT id, pricing_plan_id, starts_on, ends_on, trial_ends_on FROM subscriptions s
                                 WHERE s.organisation_id = o.id AND s.starts_on <= ?
                                 ORDER BY s.starts_on DESC LIMIT 1) s ON true
                 WHERE (s.ends_on IS NULL OR s.ends_on > ?)
                   AND (s.trial_ends_on IS NULL OR s.trial_ends_on < ?)
                   AND (CAST(? AS uuid) IS NOT NULL
                        OR NOT EXISTS (SELECT 1 FROM invoices i WHERE i.organisation_id = o.id AND i.period = ?))
                   AND (CAST(? AS uuid) IS NULL OR o.id = ?)
                 ORDER BY o.id
                """;
        return Sql.list(connection, sql, rs -> new BillableOrganisation(rs.getObject(1, UUID.class), rs.getString(2),
                ZoneId.of(rs.getString(3)), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getObject(7, UUID.class), rs.getObject(8, UUID.class), rs.getObject(9, LocalDate.class),
                rs.getObject(10, LocalDate.class), rs.getObject(11, LocalDate.class)),
                period.toString(), period.atDay(1), period.atDay(1), period.plusMonths(1).atDay(1), onlyOrganisation,
                period.toString(),
                onlyOrganisation, onlyOrganisation);
    }

    /** The period's usage of these organisations, per organisation. */
    public Map<UUID, List<UsageRow>> usage(Connection connection, YearMonth period, List<UUID> organisations)
            throws SQLException {
        return usage(connection, period, organisations, "public");
    }

    /** The same from the totals in {@code schema}: {@code public} (live), or a re-rating's. */
    public Map<UUID, List<UsageRow>> usage(Connection connection, YearMonth period, List<UUID> organisations, String schema)
            throws SQLException {
        String sql = """
                SELECT a.organisation_id, a.project_id, p.name, a.metric_name, a.sum_value, a.event_count,
                       a.max_value, a.latest_value, a.latest_at, a.is_final
                  FROM %s.usage_aggregates a LEFT JOIN projects p ON p.id = a.project_id
                 WHERE a.organisation_id = ANY (?) AND a.period = ?
                """.formatted(schema.equals("public") ? schema : RerateSchema.name(schema));
        Map<UUID, List<UsageRow>> usage = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, Sql.array(connection, "uuid", organisations));
            statement.setString(2, period.toString());
            statement.setFetchSize(10_000);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    usage.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>()).add(new UsageRow(
                            rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                            new UsageQuantities(rs.getBigDecimal(5), rs.getLong(6), rs.getBigDecimal(7),
                                    rs.getBigDecimal(8)),
                            Sql.instant(rs, 9), rs.getBoolean(10)));
                }
            }
        }
        return usage;
    }

    /**
     * One organisation's usage of the days {@code [from, to)} of a period, added up from the job's daily
     * rows the way the job adds up events: for a period a subscription bills only in part (it started
     * or ended within it, or its trial ended within it).
     */
    public List<UsageRow> usageOfDays(Connection connection, UUID organisationId, LocalDate from, LocalDate to)
            throws SQLException {
        String sql = """
                SELECT d.project_id, p.name, d.metric_name, sum(d.sum_value), sum(d.event_count), max(d.max_value),
                       (array_agg(d.latest_value ORDER BY d.latest_at DESC, d.latest_value DESC))[1], max(d.latest_at),
                       bool_and(d.is_final)
                  FROM usage_daily d LEFT JOIN projects p ON p.id = d.project_id
                 WHERE d.organisation_id = ? AND d.day >= ? AND d.day < ?
                 GROUP BY d.project_id, p.name, d.metric_name
                """;
        return Sql.list(connection, sql, rs -> new UsageRow(rs.getObject(1, UUID.class), rs.getString(2),
                rs.getString(3), new UsageQuantities(rs.getBigDecimal(4), rs.getLong(5), rs.getBigDecimal(6),
                rs.getBigDecimal(7)), Sql.instant(rs, 8), rs.getBoolean(9)), organisationId, from, to);
    }

    /**
     * Late events of earlier periods not yet on any invoice, locked so that two runs never bill the
     * same event: the second waits, then sees them adjusted and skips them.
     */
    public List<LateEvent> lockPendingLateEvents(Connection connection, YearMonth period, List<UUID> organisations)
            throws SQLException {
        return pendingLateEvents(connection, period, organisations, true);
    }

    /** The same events, read without locking them (an estimate, which invoices nothing). */
    public List<LateEvent> pendingLateEvents(Connection connection, YearMonth period, List<UUID> organisations,
                                             boolean lock) throws SQLException {
        String sql = """
                SELECT event_id, organisation_id, project_id, metric_name, metric_value, event_time, period
                  FROM late_usage_events
                 WHERE organisation_id = ANY (?) AND adjusted_on_invoice_id IS NULL AND absorbed_by_rerating_id IS NULL
                   AND period < ?
                 ORDER BY event_id
                """ + (lock ? " FOR UPDATE" : "");
        return Sql.list(connection, sql, InvoiceRunRepository::lateEvent, Sql.array(connection, "uuid", organisations),
                period.toString());
    }

    /** The final aggregate of an earlier period with the late events already adjusted on invoices. */
    public LateUsage billedUsage(Connection connection, UUID projectId, String metric, YearMonth period)
            throws SQLException {
        LateUsage base = Sql.one(connection, """
                SELECT sum_value, event_count, max_value, latest_value, latest_at FROM usage_aggregates
                 WHERE project_id = ? AND metric_name = ? AND period = ?
                """, rs -> new LateUsage(new UsageQuantities(rs.getBigDecimal(1), rs.getLong(2), rs.getBigDecimal(3),
                rs.getBigDecimal(4)), Sql.instant(rs, 5)), projectId, metric, period.toString()).orElse(LateUsage.NONE);
        return base.plus(Sql.list(connection, """
                SELECT event_id, organisation_id, project_id, metric_name, metric_value, event_time, period
                  FROM late_usage_events
                 WHERE project_id = ? AND metric_name = ? AND period = ? AND adjusted_on_invoice_id IS NOT NULL
                   AND absorbed_by_rerating_id IS NULL
                 ORDER BY event_time
                """, InvoiceRunRepository::lateEvent, projectId, metric, period.toString()));
    }

    public Optional<String> projectName(Connection connection, UUID projectId) throws SQLException {
        return Sql.one(connection, "SELECT name FROM projects WHERE id = ?", rs -> rs.getString(1), projectId);
    }

    /** Re-rating adjustments of earlier periods not yet on an invoice, per organisation; locked unless estimating. */
    public Map<UUID, List<ReratingAdjustment>> pendingReratingAdjustments(Connection connection, YearMonth period,
                                                                      List<UUID> organisations, boolean lock)
            throws SQLException {
        Map<UUID, List<ReratingAdjustment>> pending = new HashMap<>();
        for (ReratingAdjustment a : Sql.list(connection, """
                SELECT rerating_id, organisation_id, period, amount_minor, description FROM rerating_adjustments
                 WHERE organisation_id = ANY (?) AND adjusted_on_invoice_id IS NULL AND period < ?
                 ORDER BY created_at, rerating_id
                """ + (lock ? " FOR UPDATE" : ""), rs -> new ReratingAdjustment(rs.getObject(1, UUID.class),
                rs.getObject(2, UUID.class), YearMonth.parse(rs.getString(3)), rs.getLong(4), rs.getString(5)),
                Sql.array(connection, "uuid", organisations), period.toString())) {
            pending.computeIfAbsent(a.organisationId(), k -> new ArrayList<>()).add(a);
        }
        return pending;
    }

    /** Records which invoice billed the re-rating adjustments. */
    public void markReratingsAdjusted(Connection connection, Map<UUID, List<UUID>> reratingsByInvoice) throws SQLException {
        for (Map.Entry<UUID, List<UUID>> entry : reratingsByInvoice.entrySet()) {
            Sql.update(connection, "UPDATE rerating_adjustments SET adjusted_on_invoice_id = ? WHERE rerating_id = ANY (?)",
                    entry.getKey(), Sql.array(connection, "uuid", entry.getValue()));
        }
    }

    /** Records which invoice billed the late events. */
    public void markAdjusted(Connection connection, Map<UUID, List<UUID>> eventsByInvoice) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE late_usage_events SET adjusted_on_invoice_id = ? WHERE event_id = ANY (?)")) {
            for (Map.Entry<UUID, List<UUID>> entry : eventsByInvoice.entrySet()) {
                statement.setObject(1, entry.getKey());
                statement.setArray(2, Sql.array(connection, "uuid", entry.getValue()));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static LateEvent lateEvent(ResultSet rs) throws SQLException {
        return new LateEvent(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                rs.getString(4), rs.getBigDecimal(5), Sql.instant(rs, 6), YearMonth.parse(rs.getString(7)));
    }
}
